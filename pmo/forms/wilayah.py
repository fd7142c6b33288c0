"""Forms of the coordinator's pages: the region filter and handling an escalation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from program.models import Jenjang
from program.widgets import SelectPanjang


class FilterWilayahForm(forms.Form):
    kabupaten = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=None,
        required=False,
        empty_label=_("Semua kabupaten/kota"),
        widget=SelectPanjang,
    )
    jenjang = forms.ChoiceField(
        label=_("Jenjang"),
        choices=[("", _("Semua jenjang")), *Jenjang.choices],
        required=False,
    )

    def __init__(self, *args, kabupaten_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].queryset = kabupaten_qs
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """The filter as plain values (what a CSV job stores); invalid → no filter."""
        if not self.is_valid():
            return {"kabupaten": None, "jenjang": ""}
        kabupaten = self.cleaned_data["kabupaten"]
        return {
            "kabupaten": kabupaten.pk if kabupaten else None,
            "jenjang": self.cleaned_data["jenjang"] or "",
        }


class TanganiEskalasiForm(forms.Form):
    catatan = forms.CharField(
        label=_("Catatan penanganan"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("Apa yang sudah dilakukan atau disepakati dengan sekolah."),
        error_messages={"required": _("Tuliskan catatan penanganan.")},
    )
