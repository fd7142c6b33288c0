"""Pre/post-test scores: the facilitator's table, import from a spreadsheet, and
a participant's own scores."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lokakarya import charts, resources, selectors
from lokakarya.models import Lokakarya, Peserta
from lokakarya.services import nilai as services_nilai
from lokakarya.services.nilai import NilaiBaris, Perubahan, angka, parse_nilai
from program.spreadsheet import XLSX

# --- forms (kept beside their views: lokakarya/forms.py belongs to the workshop area) ---


def _isian(value) -> str:
    """A stored score as the facilitator types it: 85.50 → "85,5"."""
    return "" if value is None else angka(value)


class NilaiField(forms.CharField):
    """0–100, decimals with a comma or a dot; blank means no score."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "maxlength": "8", "autocomplete": "off"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_nilai(super().to_python(value))


class NilaiForm(forms.Form):
    """Two inputs per participant, plus the values the page showed (asal_*): only
    rows this facilitator changed are saved, so a co-facilitator's scores saved
    meanwhile are not overwritten by a stale page."""

    def __init__(self, *args, peserta: list[Peserta], **kwargs):
        super().__init__(*args, **kwargs)
        self.peserta = peserta
        self.galat_baris: dict[int, list[str]] = {}
        for p in peserta:
            for kolom, value, label in (
                ("pre", p.nilai_pre, _("Pre-test %(nama)s")),
                ("post", p.nilai_post, _("Post-test %(nama)s")),
            ):
                self.fields[f"{kolom}_{p.pk}"] = NilaiField(
                    label=label % {"nama": p.orang.nama}, initial=_isian(value)
                )
                self.fields[f"asal_{kolom}_{p.pk}"] = forms.CharField(
                    required=False, widget=forms.HiddenInput, initial=_isian(value)
                )

    def _asal(self, name: str):
        try:
            return parse_nilai(self.data.get(name))
        except ValidationError:
            return object()  # unreadable: treat the row as changed

    def rows(self) -> list[NilaiBaris]:
        rows = []
        for p in self.peserta:
            pre, post = self.cleaned_data[f"pre_{p.pk}"], self.cleaned_data[f"post_{p.pk}"]
            if f"asal_pre_{p.pk}" in self.data and (pre, post) == (
                self._asal(f"asal_pre_{p.pk}"),
                self._asal(f"asal_post_{p.pk}"),
            ):
                continue
            rows.append(NilaiBaris(peserta_id=p.pk, pre=pre, post=post))
        return rows

    def add_row_errors(self, error: ValidationError) -> None:
        for key, msgs in error.message_dict.items():
            self.galat_baris.setdefault(int(key), []).extend(msgs)

    @property
    def jumlah_baris_salah(self) -> int:
        bad = set(self.galat_baris)
        bad.update(int(name.rsplit("_", 1)[-1]) for name in self.errors if name[-1].isdigit())
        return len(bad)

    def baris(self):
        for nomor, p in enumerate(self.peserta, start=1):
            pre, post = self[f"pre_{p.pk}"], self[f"post_{p.pk}"]
            yield {
                "nomor": nomor,
                "peserta": p,
                "pre": pre,
                "post": post,
                "asal_pre": self[f"asal_pre_{p.pk}"],
                "asal_post": self[f"asal_post_{p.pk}"],
                "galat": [*pre.errors, *post.errors, *self.galat_baris.get(p.pk, [])],
                "kenaikan": services_nilai.angka_bertanda(p.kenaikan),
            }


class ImporForm(forms.Form):
    berkas = forms.FileField(
        label=gettext_lazy("Berkas nilai (XLSX atau CSV)"),
        help_text=gettext_lazy(
            "Baris pertama berisi judul kolom: nama, pre, post (juga diterima: nilai_pre, "
            "nilai_post, pre-test, post-test). Sel nilai yang kosong tidak mengubah nilai."
        ),
    )


# --- views ------------------------------------------------------------------------------


def _grafik(peserta: list[Peserta], ringkasan):
    return charts.pre_post_svg(
        [(p.orang.nama, p.nilai_pre, p.nilai_post) for p in peserta],
        rata_pre=ringkasan.rata_pre,
        rata_post=ringkasan.rata_post,
    )


@login_required
def nilai(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    peserta = list(selectors.peserta_list(lok))
    form = NilaiForm(request.POST or None, peserta=peserta)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services_nilai.nilai_set_bulk(
                    actor=request.user, lokakarya=lok, rows=form.rows()
                )
            except ValidationError as error:
                form.add_row_errors(error)
            else:
                if changed:
                    messages.success(request, _("Nilai %(n)s peserta tersimpan.") % {"n": changed})
                else:
                    messages.info(request, _("Tidak ada nilai yang berubah."))
                return redirect("lokakarya:nilai", pk=lok.pk)
        messages.error(
            request,
            _("Tidak ada yang disimpan. Perbaiki %(n)s baris bertanda merah lalu simpan lagi.")
            % {"n": form.jumlah_baris_salah},
        )
    ringkasan = services_nilai.ringkasan_nilai(peserta)
    return render(
        request,
        "lokakarya/nilai/nilai.html",
        {
            "lok": lok,
            "manages": True,
            "form": form,
            "baris": list(form.baris()),
            "ringkasan": ringkasan,
            "grafik": _grafik(peserta, ringkasan),
        },
    )


def _session_key(lok: Lokakarya) -> str:
    return f"lokakarya-nilai-impor-{lok.pk}"


def _unduh(lok: Lokakarya, fmt: str) -> HttpResponse:
    """The score sheet to fill in: names exactly as registered."""
    dataset = resources.NilaiResource().export(queryset=selectors.peserta_list(lok))
    name = f"nilai-{slugify(lok.nama)[:40]}-{lok.tanggal_mulai:%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(dataset.export("xlsx"), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    # ";" and a BOM: what Excel with Indonesian settings opens as columns.
    content = "\ufeff" + dataset.export("csv", delimiter=";")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
def nilai_import(request, pk: int):
    """Upload → dry-run preview (changes and every error with its row) → confirm.

    Between preview and confirm the *parsed changes* (participant ids, old and
    new scores) wait in the server-side session under a random token, for CSV
    and XLSX alike: the client only echoes the token, and nothing it sends is
    trusted. Keeping the file itself as a Berkas would not work for CSV (the
    upload path refuses plain text) and would leave orphan files behind.
    """
    lok = selectors.lokakarya_for_managing(request.user, pk)
    fmt = request.GET.get("unduh")
    if request.method == "GET" and fmt in ("csv", "xlsx"):
        if fmt == "xlsx" and not resources.xlsx_tersedia():
            raise Http404
        return _unduh(lok, fmt)
    key = _session_key(lok)
    form = ImporForm()
    pratinjau = token = nama_berkas = None
    if request.method == "POST" and "token" in request.POST:
        pending = request.session.pop(key, None)
        if not pending or not constant_time_compare(
            str(pending.get("token", "")), request.POST["token"]
        ):
            messages.error(
                request,
                _("Pratinjau ini sudah kedaluwarsa atau sudah diterapkan. Unggah ulang berkas."),
            )
            return redirect("lokakarya:nilai-import", pk=lok.pk)
        try:
            changed = services_nilai.nilai_import_apply(
                actor=request.user,
                lokakarya=lok,
                perubahan=[Perubahan.from_session(d) for d in pending["perubahan"]],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("lokakarya:nilai-import", pk=lok.pk)
        messages.success(
            request,
            _("Impor selesai: nilai %(n)s peserta diperbarui dari %(berkas)s.")
            % {"n": changed, "berkas": pending.get("berkas", "")},
        )
        return redirect("lokakarya:nilai", pk=lok.pk)
    if request.method == "POST":
        request.session.pop(key, None)
        form = ImporForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["berkas"]
            nama_berkas = uploaded.name
            try:
                isi = resources.baca_nilai(uploaded)
            except ValidationError as error:
                form.add_error("berkas", error)
            else:
                pratinjau = services_nilai.nilai_import_preview(lokakarya=lok, baris=isi.baris)
                pratinjau.kolom = isi.kolom
                if pratinjau.bisa_diterapkan:
                    token = secrets.token_urlsafe(24)
                    request.session[key] = {
                        "token": token,
                        "berkas": nama_berkas,
                        "perubahan": [c.as_session() for c in pratinjau.perubahan],
                    }
    return render(
        request,
        "lokakarya/nilai/impor.html",
        {
            "lok": lok,
            "manages": True,
            "form": form,
            "pratinjau": pratinjau,
            "token": token,
            "nama_berkas": nama_berkas,
            "xlsx_tersedia": resources.xlsx_tersedia(),
        },
    )


@login_required
def nilai_saya(request, pk: int):
    """A participant's own scores; nobody else's are on this page."""
    lok = selectors.lokakarya_for_reading(request.user, pk)
    peserta = selectors.peserta_of_user(request.user, lok)
    if peserta is None:
        raise Http404
    return render(
        request,
        "lokakarya/nilai/nilai_saya.html",
        {
            "lok": lok,
            "manages": False,
            "peserta": peserta,
            "pre": angka(peserta.nilai_pre),
            "post": angka(peserta.nilai_post),
            "kenaikan": services_nilai.angka_bertanda(peserta.kenaikan),
            "grafik": charts.pre_post_svg(
                [(peserta.orang.nama, peserta.nilai_pre, peserta.nilai_post)]
            ),
        },
    )
