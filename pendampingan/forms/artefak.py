"""Forms of the CGP's artefacts: the CGP's text, the PP's comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pendampingan.models import ArtefakCGP, JenisArtefak
from program.versioning import VersionedFormMixin

# What each artefact answers, in the words of PI 1's prompts (seed 002).
PANDUAN = {
    JenisArtefak.PETA_POSISI_DIRI: _(
        "Kompetensi guru penggerak mana yang sudah baik pada diri Anda, dan mengapa? "
        "Mana yang perlu ditingkatkan, dan mengapa?"
    ),
    JenisArtefak.RENCANA_PENGEMBANGAN_DIRI: _(
        "Apa yang akan Anda lakukan untuk mengembangkan kompetensi yang perlu ditingkatkan, "
        "kapan, dan dengan dukungan siapa? Apa yang berubah setelah Anda menerima umpan balik?"
    ),
    JenisArtefak.KERANGKA_PORTOFOLIO: _(
        "Media atau platform apa yang Anda pakai untuk portofolio digital? Komponen apa saja "
        "yang akan dimuat, dan seperti apa penyajiannya?"
    ),
}


class _ArtefakVersi(VersionedFormMixin, forms.ModelForm):
    # The row is created by the CGP's first save: until then it carries version 0.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else 0


class ArtefakForm(_ArtefakVersi):
    tautan = forms.URLField(
        label=_("Tautan"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = ArtefakCGP
        fields = ("isi", "tautan")
        widgets = {"isi": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        data = super().clean()
        if not (data.get("isi") or "").strip() and not data.get("tautan"):
            raise forms.ValidationError(_("Tulis isinya atau cantumkan tautannya."))
        return data


class KomentarArtefakForm(_ArtefakVersi):
    class Meta:
        model = ArtefakCGP
        fields = ("komentar_pp",)
        widgets = {"komentar_pp": forms.Textarea(attrs={"rows": 3})}
