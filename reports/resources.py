"""Column definitions of the coordinators' exports (django-import-export).

Each Resource reads one row as a dict: a `values()` row, or for PI sessions a
dict the exporter builds per CGP × PI. Values leave `export_resource(…,
force_native_type=True)` as Python values (dates stay dates, numbers stay
numbers) and `reports.exports` writes them as XLSX cells or CSV text, escaping
text that a spreadsheet would run as a formula. Column names are what the
coordinator reads in the header row, in Bahasa Indonesia.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from komunitas.models import StatusTahap, Tahap
from lokakarya.models import Kehadiran, PeranPeserta
from pendampingan.models import StatusJurnal
from pendampingan.selectors import Keadaan
from pmo.models import StatusTindakLanjut
from pmo.selectors.wilayah import bulan_sejak
from program.models import Jenjang


class PilihanWidget(widgets.Widget):
    """A stored choice shown as its label ("diajukan" → "Diajukan")."""

    def __init__(self, choices, *, kosong=""):
        super().__init__()
        self.labels = dict(choices)
        self.kosong = kosong

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return str(self.kosong)
        return str(self.labels.get(value, value))


class YaTidakWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _("Ya") if value else _("Tidak")


class TahunAjaranWidget(widgets.Widget):
    """2026 → "2026/2027"."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value}/{value + 1}"


def _teks(attribute: str, column_name, *, lebar: int = 30) -> fields.Field:
    field = fields.Field(attribute=attribute, column_name=column_name, widget=widgets.CharWidget())
    field.lebar = lebar  # column width in the XLSX
    return field


def _tanggal(attribute: str, column_name) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column_name, widget=widgets.DateWidget())


def _waktu(attribute: str, column_name) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=widgets.DateTimeWidget()
    )


def _angka(attribute: str, column_name) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=widgets.IntegerWidget()
    )


def _desimal(attribute: str, column_name) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=widgets.DecimalWidget()
    )


def _pilihan(attribute: str, column_name, choices, *, kosong="") -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=PilihanWidget(choices, kosong=kosong)
    )


class EksporResource(resources.Resource):
    """Base of the export Resources: a row dict in, native cell values out."""

    def __init__(self, *, now=None, **kwargs):
        super().__init__(**kwargs)
        # Anything relative ("months since the last update") is relative to
        # when the job ran, the same moment for every row.
        self.now = now or timezone.now()

    def baris(self, row: dict) -> list:
        return self.export_resource(row, force_native_type=True)

    def judul(self) -> list[str]:
        return self.get_export_headers()

    def lebar(self) -> list[int]:
        """Column widths for the XLSX: text as declared, the rest as wide as their header."""
        return [
            getattr(field, "lebar", None) or max(12, min(40, len(str(field.column_name)) + 2))
            for field in self.get_export_fields()
        ]


class SesiPIResource(EksporResource):
    """One row per CGP × PI 1–6, also for a PI not yet opened by the PP."""

    angkatan = _teks("angkatan", gettext_lazy("Angkatan"), lebar=14)
    kabupaten = _teks("nama_kabupaten", gettext_lazy("Kabupaten/kota"))
    npsn = _teks("npsn", gettext_lazy("NPSN"), lebar=11)
    sekolah = _teks("nama_sekolah", gettext_lazy("Sekolah"))
    pp = _teks("pp", gettext_lazy("Pengajar Praktik"))
    cgp = _teks("cgp", gettext_lazy("CGP"))
    pi = _angka("pi", gettext_lazy("PI ke-"))
    tanggal = _tanggal("tanggal", gettext_lazy("Tanggal sesi"))
    keadaan = _pilihan("keadaan", gettext_lazy("Keadaan PI"), Keadaan.LABELS.items())
    status_jurnal = _pilihan(
        "status_jurnal",
        gettext_lazy("Status jurnal"),
        StatusJurnal.choices,
        kosong=gettext_lazy("Belum ada"),
    )
    diajukan_at = _waktu("diajukan_at", gettext_lazy("Jurnal diajukan pada"))
    jumlah_rtl = _angka("jumlah_rtl", gettext_lazy("Jumlah RTL"))


class KehadiranResource(EksporResource):
    lokakarya = _teks("nama_lokakarya", gettext_lazy("Lokakarya"))
    tanggal = _tanggal("tanggal", gettext_lazy("Tanggal"))
    kabupaten = _teks("nama_kabupaten", gettext_lazy("Kabupaten/kota"))
    nama = _teks("nama", gettext_lazy("Nama peserta"))
    unsur = _pilihan("peran", gettext_lazy("Unsur"), PeranPeserta.choices)
    sekolah = _teks("instansi", gettext_lazy("Sekolah/instansi"))
    kehadiran = _pilihan("kehadiran", gettext_lazy("Kehadiran"), Kehadiran.choices)


class NilaiLokakaryaResource(EksporResource):
    lokakarya = _teks("nama_lokakarya", gettext_lazy("Lokakarya"))
    tanggal = _tanggal("tanggal", gettext_lazy("Tanggal"))
    kabupaten = _teks("nama_kabupaten", gettext_lazy("Kabupaten/kota"))
    nama = _teks("nama", gettext_lazy("Nama peserta"))
    unsur = _pilihan("peran", gettext_lazy("Unsur"), PeranPeserta.choices)
    sekolah = _teks("instansi", gettext_lazy("Sekolah/instansi"))
    pre = _desimal("nilai_pre", gettext_lazy("Nilai pre-test"))
    post = _desimal("nilai_post", gettext_lazy("Nilai post-test"))
    kenaikan = _desimal("kenaikan", gettext_lazy("Kenaikan (post − pre)"))


class TindakLanjutPMOResource(EksporResource):
    kabupaten = _teks("nama_kabupaten", gettext_lazy("Kabupaten/kota"))
    npsn = _teks("npsn", gettext_lazy("NPSN"), lebar=11)
    sekolah = _teks("nama_sekolah", gettext_lazy("Sekolah"))
    jenjang = _pilihan("jenjang", gettext_lazy("Jenjang"), Jenjang.choices)
    tahun_ajaran = fields.Field(
        attribute="tahun_ajaran",
        column_name=gettext_lazy("Tahun ajaran"),
        widget=TahunAjaranWidget(),
    )
    siklus = _angka("siklus", gettext_lazy("Siklus PMO"))
    aktivitas = _teks("aktivitas", gettext_lazy("Tindak lanjut"))
    status = _pilihan("status", gettext_lazy("Status saat ini"), StatusTindakLanjut.choices)
    diperbarui_at = _waktu("diperbarui_at", gettext_lazy("Terakhir diperbarui"))
    bulan_sejak = fields.Field(
        attribute="diperbarui_at", column_name=gettext_lazy("Bulan sejak pembaruan terakhir")
    )
    tereskalasi = fields.Field(
        attribute="tereskalasi", column_name=gettext_lazy("Tereskalasi"), widget=YaTidakWidget()
    )

    def dehydrate_bulan_sejak(self, row: dict) -> int | None:
        return bulan_sejak(row["diperbarui_at"], self.now)


def _kolom_tahap() -> dict[str, fields.Field]:
    """Status and date reached of stages 1–5, side by side per school."""
    columns = {}
    for tahap in Tahap:
        columns[f"tahap_{tahap.value}_status"] = _pilihan(
            f"tahap_{tahap.value}_status",
            format_lazy("{} {}: {}", gettext_lazy("Tahap"), tahap.value, tahap.label),
            StatusTahap.choices,
            kosong=StatusTahap.BELUM.label,
        )
        columns[f"tahap_{tahap.value}_tanggal"] = _tanggal(
            f"tahap_{tahap.value}_tanggal",
            format_lazy("{} {}", gettext_lazy("Tanggal tercapai tahap"), tahap.value),
        )
    return columns


class _TahapKomunitasKolom(EksporResource):
    kabupaten = _teks("nama_kabupaten", gettext_lazy("Kabupaten/kota"))
    npsn = _teks("npsn", gettext_lazy("NPSN"), lebar=11)
    sekolah = _teks("nama_sekolah", gettext_lazy("Sekolah"))
    jenjang = _pilihan("jenjang", gettext_lazy("Jenjang"), Jenjang.choices)


# Built with type() so that the resource metaclass sees the ten generated columns
# as declared fields, in order, after the school columns.
TahapKomunitasResource = type(
    "TahapKomunitasResource",
    (_TahapKomunitasKolom,),
    {"__module__": __name__, "__doc__": "One row per school: stages 1–5.", **_kolom_tahap()},
)
