"""The filter every export shares: school year, cohort, kabupaten/kota and jenjang.

A job stores the filter as plain values (`Saringan.to_params`) and its handler
rebuilds it (`Saringan.from_params`) when it runs: the job keeps the filter,
never a list of ids, so the rows are whatever the requester may see *then*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo.services import tahun_ajaran_of
from program.models import Angkatan, Jenjang, KabupatenKota
from program.widgets import SelectPanjang
from reports import access
from reports.selectors import dashboard as dasbor

FORMAT_XLSX = "xlsx"
FORMAT_CSV = "csv"
FORMATS = [
    (FORMAT_XLSX, _("XLSX (Excel, LibreOffice)")),
    (FORMAT_CSV, _("CSV (teks, dipisah koma)")),
]

# School years offered: next year (cohorts are planned ahead) and five back.
TAHUN_KE_DEPAN = 1
TAHUN_KE_BELAKANG = 5


def _int_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@dataclass(frozen=True)
class Saringan:
    """An export's filter as plain values; empty means "all"."""

    tahun_ajaran: int | None = None
    angkatan: int | None = None
    kabupaten: int | None = None
    jenjang: str = ""
    # A PP or facilitator of the region, as on the dashboard
    # (reports.selectors.dashboard.q_*_orang).
    orang: int | None = None

    @classmethod
    def from_params(cls, params: dict | None) -> Saringan:
        """Tolerant: a stored value that no longer makes sense is dropped, not fatal."""
        params = params or {}
        jenjang = params.get("jenjang") or ""
        return cls(
            tahun_ajaran=_int_or_none(params.get("tahun_ajaran")),
            angkatan=_int_or_none(params.get("angkatan")),
            kabupaten=_int_or_none(params.get("kabupaten")),
            jenjang=jenjang if jenjang in Jenjang.values else "",
            orang=_int_or_none(params.get("orang")),
        )

    def to_params(self) -> dict:
        return asdict(self)

    @property
    def rentang_tahun(self) -> tuple[dt.date, dt.date] | None:
        """First and last day of the school year (July–June), if one is chosen."""
        if self.tahun_ajaran is None:
            return None
        return dt.date(self.tahun_ajaran, 7, 1), dt.date(self.tahun_ajaran + 1, 6, 30)


def tahun_ajaran_choices(today: dt.date | None = None) -> list[tuple[int, str]]:
    current = tahun_ajaran_of(today or timezone.localdate())
    years = range(current + TAHUN_KE_DEPAN, current - TAHUN_KE_BELAKANG - 1, -1)
    return [(year, f"{year}/{year + 1}") for year in years]


class EksporForm(forms.Form):
    """The filter plus the file format; the kabupaten list is the user's region."""

    tahun_ajaran = forms.TypedChoiceField(
        label=_("Tahun ajaran"), coerce=int, empty_value=None, required=False
    )
    angkatan = forms.ModelChoiceField(
        label=_("Angkatan"),
        queryset=Angkatan.objects.none(),
        required=False,
        empty_label=_("Semua angkatan"),
    )
    kabupaten = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=KabupatenKota.objects.none(),
        required=False,
        empty_label=_("Semua kabupaten/kota di wilayah saya"),
        widget=SelectPanjang,
    )
    orang = forms.TypedChoiceField(
        label=_("PP atau fasilitator"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": _(
                "PP atau fasilitator ini tidak ada di daftar wilayah atau kabupaten/kota yang "
                "dipilih. Pilih dari daftar."
            )
        },
        help_text=_(
            "PP: CGP dampingannya dan sekolahnya; fasilitator: sekolah dampingannya dan "
            "lokakarya yang difasilitasinya."
        ),
    )
    jenjang = forms.ChoiceField(
        label=_("Jenjang"), choices=[("", _("Semua jenjang")), *Jenjang.choices], required=False
    )
    format = forms.ChoiceField(
        label=_("Format berkas"),
        choices=FORMATS,
        initial=FORMAT_XLSX,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih format berkas.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The dashboard's list of the region's PP and facilitators; in a region
        # of many people, those of the chosen kabupaten/kota only.
        chosen = self.data if self.is_bound else self.initial
        self.pilihan = dasbor.pilihan_untuk(user, {"kabupaten": chosen.get("kabupaten")})
        self.orang_per_kabupaten = self.pilihan.orang_per_kabupaten
        self.fields["orang"].choices = [
            ("", _("Semua PP dan fasilitator")),
            *self.pilihan.orang,
        ]
        self.fields["tahun_ajaran"].choices = [
            ("", _("Semua tahun ajaran")),
            *tahun_ajaran_choices(),
        ]
        self.fields["angkatan"].queryset = Angkatan.objects.select_related("program").order_by(
            "program__kode", "-nomor"
        )
        self.fields["kabupaten"].queryset = access.kabupaten_visible_to(user).order_by("nama")
        for name, field in self.fields.items():
            if name != "format":
                field.widget.attrs["class"] = "form-select"

    def saringan(self) -> Saringan:
        data = self.cleaned_data
        return Saringan(
            tahun_ajaran=data.get("tahun_ajaran"),
            angkatan=data["angkatan"].pk if data.get("angkatan") else None,
            kabupaten=data["kabupaten"].pk if data.get("kabupaten") else None,
            jenjang=data.get("jenjang") or "",
            orang=data.get("orang"),
        )
