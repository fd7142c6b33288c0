"""Products of a workshop (e.g. "rencana kegiatan pengembangan komunitas belajar"),
per group or school: facilitators record them, everyone in the workshop reads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lokakarya import access, selectors
from lokakarya.models import JenisProduk, Kelompok, Lokakarya, Produk
from lokakarya.services import nilai as services_nilai
from program.uploads import UploadField, berkas_response
from program.versioning import add_service_errors

# --- form (kept beside its view: lokakarya/forms.py belongs to the workshop area) ---


class KelompokChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Kelompok) -> str:
        return f"{obj.nama} ({obj.get_jenis_display()})"


class ProdukForm(forms.Form):
    jenis = forms.ChoiceField(label=gettext_lazy("Jenis produk"), choices=JenisProduk.choices)
    judul = forms.CharField(label=gettext_lazy("Judul"), max_length=255)
    kelompok = KelompokChoiceField(
        label=gettext_lazy("Kelompok"), queryset=Kelompok.objects.none(), required=False
    )
    sekolah = forms.ModelChoiceField(label=gettext_lazy("Sekolah"), queryset=None, required=False)
    isi = forms.CharField(
        label=gettext_lazy("Isi / ringkasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    berkas = UploadField(
        label=gettext_lazy("Berkas (opsional)"),
        required=False,
        help_text=gettext_lazy("PDF, dokumen Office/ODF atau foto lembar kerja."),
    )

    def __init__(self, *args, lokakarya: Lokakarya, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelompok"].queryset = lokakarya.kelompok.order_by("jenis", "nomor")
        self.fields["sekolah"].queryset = services_nilai.sekolah_pilihan(lokakarya)


# --- views ------------------------------------------------------------------------------


@login_required
def produk(request, pk: int):
    lok = selectors.lokakarya_for_reading(request.user, pk)
    manages = access.user_manages_lokakarya(request.user, lok)
    form = ProdukForm(lokakarya=lok) if manages else None
    if request.method == "POST":
        if not manages:
            raise Http404
        if "hapus" in request.POST:
            item = access.get_visible_or_404(lok.produk.all(), pk=request.POST.get("hapus"))
            services_nilai.produk_delete(actor=request.user, produk=item)
            messages.info(
                request,
                _("Produk “%(judul)s” dipindahkan ke tempat sampah di bawah.")
                % {"judul": item.judul},
            )
            return redirect("lokakarya:produk", pk=lok.pk)
        if "pulihkan" in request.POST:
            item = access.get_visible_or_404(
                access.produk_trash_of(request.user).filter(lokakarya=lok),
                pk=request.POST.get("pulihkan"),
            )
            services_nilai.produk_restore(actor=request.user, produk=item)
            messages.success(request, _("Produk “%(judul)s” dipulihkan.") % {"judul": item.judul})
            return redirect("lokakarya:produk", pk=lok.pk)
        form = ProdukForm(request.POST, request.FILES, lokakarya=lok)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services_nilai.produk_create(
                    actor=request.user,
                    lokakarya=lok,
                    jenis=data["jenis"],
                    judul=data["judul"],
                    kelompok=data["kelompok"],
                    sekolah=data["sekolah"],
                    isi=data["isi"],
                    berkas_file=data["berkas"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Produk tersimpan."))
                return redirect("lokakarya:produk", pk=lok.pk)
    produk_list = lok.produk.select_related("kelompok", "sekolah", "berkas").order_by(
        "jenis", "created_at"
    )
    return render(
        request,
        "lokakarya/produk/produk.html",
        {
            "lok": lok,
            "manages": manages,
            "form": form,
            "produk_list": produk_list,
            # Tempat sampah: only those who may delete see (and restore) deleted products.
            "sampah": access.produk_trash_of(request.user)
            .filter(lokakarya=lok)
            .select_related("dihapus_oleh__orang")
            .order_by("-dihapus_pada")
            if manages
            else [],
        },
    )


@login_required
def berkas(request, pk: int):
    """A product's file, after the same read check as the product page."""
    item = access.get_visible_or_404(
        Produk.objects.select_related("berkas").filter(
            lokakarya__in=access.lokakarya_visible_to(request.user).values("pk"),
            berkas__isnull=False,
        ),
        pk=pk,
    )
    return berkas_response(item.berkas)
