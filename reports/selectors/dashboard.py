"""Reads of the region dashboard: every number is an SQL aggregate.

Scope: a coordinator sees their kabupaten/kota, operators every region,
through reports.access (and pmo.selectors.wilayah for PMO); nothing here
loops over data rows in Python, only over the aggregated rows (one per PP,
kabupaten, workshop, step, status or stage), so the number of queries stays
the same at any size.

The filter (`Saringan`) holds plain values only — it is what a PDF job
stores — and is checked against the choices the user may pick (`Pilihan`):
a value outside them is dropped, never trusted.

The period: with an angkatan chosen, PI and workshops follow that cohort;
without one, they follow the school year (tahun ajaran), which also selects
the PMO instrument year. Komunitas stages are the schools' current state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from komunitas.models import StatusTahap, Tahap
from lokakarya.models import Kehadiran, Lokakarya, Peserta
from pendampingan.models import SesiPI, StatusJurnal
from pmo import reference as pmo_reference
from pmo.models import SiklusPMO, StatusTindakLanjut, TindakLanjut
from pmo.selectors import eskalasi_filter
from pmo.selectors.wilayah import kabupaten_wilayah, langkah_tercapai_sql, sekolah_wilayah
from pmo.services import periode_pmo, tahun_ajaran_of
from program.models import (
    Angkatan,
    JadwalLokakarya,
    Jenjang,
    PenugasanPP,
    Peran,
    Sekolah,
)
from reports import access
from reports.selectors.orang import (
    orang_wilayah,
    pilihan_orang,
    q_lokakarya_orang,
    q_penugasan_orang,
    q_sekolah_orang,
)

_SEN = Decimal("0.01")


def oversees_region(user) -> bool:
    """Coordinators (of at least one kabupaten/kota) and operators."""
    # roles_of is cached on the user and read by every page's menu anyway: no
    # query of its own, where kabupaten_wilayah(user).exists() was one more.
    return access.is_operator(user) or Peran.KOORDINATOR in access.roles_of(user)


# --- the filter -----------------------------------------------------------------------


@dataclass(frozen=True)
class Saringan:
    tahun: int
    angkatan: int | None = None
    kabupaten: int | None = None
    orang: int | None = None
    jenjang: str = ""

    def as_params(self) -> dict:
        """Plain values for a URL or a job's params (empty values left out)."""
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def awal_tahun_ajaran(tahun: int) -> dt.date:
    return dt.date(tahun, 7, 1)


@dataclass
class Pilihan:
    """What a user may filter by: cohorts, school years, their kabupaten/kota,
    the PP and facilitators of their region, jenjang."""

    tahun_ini: int
    angkatan: list[Angkatan]
    tahun: list[int]
    kabupaten: list[tuple[int, str]]
    orang: list[tuple[int, str]]
    jenjang: list[tuple[str, str]] = field(default_factory=lambda: list(Jenjang.choices))
    # The region has more than BATAS_ORANG people: `orang` holds those of the
    # chosen kabupaten/kota only (none while no kabupaten/kota is chosen).
    orang_per_kabupaten: bool = False

    def angkatan_of(self, pk: int | None) -> Angkatan | None:
        return next((a for a in self.angkatan if a.pk == pk), None)

    def saringan(self, data: Mapping) -> tuple[Saringan, bool]:
        """The filter from a query string or job params; (filter, had invalid values)."""
        invalid = False

        def pick(name: str, allowed) -> int | None:
            nonlocal invalid
            raw = data.get(name)
            if raw in (None, ""):
                return None
            try:
                value = int(raw)
            except (TypeError, ValueError):
                invalid = True
                return None
            if value not in allowed:
                invalid = True
                return None
            return value

        tahun = pick("tahun", range(2000, 2101))
        jenjang = str(data.get("jenjang") or "")
        if jenjang and jenjang not in Jenjang.values:
            invalid, jenjang = True, ""
        saringan = Saringan(
            tahun=self.tahun_ini if tahun is None else tahun,
            angkatan=pick("angkatan", {a.pk for a in self.angkatan}),
            kabupaten=pick("kabupaten", {pk for pk, _nama in self.kabupaten}),
            orang=pick("orang", {pk for pk, _nama in self.orang}),
            jenjang=jenjang,
        )
        return saringan, invalid

    def kata_saringan(
        self,
        saringan: Saringan,
        bagian: tuple[str, ...] = ("angkatan", "kabupaten", "orang", "jenjang"),
    ) -> str:
        """The narrowing part of the filter in words ("Lombok Timur · SMA"), ""
        when nothing narrows it; the school year is in every page's header."""
        words = {
            "angkatan": str(self.angkatan_of(saringan.angkatan) or ""),
            "kabupaten": dict(self.kabupaten).get(saringan.kabupaten, ""),
            "orang": dict(self.orang).get(saringan.orang, ""),
            "jenjang": saringan.jenjang,
        }
        return " · ".join(words[name] for name in bagian if words[name])

    def label(self, saringan: Saringan) -> list[tuple[str, str]]:
        """The filter in words, for the PDF header and the page."""
        angkatan = self.angkatan_of(saringan.angkatan)
        return [
            (str(_("Tahun ajaran")), f"{saringan.tahun}/{saringan.tahun + 1}"),
            (str(_("Angkatan")), str(angkatan) if angkatan else str(_("Semua angkatan"))),
            (
                str(_("Kabupaten/kota")),
                dict(self.kabupaten).get(saringan.kabupaten, str(_("Semua di wilayah"))),
            ),
            (
                str(_("PP/fasilitator")),
                dict(self.orang).get(saringan.orang, str(_("Semua"))),
            ),
            (str(_("Jenjang")), saringan.jenjang or str(_("Semua jenjang"))),
        ]


def _wilayah(user) -> QuerySet:
    return access.kabupaten_visible_to(user).values("pk")


# Above this many PP and facilitators in the region (an operator's whole
# country: 17k, a 1 MB <select>), the person filter lists one kabupaten/kota's.
BATAS_ORANG = 300


def pilihan_untuk(user, data: Mapping, *, simpan=None) -> Pilihan:
    """The choices for a filter given as a query string or a job's params: in a
    region of many people, those of the kabupaten/kota the filter names.

    `simpan(name, compute)` may keep each part (the page passes the dashboard
    cache); by default both are computed here.
    """
    simpan = simpan or (lambda _name, compute: compute())
    pilihan = simpan("reports:dasbor:pilihan", lambda: pilihan_saringan(user))
    if pilihan.orang_per_kabupaten:
        kabupaten = pilihan.saringan(data)[0].kabupaten
        if kabupaten:
            region = pilihan
            pilihan = simpan(
                f"reports:dasbor:pilihan:{kabupaten}",
                lambda: replace(
                    region, orang=pilihan_orang(orang_wilayah(user, kabupaten=kabupaten))
                ),
            )
    return pilihan


def pilihan_saringan(user, *, today: dt.date | None = None) -> Pilihan:
    """What the user may filter by. A region with more than BATAS_ORANG people
    lists none here (`orang_per_kabupaten`): pilihan_untuk adds those of the
    chosen kabupaten/kota."""
    today = today or timezone.localdate()
    tahun_ini = tahun_ajaran_of(today)
    angkatan = list(Angkatan.objects.select_related("program").order_by("-tanggal_mulai", "pk"))
    years = {tahun_ini, tahun_ini - 1}
    for a in angkatan:
        years.update(
            range(tahun_ajaran_of(a.tanggal_mulai), tahun_ajaran_of(a.tanggal_selesai) + 1)
        )
    people = list(orang_wilayah(user)[: BATAS_ORANG + 1])
    per_kabupaten = len(people) > BATAS_ORANG
    return Pilihan(
        tahun_ini=tahun_ini,
        angkatan=angkatan,
        tahun=sorted(years, reverse=True),
        kabupaten=[(k.pk, k.nama) for k in kabupaten_wilayah(user)],
        orang=[] if per_kabupaten else pilihan_orang(people),
        orang_per_kabupaten=per_kabupaten,
    )


def nama_total(kata: str, default) -> str:
    """A total row's name: what it sums ("Jumlah: Lombok Timur · SMA"), or
    `default` ("Seluruh wilayah") when the filter narrows nothing."""
    if not kata:
        return str(default)
    return str(_("Jumlah: %(saringan)s") % {"saringan": kata})


def _sekolah(qs: QuerySet[Sekolah], s: Saringan) -> QuerySet[Sekolah]:
    if s.kabupaten:
        qs = qs.filter(kabupaten_id=s.kabupaten)
    if s.jenjang:
        qs = qs.filter(jenjang=s.jenjang)
    if s.orang:
        qs = qs.filter(q_sekolah_orang(s.orang))
    return qs


# --- PI -----------------------------------------------------------------------------


class KeadaanPI:
    """The dashboard's four PI states (pendampingan's five, with "terjadwal"
    and "draf" merged into "berjalan" while not late)."""

    SELESAI = "selesai"
    TERLAMBAT = "terlambat"
    BERJALAN = "berjalan"
    BELUM = "belum"

    LABELS = {
        SELESAI: _("Selesai"),
        TERLAMBAT: _("Terlambat"),
        BERJALAN: _("Berjalan"),
        BELUM: _("Belum dimulai"),
    }
    PENJELASAN = {
        SELESAI: _("jurnal sudah diajukan"),
        TERLAMBAT: _("belum selesai dan tanggal lokakarya berikutnya sudah tiba"),
        BERJALAN: _("sudah dijadwalkan atau jurnal masih draf, belum terlambat"),
        BELUM: _("belum dijadwalkan dan belum terlambat"),
    }


@dataclass(frozen=True)
class BarisPI:
    nama: str
    cgp: int
    # The PI the CGP have in all: each cohort's version says how many per CGP.
    jumlah_pi: int
    selesai: int
    terlambat: int
    berjalan: int
    jurnal_menunggu: int

    @property
    def belum(self) -> int:
        return self.jumlah_pi - self.selesai - self.terlambat - self.berjalan

    @property
    def persen_selesai(self) -> Decimal | None:
        return persen(self.selesai, self.jumlah_pi)

    def as_plain(self) -> dict:
        return {**asdict(self), "belum": self.belum}


def persen(bagian, total, places: int = 1) -> Decimal | None:
    """`bagian` as a percentage of `total`, rounded half up; no total: None."""
    if not total:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(bagian) * 100 / Decimal(total)).quantize(quantum, rounding=ROUND_HALF_UP)


def penugasan_dasbor(user, s: Saringan, pilihan: Pilihan) -> QuerySet[PenugasanPP]:
    """The region's PP→CGP pairs within the filter."""
    qs = access.penugasan_pp_visible_to(user).filter(sekolah__kabupaten__in=_wilayah(user))
    if s.angkatan:
        qs = qs.filter(angkatan_id=s.angkatan)
    else:
        qs = qs.filter(
            angkatan__tanggal_mulai__lt=awal_tahun_ajaran(s.tahun + 1),
            angkatan__tanggal_selesai__gte=awal_tahun_ajaran(s.tahun),
        )
    if s.kabupaten:
        qs = qs.filter(sekolah__kabupaten_id=s.kabupaten)
    if s.jenjang:
        qs = qs.filter(sekolah__jenjang=s.jenjang)
    if s.orang:
        qs = qs.filter(q_penugasan_orang(s.orang))
    return qs


# Journal text as the PP wrote it. `jawaban` is JSON {"<step>": "<text>"}; a
# value with a non-blank character after optional (escaped) whitespace is
# content, the same rule as JurnalPendampingan.has_content.
_JAWABAN_BERISI = r':\s*"(\s|\\[nrtfb])*([^"\s\\]|\\[^nrtfb])'


def _jurnal_berisi() -> Q:
    return (
        Q(jurnal__sudah_baik__regex=r"\S")
        | Q(jurnal__perlu_ditingkatkan__regex=r"\S")
        | Q(jurnal__catatan__regex=r"\S")
        | Q(_jawaban__regex=_JAWABAN_BERISI)
    )


def _hitung_sesi(condition: Q, today: dt.date) -> Coalesce:
    """Sessions of the outer pair (the PI of its cohort's version) meeting `condition`,
    counted in SQL.

    `lewat` marks a session whose deadline (the cohort's lokakarya N) has come.
    """
    sesi = (
        SesiPI.objects.filter(
            penugasan=OuterRef("pk"), urutan__lte=OuterRef("angkatan__versi__jumlah_pi")
        )
        .annotate(
            lewat=Exists(
                JadwalLokakarya.objects.filter(
                    angkatan=OuterRef(OuterRef("angkatan")),
                    ke=OuterRef("urutan"),
                    tanggal__lte=today,
                )
            ),
            _jawaban=Cast("jurnal__jawaban", TextField()),
        )
        .filter(condition)
        .order_by()
        .values("penugasan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sesi, output_field=IntegerField()), Value(0))


def _penugasan_terhitung(qs: QuerySet[PenugasanPP], today: dt.date) -> QuerySet[PenugasanPP]:
    """Each pair with its cells counted by state (subqueries, one row per pair)."""
    selesai = Q(jurnal__status=StatusJurnal.DIAJUKAN)
    lewat = (
        JadwalLokakarya.objects.filter(
            angkatan=OuterRef("angkatan"),
            ke__gte=1,
            ke__lte=OuterRef("angkatan__versi__jumlah_pi"),
            tanggal__lte=today,
        )
        .order_by()
        .values("angkatan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        n_pi=F("angkatan__versi__jumlah_pi"),
        n_lewat=Coalesce(Subquery(lewat, output_field=IntegerField()), Value(0)),
        n_selesai=_hitung_sesi(selesai, today),
        n_selesai_lewat=_hitung_sesi(selesai & Q(lewat=True), today),
        n_berjalan=_hitung_sesi(
            ~selesai & Q(lewat=False) & (Q(tanggal__isnull=False) | _jurnal_berisi()), today
        ),
        n_menunggu=_hitung_sesi(Q(jurnal__status=StatusJurnal.DRAF) & _jurnal_berisi(), today),
    )


_JUMLAH_PI = ("cgp", "pi", "lewat", "selesai", "selesai_lewat", "berjalan", "menunggu")


def _baris_pi(nama: str | None, r: Mapping) -> BarisPI:
    return BarisPI(
        nama=nama or "",
        cgp=r["cgp"],
        jumlah_pi=r["pi"],
        selesai=r["selesai"],
        terlambat=r["lewat"] - r["selesai_lewat"],
        berjalan=r["berjalan"],
        jurnal_menunggu=r["menunggu"],
    )


@dataclass
class RingkasanPI:
    per_pp: list[BarisPI]
    per_kabupaten: list[BarisPI]
    # The total row's name: the filter it sums, see nama_total.
    nama_total: str = ""

    @property
    def total(self) -> BarisPI:
        rows = self.per_kabupaten
        return BarisPI(
            nama=self.nama_total or str(_("Seluruh wilayah")),
            cgp=sum(r.cgp for r in rows),
            jumlah_pi=sum(r.jumlah_pi for r in rows),
            selesai=sum(r.selesai for r in rows),
            terlambat=sum(r.terlambat for r in rows),
            berjalan=sum(r.berjalan for r in rows),
            jurnal_menunggu=sum(r.jurnal_menunggu for r in rows),
        )


def ringkasan_pi(
    user, s: Saringan, pilihan: Pilihan, *, today: dt.date | None = None
) -> RingkasanPI:
    """PI completion per PP and per kabupaten/kota: one query of the pairs'
    counts grouped by both, summed here both ways, so that each pair's sessions
    are counted once rather than once per table (national scale: 6.4 s + 3.6 s
    for the two grouped queries)."""
    today = today or timezone.localdate()
    base = _penugasan_terhitung(penugasan_dasbor(user, s, pilihan).order_by(), today)
    rows = (
        base.values("pp_id", "pp__nama", "sekolah__kabupaten_id", "sekolah__kabupaten__nama")
        .annotate(
            cgp=Count("pk"),
            pi=Sum("n_pi"),
            lewat=Sum("n_lewat"),
            selesai=Sum("n_selesai"),
            selesai_lewat=Sum("n_selesai_lewat"),
            berjalan=Sum("n_berjalan"),
            menunggu=Sum("n_menunggu"),
        )
        # PostgreSQL's order of names (its collation), for the PP table.
        .order_by("pp__nama", "pp_id", "sekolah__kabupaten_id")
    )
    per_pp: dict[int, tuple[str, dict]] = {}
    per_kabupaten: dict[int, tuple[str, dict]] = {}
    for r in rows:
        for pk, nama, total in (
            (r["pp_id"], r["pp__nama"], per_pp),
            (r["sekolah__kabupaten_id"], r["sekolah__kabupaten__nama"], per_kabupaten),
        ):
            jumlah = total.setdefault(pk, (nama, dict.fromkeys(_JUMLAH_PI, 0)))[1]
            for name in _JUMLAH_PI:
                jumlah[name] += r[name] or 0
    # Kabupaten/kota in the order of the filter's list (by name, in SQL).
    urutan = {pk: i for i, (pk, _nama) in enumerate(pilihan.kabupaten)}
    kabupaten = sorted(
        per_kabupaten.items(), key=lambda item: (urutan.get(item[0], len(urutan)), item[1][0])
    )
    return RingkasanPI(
        per_pp=[_baris_pi(nama, jumlah) for nama, jumlah in per_pp.values()],
        per_kabupaten=[_baris_pi(nama, jumlah) for _pk, (nama, jumlah) in kabupaten],
        nama_total=nama_total(pilihan.kata_saringan(s), _("Seluruh wilayah")),
    )


# --- workshops ------------------------------------------------------------------------


@dataclass(frozen=True)
class BarisLokakarya:
    nama: str
    tanggal: dt.date | None
    kabupaten: str
    peserta: int
    dicatat: int
    hadir: int
    pasangan: int
    rata_pre: Decimal | None
    rata_post: Decimal | None
    rata_kenaikan: Decimal | None

    @property
    def tingkat_kehadiran(self) -> Decimal | None:
        return persen(self.hadir, self.dicatat)


def lokakarya_dasbor(user, s: Saringan, pilihan: Pilihan) -> QuerySet[Lokakarya]:
    qs = access.lokakarya_visible_to(user).filter(kabupaten__in=_wilayah(user))
    angkatan = pilihan.angkatan_of(s.angkatan)
    if angkatan is not None:
        # Workshops of the cohort: linked to it, or of its programme in its dates.
        qs = qs.filter(
            Q(angkatan=angkatan)
            | Q(
                angkatan__isnull=True,
                program_id=angkatan.program_id,
                tanggal_mulai__range=(angkatan.tanggal_mulai, angkatan.tanggal_selesai),
            )
        )
    else:
        qs = qs.filter(
            tanggal_mulai__gte=awal_tahun_ajaran(s.tahun),
            tanggal_mulai__lt=awal_tahun_ajaran(s.tahun + 1),
        )
    if s.kabupaten:
        qs = qs.filter(kabupaten_id=s.kabupaten)
    if s.orang:
        qs = qs.filter(q_lokakarya_orang(s.orang))
    return qs


HADIR = [Kehadiran.HADIR, Kehadiran.TERLAMBAT]
DICATAT = [Kehadiran.HADIR, Kehadiran.TERLAMBAT, Kehadiran.TIDAK_HADIR]


def _agregat_peserta(prefix: str, jenjang: str) -> dict:
    """Attendance and score aggregates over participants (with a jenjang, only
    participants from schools of that jenjang count)."""

    def q(**lookups) -> Q:
        out = Q(**{f"{prefix}{k}": v for k, v in lookups.items()})
        if jenjang:
            out &= Q(**{f"{prefix}sekolah__jenjang": jenjang})
        return out

    pk = f"{prefix}pk" if prefix else "pk"
    pasangan = q(nilai_pre__isnull=False, nilai_post__isnull=False)
    return {
        "n_peserta": Count(pk, filter=q()) if jenjang else Count(pk),
        "n_dicatat": Count(pk, filter=q(kehadiran__in=DICATAT)),
        "n_hadir": Count(pk, filter=q(kehadiran__in=HADIR)),
        "n_pasangan": Count(pk, filter=pasangan),
        "rata_pre": Avg(f"{prefix}nilai_pre", filter=pasangan),
        "rata_post": Avg(f"{prefix}nilai_post", filter=pasangan),
        "rata_kenaikan": Avg(F(f"{prefix}nilai_post") - F(f"{prefix}nilai_pre"), filter=pasangan),
    }


def _desimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(_SEN, rounding=ROUND_HALF_UP)


def _baris_lokakarya(nama: str, tanggal, kabupaten: str, r: Mapping) -> BarisLokakarya:
    return BarisLokakarya(
        nama=nama,
        tanggal=tanggal,
        kabupaten=kabupaten,
        peserta=r["n_peserta"] or 0,
        dicatat=r["n_dicatat"] or 0,
        hadir=r["n_hadir"] or 0,
        pasangan=r["n_pasangan"] or 0,
        rata_pre=_desimal(r["rata_pre"]),
        rata_post=_desimal(r["rata_post"]),
        rata_kenaikan=_desimal(r["rata_kenaikan"]),
    )


@dataclass
class RingkasanLokakarya:
    per_lokakarya: list[BarisLokakarya]
    total: BarisLokakarya


def ringkasan_lokakarya(user, s: Saringan, pilihan: Pilihan) -> RingkasanLokakarya:
    """Attendance rate and mean pre/post/gain per workshop and overall: two queries.

    Means count only participants with both scores, so that the gain compares
    the same people."""
    lokakarya = lokakarya_dasbor(user, s, pilihan)
    rows = (
        lokakarya.annotate(**_agregat_peserta("peserta__", s.jenjang))
        .values("nama", "tanggal_mulai", "kabupaten__nama", *_agregat_peserta("", "").keys())
        .order_by("-tanggal_mulai", "nama", "pk")
    )
    if s.jenjang:
        rows = rows.filter(n_peserta__gt=0)
    peserta = Peserta.objects.filter(lokakarya__in=lokakarya.values("pk"))
    if s.jenjang:
        peserta = peserta.filter(sekolah__jenjang=s.jenjang)
    total = peserta.aggregate(**_agregat_peserta("", ""))
    return RingkasanLokakarya(
        per_lokakarya=[
            _baris_lokakarya(r["nama"], r["tanggal_mulai"], r["kabupaten__nama"], r) for r in rows
        ],
        total=_baris_lokakarya(
            nama_total(pilihan.kata_saringan(s), _("Semua lokakarya")), None, "", total
        ),
    )


# --- PMO ------------------------------------------------------------------------------


@dataclass
class RingkasanPMO:
    tahun: int
    jumlah_sekolah: int
    langkah: list[tuple[int, str, int]]  # (step 0–4, name, schools)
    status: list[tuple[str, str, int]]  # (status, label, actions)
    eskalasi: list[tuple[str, int]]  # (kabupaten, escalated actions)
    siklus: int = 1  # the PMO cycle of `tahun` counted (pmo.models.SiklusPMO)

    @property
    def jumlah_tindak_lanjut(self) -> int:
        return sum(n for _s, _l, n in self.status)

    @property
    def jumlah_eskalasi(self) -> int:
        return sum(n for _k, n in self.eskalasi)


def siklus_dasbor(tahun: int, today: dt.date) -> int:
    """The PMO cycle the dashboard counts for a school year: today's while
    the year runs, the last one of a year that has ended."""
    tahun_ini, siklus_ini = periode_pmo(today)
    if tahun == tahun_ini:
        return siklus_ini
    return SiklusPMO.KEDUA if tahun < tahun_ini else SiklusPMO.PERTAMA


def sekolah_pmo_dasbor(user, s: Saringan) -> QuerySet[Sekolah]:
    return _sekolah(sekolah_wilayah(user), s)


def ringkasan_pmo(user, s: Saringan, *, now: dt.datetime | None = None) -> RingkasanPMO:
    """Schools by step reached, actions by status, escalations: three queries."""
    now = now or timezone.now()
    siklus = siklus_dasbor(s.tahun, timezone.localdate(now))
    sekolah = sekolah_pmo_dasbor(user, s)
    per_langkah = dict(
        sekolah.order_by()
        .annotate(langkah=langkah_tercapai_sql(s.tahun, siklus))  # the step rule, written once
        .values("langkah")
        .annotate(n=Count("pk"))
        .values_list("langkah", "n")
    )
    nama_langkah = {step["urutan"]: step["nama"] for step in pmo_reference.langkah()}
    nama_langkah[0] = str(_("Belum mengisi"))
    # `sekolah` is within access.sekolah_pmo_visible_to already (what
    # tindak_lanjut_visible_to filters by): one filter keeps the scope.
    tindak_lanjut = TindakLanjut.objects.filter(instrumen__sekolah__in=sekolah.values("pk"))
    per_status = dict(
        tindak_lanjut.filter(instrumen__tahun_ajaran=s.tahun, instrumen__siklus=siklus)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    eskalasi = (
        eskalasi_filter(tindak_lanjut, now=now)
        .order_by()
        .values("instrumen__sekolah__kabupaten__nama")
        .annotate(n=Count("pk"))
        .order_by("instrumen__sekolah__kabupaten__nama")
        .values_list("instrumen__sekolah__kabupaten__nama", "n")
    )
    return RingkasanPMO(
        tahun=s.tahun,
        siklus=siklus,
        jumlah_sekolah=sum(per_langkah.values()),
        langkah=[(n, nama_langkah.get(n, str(n)), per_langkah.get(n, 0)) for n in range(5)],
        status=[
            (value, str(label), per_status.get(value, 0))
            for value, label in StatusTindakLanjut.choices
        ],
        eskalasi=list(eskalasi),
    )


# --- komunitas ------------------------------------------------------------------------


@dataclass
class RingkasanKomunitas:
    jumlah_sekolah: int
    tahap: list[tuple[int, str, int, int]]  # (stage, name, tercapai, berjalan)

    def belum(self, tercapai: int, berjalan: int) -> int:
        return self.jumlah_sekolah - tercapai - berjalan


def sekolah_komunitas_dasbor(user, s: Saringan) -> QuerySet[Sekolah]:
    qs = access.sekolah_komunitas_visible_to(user).filter(kabupaten__in=_wilayah(user))
    return _sekolah(qs, s)


def ringkasan_komunitas(user, s: Saringan) -> RingkasanKomunitas:
    """Schools per optimisation stage reached (and under way): one query."""
    sekolah = sekolah_komunitas_dasbor(user, s).order_by()
    counts = {}
    for tahap in Tahap.values:
        counts[f"tercapai_{tahap}"] = Count(
            "tahap_komunitas",
            filter=Q(tahap_komunitas__tahap=tahap, tahap_komunitas__status=StatusTahap.TERCAPAI),
        )
        counts[f"berjalan_{tahap}"] = Count(
            "tahap_komunitas",
            filter=Q(tahap_komunitas__tahap=tahap, tahap_komunitas__status=StatusTahap.BERJALAN),
        )
    agg = sekolah.aggregate(jumlah=Count("pk", distinct=True), **counts)
    return RingkasanKomunitas(
        jumlah_sekolah=agg["jumlah"] or 0,
        tahap=[
            (tahap, str(label), agg[f"tercapai_{tahap}"] or 0, agg[f"berjalan_{tahap}"] or 0)
            for tahap, label in Tahap.choices
        ],
    )


# --- everything -----------------------------------------------------------------------


@dataclass
class DataDasbor:
    saringan: Saringan
    label_saringan: list[tuple[str, str]]
    hari: dt.date
    pi: RingkasanPI
    lokakarya: RingkasanLokakarya
    pmo: RingkasanPMO
    komunitas: RingkasanKomunitas

    def as_plain(self) -> dict:
        """Everything printed, as plain values (the PDF job's fingerprint)."""
        return {
            "saringan": self.saringan.as_params(),
            "hari": self.hari.isoformat(),
            "pi": {
                "pp": [r.as_plain() for r in self.pi.per_pp],
                "kabupaten": [r.as_plain() for r in self.pi.per_kabupaten],
            },
            "lokakarya": [asdict(r) for r in self.lokakarya.per_lokakarya],
            "lokakarya_total": asdict(self.lokakarya.total),
            "pmo": asdict(self.pmo),
            "komunitas": asdict(self.komunitas),
        }


def dasbor_data(
    user,
    saringan: Saringan,
    pilihan: Pilihan,
    *,
    now: dt.datetime | None = None,
) -> DataDasbor:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return DataDasbor(
        saringan=saringan,
        label_saringan=pilihan.label(saringan),
        hari=today,
        pi=ringkasan_pi(user, saringan, pilihan, today=today),
        lokakarya=ringkasan_lokakarya(user, saringan, pilihan),
        pmo=ringkasan_pmo(user, saringan, now=now),
        komunitas=ringkasan_komunitas(user, saringan),
    )
