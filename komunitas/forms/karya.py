"""Forms of the stages, good practice, action plan, guideline and tests:
validation and layout only; views pass cleaned data to services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from komunitas.models import PraktikBaik, RencanaAksi, StatusTahap
from program.uploads import UploadField
from program.versioning import VersionedFormMixin

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label: str, *, action: str = "", css: str = "btn-primary", files=False) -> FormHelper:
    helper = FormHelper()
    if action:
        helper.form_action = action
    button = Submit("simpan", label)
    button.field_classes = f"btn {css} w-100"
    helper.add_input(button)
    if files:
        helper.attrs = {"enctype": "multipart/form-data"}
    return helper


class TahapForm(forms.Form):
    """One of the five stages. The file field is named apart from the stage's
    own fields so that a conflict page compares only status and evidence."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(label=_("Status"), choices=StatusTahap.choices)
    bukti = forms.CharField(
        label=_("Bukti (uraian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mis. SK tim kecil, notulen kesepakatan, jadwal dengan jam wajib belajar."),
    )
    berkas_bukti = UploadField(
        label=_("Unggah berkas bukti"),
        required=False,
        help_text=_("Foto, PDF atau dokumen. Berkas ini juga dihitung sebagai bukti."),
    )
    keterangan_berkas = forms.CharField(
        label=_("Keterangan berkas"), required=False, max_length=255
    )

    def __init__(self, *args, instance, **kwargs):
        kwargs.setdefault("auto_id", f"id_tahap{instance.tahap}_%s")
        super().__init__(*args, **kwargs)
        self.instance = instance
        if not self.is_bound:
            self.initial.update(
                {
                    "version": instance.version or 0,
                    "status": instance.status,
                    "bukti": instance.bukti,
                }
            )
        self.helper = _helper(
            _("Simpan tahap"),
            action=reverse("komunitas:tahap-save", args=[instance.sekolah_id, instance.tahap]),
            css="btn-outline-primary",
            files=True,
        )


class PraktikForm(VersionedFormMixin, forms.ModelForm):
    """Good practice written with STAR; every part is required."""

    tautan_pmm = forms.URLField(
        label=_("Tautan PMM"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = PraktikBaik
        fields = ("judul", "situasi", "tugas", "aksi", "hasil", "dibagikan_pmm", "tautan_pmm")
        labels = {
            "situasi": _("Situasi (S)"),
            "tugas": _("Tugas (T)"),
            "aksi": _("Aksi (A)"),
            "hasil": _("Hasil (R)"),
        }
        help_texts = {
            "situasi": _("Apa tantangan atau kondisi awal di kelas/sekolah?"),
            "tugas": _("Apa yang menjadi tanggung jawab atau tujuan Anda?"),
            "aksi": _("Langkah apa yang Anda lakukan?"),
            "hasil": _("Apa hasilnya bagi murid dan guru? Sertakan data bila ada."),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("situasi", "tugas", "aksi", "hasil")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            self.fields["version"].required = False
            action = reverse("komunitas:praktik-create", args=[self.instance.komunitas_id])
            label = _("Simpan praktik baik")
        else:
            action = reverse("komunitas:praktik-edit", args=[self.instance.pk])
            label = _("Simpan perubahan")
        self.helper = _helper(label, action=action)


class RencanaForm(VersionedFormMixin, forms.ModelForm):
    """An RTL item. A new item starts at 0% progress."""

    progres = forms.IntegerField(
        label=_("Progres (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    )

    class Meta:
        model = RencanaAksi
        fields = ("kegiatan", "penanggung_jawab", "waktu", "indikator", "progres")
        widgets = {"waktu": _DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            del self.fields["progres"]
            self.fields["version"].required = False
            kwargs_action = reverse("komunitas:rencana", args=[self.instance.komunitas_id])
            self.helper = _helper(
                _("Tambah rencana"), action=kwargs_action, css="btn-outline-primary"
            )
        else:
            self.auto_id = f"id_rtl{self.instance.pk}_%s"
            self.helper = _helper(
                _("Simpan"),
                action=reverse("komunitas:rencana-edit", args=[self.instance.pk]),
                css="btn-outline-primary",
            )


class VersiPedomanForm(forms.Form):
    isi = forms.CharField(
        label=_("Isi pedoman"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    berkas = UploadField(label=_("Atau unggah dokumen pedoman"), required=False)
    catatan_revisi = forms.CharField(
        label=_("Catatan revisi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Apa yang berubah dari versi sebelumnya, mis. sesuai umpan balik."),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Simpan sebagai versi baru"), action=action, files=True)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("isi") or "").strip() and not cleaned.get("berkas"):
            raise forms.ValidationError(_("Tulis isi pedoman atau unggah berkasnya."))
        return cleaned


class UmpanBalikForm(forms.Form):
    isi = forms.CharField(
        label=_("Umpan balik"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class KegiatanForm(forms.Form):
    judul = forms.CharField(label=_("Nama kegiatan"), max_length=255)
    tanggal = forms.DateField(label=_("Tanggal"), widget=_DATE)

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tambah kegiatan"), action=action, css="btn-outline-primary")


def _angka(**attrs) -> forms.TextInput:
    # Text, not type=number: Indonesian decimals are written with a comma.
    return forms.TextInput(attrs={"class": "form-control form-control-sm", **attrs})


class HasilForm(forms.Form):
    """One participant's row: pre, post, satisfaction (1–5), comment."""

    nilai_pre = forms.DecimalField(
        label=_("Pre-test"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=_angka(inputmode="decimal"),
    )
    nilai_post = forms.DecimalField(
        label=_("Post-test"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=_angka(inputmode="decimal"),
    )
    kepuasan = forms.IntegerField(
        label=_("Kepuasan"),
        required=False,
        min_value=1,
        max_value=5,
        widget=_angka(inputmode="numeric"),
    )
    komentar = forms.CharField(
        label=_("Komentar"), required=False, max_length=2000, widget=_angka()
    )

    def __init__(self, *args, orang, hasil=None, **kwargs):
        kwargs.setdefault("prefix", f"o{orang.pk}")
        super().__init__(*args, **kwargs)
        self.orang = orang
        self.hasil = hasil
        if hasil is not None and not self.is_bound:
            self.initial.update(
                {
                    "nilai_pre": hasil.nilai_pre,
                    "nilai_post": hasil.nilai_post,
                    "kepuasan": hasil.kepuasan,
                    "komentar": hasil.komentar,
                }
            )
        for field in self if self.is_bound else ():
            if field.errors:
                css = field.field.widget.attrs.get("class", "")
                field.field.widget.attrs["class"] = f"{css} is-invalid"
