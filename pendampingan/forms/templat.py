"""The operator's form of a PI template: its description and its steps."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from pendampingan.models import LangkahPI, TemplatPI


class TemplatPIForm(forms.ModelForm):
    # Where the template's history stood when the form was opened (a later
    # save by someone else is a conflict, see services.templat.templat_update).
    riwayat = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TemplatPI
        fields = (
            "tema",
            "lokakarya_ke",
            "waktu",
            "tujuan",
            "fokus",
            "menit_awal",
            "menit_inti",
            "menit_akhir",
        )
        widgets = {
            "tujuan": forms.Textarea(attrs={"rows": 3}),
            "fokus": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "waktu": _("Kosongkan bila program belum menyebutkannya."),
        }


class LangkahPIForm(forms.ModelForm):
    class Meta:
        model = LangkahPI
        fields = ("urutan", "bagian", "judul", "menit", "kegiatan", "pertanyaan")
        widgets = {
            "urutan": forms.NumberInput(attrs={"min": 1, "class": "form-control-sm"}),
            "kegiatan": forms.Textarea(attrs={"rows": 3}),
            "pertanyaan": forms.Textarea(attrs={"rows": 3}),
        }


LangkahFormSet = inlineformset_factory(
    TemplatPI,
    LangkahPI,
    form=LangkahPIForm,
    extra=2,
    can_delete=True,
)
