"""Forms of the other PGP journals: validation and layout only."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pendampingan.models import CatatanPP, JenisCatatan, JurnalFasilitasi, JurnalPemantauan
from program.versioning import VersionedFormMixin


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("simpan", label, css_class="btn-primary w-100"))
    return helper


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class JurnalModulForm(VersionedFormMixin, forms.ModelForm):
    """A per-modul journal. Its row is created on the first save, so an
    empty modul carries version 0 (the mixin's minimum is for saved rows)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else 0
        self.helper = _helper(_("Simpan jurnal"))


class PemantauanForm(JurnalModulForm):
    class Meta:
        model = JurnalPemantauan
        fields = ("kemajuan", "kendala", "dukungan")
        widgets = {name: _textarea() for name in fields}
        help_texts = {
            "kemajuan": _("Aktivitas dan tugas modul ini yang sudah diselesaikan CGP."),
            "kendala": _("Hambatan CGP selama pembelajaran daring modul ini."),
            "dukungan": _("Apa yang Anda lakukan atau tawarkan untuk membantu CGP."),
        }


class FasilitasiForm(JurnalModulForm):
    # The three questions of the journal, worded as in the programme's guide.
    class Meta:
        model = JurnalFasilitasi
        fields = ("pelajaran", "kelebihan", "kekurangan", "rekomendasi")
        widgets = {name: _textarea() for name in fields}
        help_texts = {
            "pelajaran": _(
                "Uraikan lesson learned yang Anda peroleh dari hasil fasilitasi "
                "pembelajaran peserta pada modul ini."
            ),
            "kelebihan": _(
                "Kelebihan yang dapat Anda simpulkan dari hasil fasilitasi pembelajaran "
                "peserta pada modul ini."
            ),
            "kekurangan": _(
                "Kekurangan yang dapat Anda simpulkan dari hasil fasilitasi pembelajaran "
                "peserta pada modul ini."
            ),
            "rekomendasi": _(
                "Rekomendasi terkait proses pembelajaran ataupun hal lainnya berdasarkan "
                "hasil fasilitasi pembelajaran peserta pada modul ini."
            ),
        }


class AutosaveClientForm(forms.Form):
    """Who sent an autosave: the browser tab's id and its edit counter.

    Both are optional: a journal form posted without JavaScript has neither
    and is saved the plain versioned way.
    """

    client_id = forms.RegexField(regex=r"^[A-Za-z0-9_-]{8,64}$", required=False)
    seq = forms.IntegerField(min_value=1, max_value=2**62, required=False)

    def client(self) -> tuple[str | None, int | None]:
        """(client_id, seq) when both came and are well-formed, else (None, None)."""
        if not self.is_valid() or not self.cleaned_data["client_id"]:
            return None, None
        if self.cleaned_data["seq"] is None:
            return None, None
        return self.cleaned_data["client_id"], self.cleaned_data["seq"]


class PenugasanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        label = f"{obj.cgp.nama} — {obj.sekolah.nama}"
        if obj.kelas_id:
            return _("%(cgp)s · dibaca %(fasilitator)s (%(kelas)s)") % {
                "cgp": label,
                "fasilitator": obj.kelas.fasilitator.nama,
                "kelas": obj.kelas.nama,
            }
        return _("%(cgp)s · belum ada kelas daring") % {"cgp": label}


class CatatanForm(forms.ModelForm):
    """Jurnal refleksi or jurnal komunikasi; `penugasan` is limited to the PP's CGP."""

    penugasan = PenugasanChoiceField(
        queryset=None,
        required=False,
        label=_("Tentang CGP"),
        empty_label=_("— Tidak tentang CGP tertentu —"),
        help_text=_(
            "Wajib untuk jurnal komunikasi: Fasilitator PGP kelas daring CGP tersebut "
            "yang membaca catatannya."
        ),
    )

    class Meta:
        model = CatatanPP
        fields = ("jenis", "penugasan", "judul", "isi", "tanggal")
        widgets = {
            "jenis": forms.RadioSelect,
            "isi": _textarea(8),
            "tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, penugasan_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penugasan"].queryset = penugasan_qs
        self.fields["jenis"].choices = JenisCatatan.choices
        if not self.is_bound:
            self.initial.setdefault("tanggal", timezone.localdate())
        self.helper = _helper(_("Simpan catatan"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("jenis") == JenisCatatan.KOMUNIKASI and not cleaned.get("penugasan"):
            self.add_error(
                "penugasan",
                _(
                    "Jurnal komunikasi harus tentang seorang CGP. Pilih CGP-nya agar "
                    "Fasilitator PGP kelas daring CGP tersebut dapat membacanya."
                ),
            )
        return cleaned
