"""Forms of coaching kepala sekolah: validation and layout only.

Views pass the cleaned data to `pendampingan.services` (coaching_create,
coaching_update, rencana_coaching_set).
"""

from __future__ import annotations

import datetime as dt
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pendampingan.models import RencanaCoaching, SesiCoaching, TopikPilihan, lines
from program.dates import month_start
from program.versioning import VersionedFormMixin

# What a facilitator records; `topik_wajib` is shown but never taken from a request.
SESI_FIELDS = (
    "tanggal",
    "menit_topik_wajib",
    "topik_pilihan",
    "rincian_topik",
    "catatan",
    "kesepakatan",
)
MENIT_WAJIB_MIN, MENIT_WAJIB_MAX = 20, 30
BULAN_PER_RENCANA = 3

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# --- months -------------------------------------------------------------------


def parse_month(value: str | None, *, default: dt.date | None = None) -> dt.date:
    """`YYYY-MM` (what <input type="month"> sends) → first day; else `default`."""
    fallback = default or month_start(timezone.localdate())
    match = _MONTH.match((value or "").strip())
    if not match:
        return fallback
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return fallback
    return dt.date(year, month, 1)


def month_label(day: dt.date) -> str:
    return date_format(day, "F Y")


# --- a coaching session --------------------------------------------------------


class SesiCoachingForm(forms.ModelForm):
    topik_wajib = forms.CharField(
        label=_("Topik wajib"),
        disabled=True,
        required=False,
        help_text=_("Dibahas pada setiap sesi coaching."),
    )
    menit_topik_wajib = forms.IntegerField(
        label=_("Lama pembahasan topik wajib (menit)"),
        min_value=MENIT_WAJIB_MIN,
        max_value=MENIT_WAJIB_MAX,
        initial=25,
        help_text=_("20–30 menit."),
        error_messages={
            "min_value": _(
                "Topik wajib (pembelajaran paradigma baru) dibahas 20–30 menit setiap sesi; "
                "isi paling sedikit 20 menit."
            ),
            "max_value": _(
                "Topik wajib (pembelajaran paradigma baru) dibahas 20–30 menit setiap sesi; "
                "isi paling lama 30 menit."
            ),
            "required": _("Isi lama pembahasan topik wajib (20–30 menit)."),
            "invalid": _("Isi lama pembahasan topik wajib dengan angka 20–30."),
        },
    )
    topik_pilihan = forms.ChoiceField(
        label=_("Topik yang dibahas"),
        choices=TopikPilihan.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih topik pilihan 1 atau 2.")},
    )

    class Meta:
        model = SesiCoaching
        fields = ("tanggal", "topik_wajib", *SESI_FIELDS[1:])
        labels = {
            "tanggal": _("Tanggal sesi"),
            "rincian_topik": _("Rincian topik pilihan"),
            "catatan": _("Catatan coaching"),
            "kesepakatan": _("Tindakan yang disepakati"),
        }
        help_texts = {
            "rincian_topik": _(
                "Mis. lokakarya terakhir dan aksi nyatanya, atau isu kepemimpinan yang dibahas."
            ),
            "kesepakatan": _("Satu tindakan per baris."),
        }
        widgets = {
            "tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "catatan": forms.Textarea(attrs={"rows": 6}),
            "kesepakatan": forms.Textarea(attrs={"rows": 4}),
        }

    submit_label = _("Simpan sesi coaching")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tanggal"].error_messages["required"] = _("Isi tanggal sesi.")
        # A new instance is not copied into `initial`; show its default topic.
        self.fields["topik_wajib"].initial = self.instance.topik_wajib
        self.helper = FormHelper()
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(
            "tanggal",
            Fieldset(_("Topik wajib"), "topik_wajib", "menit_topik_wajib"),
            Fieldset(_("Topik pilihan"), "topik_pilihan", "rincian_topik"),
            Fieldset(_("Hasil coaching"), "catatan", "kesepakatan"),
        )
        self.helper.add_input(Submit("simpan", self.submit_label, css_class="btn-primary w-100"))

    def clean_tanggal(self):
        tanggal = self.cleaned_data["tanggal"]
        if tanggal > timezone.localdate():
            raise forms.ValidationError(
                _("Tanggal sesi belum terjadi. Catat sesi setelah coaching dilaksanakan.")
            )
        return tanggal

    def clean_kesepakatan(self):
        return "\n".join(lines(self.cleaned_data.get("kesepakatan", "")))

    def service_data(self) -> dict:
        """The fields a service may write (never `topik_wajib`)."""
        return {name: self.cleaned_data[name] for name in SESI_FIELDS}


class SesiCoachingEditForm(VersionedFormMixin, SesiCoachingForm):
    submit_label = _("Simpan perubahan")


# --- the quarter's plan --------------------------------------------------------


class RencanaTriwulanForm(forms.Form):
    """Topik pilihan of three consecutive months starting at `mulai`."""

    def __init__(self, *args, mulai: dt.date, existing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.bulan = [month_start(mulai, months=i) for i in range(BULAN_PER_RENCANA)]
        by_month: dict[dt.date, RencanaCoaching] = {r.bulan: r for r in existing}
        fieldsets = []
        for i, bulan in enumerate(self.bulan):
            current = by_month.get(bulan)
            self.fields[f"topik_{i}"] = forms.ChoiceField(
                label=_("Topik pilihan"),
                choices=TopikPilihan.choices,
                widget=forms.RadioSelect,
                initial=current.topik_pilihan if current else None,
                error_messages={"required": _("Pilih topik pilihan untuk bulan ini.")},
            )
            self.fields[f"rincian_{i}"] = forms.CharField(
                label=_("Rincian topik"),
                max_length=500,
                required=False,
                initial=current.rincian if current else "",
                help_text=_("Mis. lokakarya yang akan dibahas, atau isu yang ingin didiskusikan."),
            )
            fieldsets.append(Fieldset(month_label(bulan), f"topik_{i}", f"rincian_{i}"))
        self.helper = FormHelper()
        self.helper.layout = Layout(*fieldsets)
        self.helper.add_input(Submit("simpan", _("Simpan rencana"), css_class="btn-primary w-100"))

    def rows(self) -> list[dict]:
        return [
            {
                "bulan": bulan,
                "topik_pilihan": self.cleaned_data[f"topik_{i}"],
                "rincian": self.cleaned_data[f"rincian_{i}"].strip(),
            }
            for i, bulan in enumerate(self.bulan)
        ]
