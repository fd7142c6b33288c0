"""The programme calendar, JP accounting (planned vs delivered) and the
per-person iCal feed.

Planned JP come from KegiatanProgram (the PSP year as data). Delivered JP come
from what facilitators recorded, summed in SQL per month:

* kabupaten-level activities from PSP workshops (lokakarya.Lokakarya, by the
  month of `tanggal_mulai`); a workshop counts towards the activity its
  template is marked with (JenisTemplatLokakarya), by default the monthly
  "lokakarya pengawas dan kepala sekolah";
* coaching from pendampingan.SesiCoaching (per facilitator, school and month);
* forum pokja from pmo.ForumPokja (per school and month; it has no
  facilitator, so it counts for the school's facilitator(s)).

A workshop run by two facilitators counts in full for both: the JP measure
what each facilitator's schools received, and in a joint workshop the heads
and supervisors of both facilitators' schools attend the whole 8 JP (the
3.5 + 0.5 JP split of the agenda is who teaches what, not what was delivered).

Only a month that is over can fall short; the current month is "berjalan".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.dates import month_start
from program.models import Angkatan, JadwalLokakarya, Orang, PenugasanSekolah, Peran
from reports import access
from reports.models import (
    JENIS_PER_SEKOLAH,
    JenisKegiatan,
    KegiatanProgram,
    bulan_tanggal,
    tahun_ajaran_psp,
)

PROGRAM_PSP = "PSP"
PROGRAM_PGP = "PGP"
# The Pelatih Ahli's year (seed 001): Oktober … Agustus.
BULAN_PSP = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)
NAMA_BULAN = {
    1: gettext_lazy("Jan"),
    2: gettext_lazy("Feb"),
    3: gettext_lazy("Mar"),
    4: gettext_lazy("Apr"),
    5: gettext_lazy("Mei"),
    6: gettext_lazy("Jun"),
    7: gettext_lazy("Jul"),
    8: gettext_lazy("Agt"),
    9: gettext_lazy("Sep"),
    10: gettext_lazy("Okt"),
    11: gettext_lazy("Nov"),
    12: gettext_lazy("Des"),
}
HARI_JENDELA_PI = 7  # PI N happens in the week before lokakarya N

PERAN_KALENDER = {Peran.FASILITATOR, Peran.KOORDINATOR, Peran.OPERATOR}


def may_read_calendar(user) -> bool:
    """The calendar and JP pages are for facilitators, coordinators, operators."""
    return bool(access.roles_of(user) & PERAN_KALENDER)


def tahun_tersedia() -> list[int]:
    return list(
        KegiatanProgram.objects.filter(program__kode=PROGRAM_PSP)
        .order_by("-tahun_ajaran")
        .values_list("tahun_ajaran", flat=True)
        .distinct()
    )


def _months(tahun: int, bulan_lain=()) -> list[dt.date]:
    """Okt–Agt of the year, plus any other month the calendar plans something in."""
    return sorted({bulan_tanggal(tahun, b) for b in (*BULAN_PSP, *bulan_lain)})


def label_bulan(day: dt.date) -> str:
    return f"{NAMA_BULAN[day.month]} {day:%y}"


# --- the PSP year as a month × activity table ---------------------------------------


@dataclass
class BarisKalender:
    jenis: str
    label: str
    sel: list[KegiatanProgram | None]
    per_sekolah: bool

    @property
    def total_jp(self) -> int:
        return sum(k.jp for k in self.sel if k is not None)

    @property
    def jumlah_kegiatan(self) -> int:
        return sum(1 for k in self.sel if k is not None)


def kalender_psp(tahun: int) -> tuple[list[dt.date], list[BarisKalender]]:
    """The year's activities, one row per kind, one column per month (one query)."""
    kegiatan = list(KegiatanProgram.objects.filter(program__kode=PROGRAM_PSP, tahun_ajaran=tahun))
    months = _months(tahun, {k.bulan for k in kegiatan})
    by_key = {(k.jenis, k.tanggal): k for k in kegiatan}
    rows = []
    for jenis in JenisKegiatan:
        sel = [by_key.get((jenis.value, m)) for m in months]
        rows.append(
            BarisKalender(
                jenis=jenis.value,
                label=jenis.label,
                sel=sel,
                per_sekolah=any(k.per_sekolah for k in sel if k is not None),
            )
        )
    return months, rows


# --- PGP: lokakarya and PI windows per cohort --------------------------------------------


@dataclass
class JadwalPGP:
    ke: int
    tanggal: dt.date
    pi: int | None = None  # the PI due in the week before this workshop

    @property
    def label(self) -> str:
        return _("Lokakarya Orientasi") if self.ke == 0 else _("Lokakarya %(n)s") % {"n": self.ke}

    @property
    def pi_mulai(self) -> dt.date | None:
        return self.tanggal - dt.timedelta(days=HARI_JENDELA_PI) if self.pi else None

    @property
    def pi_selesai(self) -> dt.date | None:
        return self.tanggal - dt.timedelta(days=1) if self.pi else None


def kalender_pgp() -> list[tuple[Angkatan, list[JadwalPGP]]]:
    """Every PGP cohort with its lokakarya and the windows of its version's PI (two queries)."""
    cohorts = (
        Angkatan.objects.filter(program__kode=PROGRAM_PGP)
        .select_related("program", "versi")
        .prefetch_related(
            Prefetch("jadwal_lokakarya", queryset=JadwalLokakarya.objects.order_by("ke"))
        )
        .order_by("-tanggal_mulai", "-nomor")
    )
    return [
        (
            angkatan,
            [
                JadwalPGP(
                    ke=j.ke,
                    tanggal=j.tanggal,
                    pi=j.ke if j.ke in angkatan.versi.pi_numbers else None,
                )
                for j in angkatan.jadwal_lokakarya.all()
            ],
        )
        for angkatan in cohorts
    ]


# --- JP accounting ---------------------------------------------------------------------


class Keadaan:
    KOSONG = "kosong"
    TERPENUHI = "terpenuhi"
    KURANG = "kurang"
    BERJALAN = "berjalan"
    MENDATANG = "mendatang"

    CSS = {
        KOSONG: "",
        TERPENUHI: "table-success",
        KURANG: "table-danger",
        BERJALAN: "table-warning",
        MENDATANG: "",
    }


@dataclass
class SelJP:
    bulan: dt.date
    rencana: int
    realisasi: int
    keadaan: str

    @property
    def css(self) -> str:
        return Keadaan.CSS[self.keadaan]

    @property
    def kurang(self) -> bool:
        return self.keadaan == Keadaan.KURANG


def _keadaan(rencana: int, realisasi: int, bulan: dt.date, bulan_ini: dt.date) -> str:
    if not rencana and not realisasi:
        return Keadaan.KOSONG
    if realisasi >= rencana:
        return Keadaan.TERPENUHI
    if bulan < bulan_ini:
        return Keadaan.KURANG
    return Keadaan.BERJALAN if bulan == bulan_ini else Keadaan.MENDATANG


@dataclass
class BarisJP:
    jenis: str
    label: str
    sel: list[SelJP]

    @property
    def rencana(self) -> int:
        return sum(s.rencana for s in self.sel)

    @property
    def realisasi(self) -> int:
        return sum(s.realisasi for s in self.sel)

    @property
    def kosong(self) -> bool:
        return not self.rencana and not self.realisasi


@dataclass
class SekolahJP:
    pk: int
    nama: str
    npsn: str
    baris: list[BarisJP] = field(default_factory=list)


@dataclass
class Kekurangan:
    fasilitator: Orang
    sekolah: SekolahJP | None
    label: str
    bulan: dt.date
    rencana: int
    realisasi: int

    @property
    def selisih(self) -> int:
        return self.rencana - self.realisasi


@dataclass
class RekapFasilitator:
    orang: Orang
    baris: list[BarisJP]
    sekolah: list[SekolahJP]
    kekurangan: list[Kekurangan]

    @property
    def rencana(self) -> int:
        return sum(b.rencana for b in self.baris)

    @property
    def realisasi(self) -> int:
        return sum(b.realisasi for b in self.baris)


def sekolah_jp_visible_to(user, *, kabupaten: int | None = None):
    """Schools whose coaching and forum JP the user reads (narrowed to a kabupaten)."""
    qs = access.sekolah_coaching_visible_to(user)
    return qs.filter(kabupaten_id=kabupaten) if kabupaten else qs


def rekap_jp(
    user,
    fasilitator: list[Orang],
    *,
    tahun: int,
    kabupaten: int | None = None,
    today: dt.date | None = None,
) -> tuple[list[dt.date], list[RekapFasilitator]]:
    """Planned vs delivered JP for each facilitator given (and each of their
    schools the user may see), per activity and month of the PSP year.

    Six aggregate queries whatever the number of facilitators, schools or
    records; the Python loops walk the month × activity grid only.
    """
    today = today or timezone.localdate()
    bulan_ini = month_start(today)
    ids = [f.pk for f in fasilitator]

    kegiatan = list(
        KegiatanProgram.objects.filter(program__kode=PROGRAM_PSP, tahun_ajaran=tahun).values(
            "jenis", "bulan", "jp", "per_sekolah"
        )
    )
    months = _months(tahun, {k["bulan"] for k in kegiatan})
    start, end = months[0], month_start(months[-1], months=1) - dt.timedelta(days=1)
    rencana = {(k["jenis"], bulan_tanggal(tahun, k["bulan"])): k for k in kegiatan}

    penugasan = (
        PenugasanSekolah.objects.filter(
            peran=Peran.FASILITATOR,
            orang_id__in=ids,
            sekolah__in=sekolah_jp_visible_to(user, kabupaten=kabupaten).values("pk"),
        )
        .order_by("sekolah__nama", "sekolah_id")
        .values_list("orang_id", "sekolah_id", "sekolah__nama", "sekolah__npsn")
    )
    sekolah_of: dict[int, list[SekolahJP]] = defaultdict(list)
    for orang_id, sekolah_id, nama, npsn in penugasan:
        sekolah_of[orang_id].append(SekolahJP(pk=sekolah_id, nama=nama, npsn=npsn))

    # Delivered, keyed (facilitator, kind, month) and (facilitator or school, month).
    kelompok: dict[tuple[int, str, dt.date], int] = defaultdict(int)
    lokakarya = (
        access.lokakarya_visible_to(user)
        .filter(program__kode=PROGRAM_PSP, tanggal_mulai__range=(start, end))
        .annotate(
            jenis_kalender=Coalesce(
                "templat__jenis_kalender__jenis", Value(JenisKegiatan.LOKAKARYA.value)
            ),
            bulan=TruncMonth("tanggal_mulai"),
        )
    )
    for peran in ("fasilitator", "fasilitator_2"):
        rows = (
            lokakarya.filter(**{f"{peran}__in": ids})
            .order_by()
            .values(peran, "jenis_kalender", "bulan")
            .annotate(total=Sum("jp"))
        )
        for row in rows:
            kelompok[(row[peran], row["jenis_kalender"], row["bulan"])] += row["total"]

    from pmo.models import ForumPokja

    coaching_rows = (
        access.sesi_coaching_visible_to(user)
        .filter(fasilitator_id__in=ids, tanggal__range=(start, end))
        .annotate(bulan=TruncMonth("tanggal"))
        .order_by()
        .values("fasilitator", "sekolah", "bulan")
        .annotate(total=Sum("jp"))
    )
    coaching = {(r["fasilitator"], r["sekolah"], r["bulan"]): r["total"] for r in coaching_rows}
    forum_rows = (
        ForumPokja.objects.filter(
            sekolah__in=access.sekolah_pmo_visible_to(user).values("pk"),
            bulan__range=(start, end),
        )
        .filter(
            sekolah__in=PenugasanSekolah.objects.filter(
                peran=Peran.FASILITATOR, orang_id__in=ids
            ).values("sekolah_id")
        )
        .annotate(bulan_forum=TruncMonth("bulan"))
        .order_by()
        .values("sekolah", "bulan_forum")
        .annotate(total=Sum("jp"))
    )
    forum = {(r["sekolah"], r["bulan_forum"]): r["total"] for r in forum_rows}

    def per_school(orang_id: int, sekolah_id: int, jenis: str, bulan: dt.date) -> int:
        if jenis == JenisKegiatan.COACHING:
            return coaching.get((orang_id, sekolah_id, bulan), 0)
        return forum.get((sekolah_id, bulan), 0)

    result = []
    for orang in fasilitator:
        schools = sekolah_of.get(orang.pk, [])
        baris, kekurangan = [], []
        for jenis in JenisKegiatan:
            school_level = jenis in JENIS_PER_SEKOLAH
            sel = []
            for bulan in months:
                plan = rencana.get((jenis.value, bulan))
                jp = plan["jp"] if plan else 0
                if school_level:
                    planned = jp * len(schools) if plan and plan["per_sekolah"] else jp
                    delivered = sum(per_school(orang.pk, s.pk, jenis, bulan) for s in schools)
                else:
                    planned = jp
                    delivered = kelompok.get((orang.pk, jenis.value, bulan), 0)
                cell = SelJP(
                    bulan, planned, delivered, _keadaan(planned, delivered, bulan, bulan_ini)
                )
                sel.append(cell)
                # School-level kinds are listed per school below.
                if cell.kurang and not (school_level and plan and plan["per_sekolah"]):
                    kekurangan.append(
                        Kekurangan(orang, None, jenis.label, bulan, planned, delivered)
                    )
            baris.append(BarisJP(jenis.value, jenis.label, sel))
        for sekolah in schools:
            for jenis in JENIS_PER_SEKOLAH:
                sel = []
                for bulan in months:
                    plan = rencana.get((jenis.value, bulan))
                    planned = plan["jp"] if plan and plan["per_sekolah"] else 0
                    delivered = per_school(orang.pk, sekolah.pk, jenis, bulan)
                    cell = SelJP(
                        bulan, planned, delivered, _keadaan(planned, delivered, bulan, bulan_ini)
                    )
                    sel.append(cell)
                    if cell.kurang:
                        kekurangan.append(
                            Kekurangan(orang, sekolah, jenis.label, bulan, planned, delivered)
                        )
                sekolah.baris.append(BarisJP(jenis.value, jenis.label, sel))
        kekurangan.sort(key=lambda k: (k.bulan, k.sekolah.nama if k.sekolah else ""))
        result.append(RekapFasilitator(orang, baris, schools, kekurangan))
    return months, result


# --- per-person iCal feed -----------------------------------------------------------------

HARI_ICAL = 120
DEFAULT_MENIT_PI = 180


@dataclass
class Acara:
    uid: str
    judul: str
    mulai: dt.date | dt.datetime
    selesai: dt.date | dt.datetime
    lokasi: str = ""
    keterangan: str = ""
    tautan: str = ""


def _menit_pi(templat: dict) -> int:
    return sum(step.get("menit") or 0 for step in templat.get("langkah", [])) or DEFAULT_MENIT_PI


def acara_mendatang(orang: Orang, *, today: dt.date, base_url: str = "") -> list[Acara]:
    """A person's own sessions, workshops, coaching and forums in the next
    HARI_ICAL days (four queries)."""
    from lokakarya.models import Lokakarya
    from pendampingan.models import SesiCoaching, SesiPI
    from pmo.models import ForumPokja

    until = today + dt.timedelta(days=HARI_ICAL)
    tz = ZoneInfo(settings.TIME_ZONE)
    acara: list[Acara] = []

    sesi_pi = (
        SesiPI.objects.filter(Q(penugasan__pp=orang) | Q(penugasan__cgp=orang))
        .filter(tanggal__range=(today, until))
        .select_related("penugasan__pp", "penugasan__cgp", "penugasan__sekolah")
        .order_by("tanggal", "pk")
    )
    for sesi in sesi_pi:
        sebagai_pp = sesi.penugasan.pp_id == orang.pk
        if sesi.jam_mulai:
            mulai = dt.datetime.combine(sesi.tanggal, sesi.jam_mulai, tzinfo=tz)
            selesai = mulai + dt.timedelta(minutes=_menit_pi(sesi.templat))
        else:
            mulai, selesai = sesi.tanggal, sesi.tanggal + dt.timedelta(days=1)
        judul = (
            _("PI %(n)s dengan %(cgp)s") % {"n": sesi.urutan, "cgp": sesi.penugasan.cgp.nama}
            if sebagai_pp
            else _("PI %(n)s bersama %(pp)s") % {"n": sesi.urutan, "pp": sesi.penugasan.pp.nama}
        )
        acara.append(
            Acara(
                uid=f"sesi-pi-{sesi.pk}",
                judul=judul,
                mulai=mulai,
                selesai=selesai,
                lokasi=sesi.tempat or sesi.tautan,
                keterangan=sesi.tema,
                tautan=base_url + sesi.get_absolute_url() if sebagai_pp else "",
            )
        )

    lokakarya = (
        Lokakarya.objects.filter(
            Q(fasilitator=orang)
            | Q(fasilitator_2=orang)
            | Q(pk__in=orang.peserta_lokakarya.values("lokakarya_id"))
        )
        .filter(tanggal_selesai__gte=today, tanggal_mulai__lte=until)
        .order_by("tanggal_mulai", "pk")
    )
    for item in lokakarya:
        acara.append(
            Acara(
                uid=f"lokakarya-{item.pk}",
                judul=item.nama,
                mulai=item.tanggal_mulai,
                selesai=item.tanggal_selesai + dt.timedelta(days=1),
                lokasi=item.tempat or item.tautan,
                keterangan=_("%(jp)s JP, %(moda)s")
                % {"jp": item.jp, "moda": item.get_moda_display()},
                tautan=base_url + item.get_absolute_url(),
            )
        )

    kepala = PenugasanSekolah.objects.filter(orang=orang, peran=Peran.KEPALA_SEKOLAH).values(
        "sekolah_id"
    )
    fasilitasi = PenugasanSekolah.objects.filter(orang=orang, peran=Peran.FASILITATOR).values(
        "sekolah_id"
    )
    coaching = (
        SesiCoaching.objects.filter(Q(fasilitator=orang) | Q(sekolah__in=kepala))
        .filter(tanggal__range=(today, until))
        .select_related("sekolah")
        .order_by("tanggal", "pk")
    )
    for sesi in coaching:
        acara.append(
            Acara(
                uid=f"coaching-{sesi.pk}",
                judul=_("Coaching kepala sekolah: %(sekolah)s") % {"sekolah": sesi.sekolah.nama},
                mulai=sesi.tanggal,
                selesai=sesi.tanggal + dt.timedelta(days=1),
                keterangan=_("%(jp)s JP") % {"jp": sesi.jp},
            )
        )

    forum = (
        ForumPokja.objects.filter(Q(sekolah__in=fasilitasi) | Q(sekolah__in=kepala))
        .filter(tanggal__range=(today, until))
        .select_related("sekolah")
        .order_by("tanggal", "pk")
    )
    for item in forum:
        acara.append(
            Acara(
                uid=f"forum-pokja-{item.pk}",
                judul=_("Forum pokja: %(sekolah)s") % {"sekolah": item.sekolah.nama},
                mulai=item.tanggal,
                selesai=item.tanggal + dt.timedelta(days=1),
                keterangan=_("%(jp)s JP") % {"jp": item.jp},
            )
        )
    return acara


def ical_orang(orang: Orang | None, *, today: dt.date, base_url: str = "") -> bytes:
    """The person's upcoming events as an iCalendar file."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Pendampingan Penggerak//Kalender Saya//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Pendampingan Penggerak"))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for item in acara_mendatang(orang, today=today, base_url=base_url) if orang else []:
        event = Event()
        event.add("uid", f"{item.uid}@pendampingan")
        event.add("summary", item.judul)
        event.add("dtstart", item.mulai)
        event.add("dtend", item.selesai)
        event.add("dtstamp", stamp)
        if item.lokasi:
            event.add("location", item.lokasi)
        if item.keterangan:
            event.add("description", item.keterangan)
        if item.tautan:
            event.add("url", item.tautan)
        cal.add_component(event)
    cal.add_missing_timezones()  # VTIMEZONE for Asia/Jakarta, as RFC 5545 requires
    return cal.to_ical()


__all__ = [
    "acara_mendatang",
    "ical_orang",
    "kalender_pgp",
    "kalender_psp",
    "rekap_jp",
    "tahun_ajaran_psp",
]
