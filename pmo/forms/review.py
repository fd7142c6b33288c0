"""Forms of the facilitator's review: feedback and the Forum Pokja record.

Validation and layout only; views pass cleaned data to `pmo.services`
(umpan_balik_add, forum_pokja_save).
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pmo.models import ForumPokja, InstrumenPMO
from program.dates import month_start
from program.versioning import VersionedFormMixin

LANGKAH_CHOICES = [
    (1, _("Langkah 1 — Refleksi pembelajaran")),
    (2, _("Langkah 2 — Akar masalah")),
    (3, _("Langkah 3 — Solusi")),
    (4, _("Langkah 4 — Tindak lanjut")),
]


class UmpanBalikForm(forms.Form):
    """Feedback on one step or on one action of this instrument.

    Posted from the instrument page and the "sejak bulan lalu" page; `next`
    (checked by the view) brings the facilitator back where they wrote it.
    """

    langkah = forms.TypedChoiceField(
        label=_("Langkah"),
        choices=[("", _("— pilih langkah —")), *LANGKAH_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Pilih langkah 1 sampai 4.")},
    )
    tindak_lanjut = forms.ModelChoiceField(
        label=_("Tindak lanjut"),
        queryset=None,
        required=False,
        empty_label=_("— tidak ada —"),
        error_messages={"invalid_choice": _("Tindak lanjut itu bukan bagian dari PMO ini.")},
    )
    isi = forms.CharField(
        label=_("Umpan balik"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan umpan balik.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, instrumen: InstrumenPMO, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this instrument's actions: another school's id is "not a choice".
        self.fields["tindak_lanjut"].queryset = instrumen.tindak_lanjut.order_by("mulai", "pk")
        self.fields["tindak_lanjut"].help_text = _(
            "Pilih tindak lanjut bila umpan balik ini untuk satu tindak lanjut (langkah 4)."
        )
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("kirim", _("Kirim umpan balik"), css_class="btn-primary w-100")
        )

    def clean(self):
        data = super().clean()
        if data.get("tindak_lanjut") is not None and not data.get("langkah"):
            data["langkah"] = 4  # an action belongs to step 4
        if not data.get("langkah") and "tindak_lanjut" not in self.errors:
            raise forms.ValidationError(
                _("Pilih langkah atau tindak lanjut yang diberi umpan balik.")
            )
        return data


FORUM_FIELDS = (
    "tanggal",
    "peserta",
    "koordinator_hadir",
    "capaian",
    "target",
    "hambatan",
    "kesepakatan",
)


class ForumPokjaForm(forms.ModelForm):
    """One school's monthly forum (2 JP); the month follows from the date."""

    class Meta:
        model = ForumPokja
        fields = FORUM_FIELDS
        labels = {
            "tanggal": _("Tanggal forum"),
            "peserta": _("Yang hadir"),
            "koordinator_hadir": _("Koordinator hadir (dihitung 1 JP untuk koordinator)"),
            "capaian": _("Capaian"),
            "target": _("Target"),
            "hambatan": _("Hambatan"),
            "kesepakatan": _("Kesepakatan"),
        }
        help_texts = {
            "tanggal": _("Satu catatan forum per sekolah per bulan; bulannya mengikuti tanggal."),
            "peserta": _("Satu nama per baris."),
            "kesepakatan": _("Satu kesepakatan per baris."),
        }
        widgets = {
            "tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "peserta": forms.Textarea(attrs={"rows": 4}),
            "capaian": forms.Textarea(attrs={"rows": 3}),
            "target": forms.Textarea(attrs={"rows": 3}),
            "hambatan": forms.Textarea(attrs={"rows": 3}),
            "kesepakatan": forms.Textarea(attrs={"rows": 3}),
        }

    submit_label = _("Simpan catatan forum")

    def __init__(self, *args, koordinator: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.koordinator = koordinator or []
        self.fields["tanggal"].required = True
        if self.koordinator:
            self.fields["koordinator_hadir"].help_text = _(
                "Bila dicentang, %(nama)s dicatat di daftar hadir."
            ) % {"nama": ", ".join(self.koordinator)}
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Pelaksanaan"), "tanggal", "peserta", "koordinator_hadir"),
            Fieldset(_("Pembahasan"), "capaian", "target", "hambatan", "kesepakatan"),
            *(["version"] if "version" in self.fields else []),
        )
        self.helper.add_input(Submit("simpan", self.submit_label, css_class="btn-primary w-100"))

    def clean_tanggal(self):
        tanggal = self.cleaned_data["tanggal"]
        if tanggal and tanggal > timezone.localdate():
            raise forms.ValidationError(
                _("Forum dicatat setelah berlangsung: tanggal tidak boleh di masa depan.")
            )
        # Moving a record into another month: forum_pokja_save checks the one
        # forum per month only when creating.
        if (
            tanggal
            and self.instance.pk
            and ForumPokja.objects.filter(
                sekolah_id=self.instance.sekolah_id, bulan=month_start(tanggal)
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("Forum pokja %(bulan)s untuk sekolah ini sudah dicatat. Ubah catatan itu.")
                % {"bulan": date_format(tanggal, "F Y")}
            )
        return tanggal

    def clean(self):
        data = super().clean()
        # The coordinator's presence (1 JP) is recorded in the attendance too.
        if data.get("koordinator_hadir") and self.koordinator:
            peserta = (data.get("peserta") or "").strip()
            present = {line.strip().casefold() for line in peserta.splitlines()}
            missing = [n for n in self.koordinator if n.casefold() not in present]
            data["peserta"] = "\n".join(filter(None, [peserta, *missing]))
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FORUM_FIELDS}


class ForumPokjaEditForm(VersionedFormMixin, ForumPokjaForm):
    submit_label = _("Simpan perubahan")
