"""“Sejak bulan lalu”: what changed in a school's PMO during one month.

The facilitator prepares the monthly forum with it: each action's status at
the end of the previous month beside its status at the end of the chosen
month, the changes in between (who, why), the month's note beside last
month's, actions added in the month, and edits to the texts of steps 1–2.

Pure reads returning plain data, in a fixed number of queries whatever the
number of actions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from pmo.models import (
    CatatanBulanan,
    InstrumenPMO,
    PerubahanStatus,
    StatusTindakLanjut,
    TindakLanjut,
    UmpanBalik,
)
from pmo.services import INSTRUMEN_FIELDS
from program.dates import month_start

CATATAN_FIELDS = ("berjalan_baik", "belum_berjalan", "kendala", "solusi")


# --- months ------------------------------------------------------------------


def parse_bulan(value: str | None, *, default: dt.date) -> dt.date:
    """`YYYY-MM` (what <input type="month"> sends) → first day; else `default`."""
    try:
        year, month = (int(part) for part in (value or "").strip().split("-"))
        if 2000 <= year <= 2100:
            return dt.date(year, month, 1)
    except ValueError:
        pass
    return month_start(default)


def bulan_siklus(tahun_ajaran: int, siklus: int) -> list[dt.date]:
    """The months of a PMO cycle (August–January or February–July)."""
    from pmo.services import bulan_siklus as months

    return months(tahun_ajaran, siklus)


def bulan_default(tahun_ajaran: int, siklus: int, today: dt.date | None = None) -> dt.date:
    """This month while the cycle runs; else its nearest month."""
    today = today or timezone.localdate()
    months = bulan_siklus(tahun_ajaran, siklus)
    return min(max(month_start(today), months[0]), months[-1])


def _awal(bulan: dt.date) -> dt.datetime:
    """Midnight local time at the start of `bulan` (the cut-off before it)."""
    return timezone.make_aware(dt.datetime.combine(bulan, dt.time.min))


# --- the data ----------------------------------------------------------------


def nama(user) -> str:
    """A person's name as the programme writes it, else the login name."""
    if user is None:
        return ""
    # A missing Orang raises RelatedObjectDoesNotExist, an AttributeError.
    orang = getattr(user, "orang", None)
    return orang.nama if orang is not None else user.get_username()


# Bootstrap badge class per status (one look on every PMO page of this module).
STATUS_BADGE = {
    StatusTindakLanjut.BELUM_MULAI: "text-bg-secondary",
    StatusTindakLanjut.BERJALAN: "text-bg-primary",
    StatusTindakLanjut.SELESAI: "text-bg-success",
    StatusTindakLanjut.TERKENDALA: "text-bg-danger",
    StatusTindakLanjut.DIBATALKAN: "text-bg-dark",
}


def status_badge(value: str | None) -> str:
    return STATUS_BADGE.get(value or "", "text-bg-light")


def status_label(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(StatusTindakLanjut(value).label)
    except ValueError:
        return value


@dataclass
class Perubahan:
    """One status change within the month."""

    dari: str
    ke: str
    alasan: str
    oleh: str
    at: dt.datetime

    @property
    def dari_label(self) -> str:
        return status_label(self.dari)

    @property
    def ke_label(self) -> str:
        return status_label(self.ke)

    @property
    def dari_badge(self) -> str:
        return status_badge(self.dari)

    @property
    def ke_badge(self) -> str:
        return status_badge(self.ke)


@dataclass
class BarisTindakLanjut:
    tindak_lanjut: TindakLanjut
    baru: bool  # added during the month
    status_lalu: str | None  # None: did not exist yet at the end of last month
    status_kini: str
    perubahan: list[Perubahan] = field(default_factory=list)
    catatan_kini: CatatanBulanan | None = None
    catatan_lalu: CatatanBulanan | None = None
    umpan_balik: list[UmpanBalik] = field(default_factory=list)

    @property
    def status_berubah(self) -> bool:
        return self.status_lalu != self.status_kini

    @property
    def status_lalu_label(self) -> str:
        return status_label(self.status_lalu)

    @property
    def status_kini_label(self) -> str:
        return status_label(self.status_kini)

    @property
    def status_lalu_badge(self) -> str:
        return status_badge(self.status_lalu)

    @property
    def status_kini_badge(self) -> str:
        return status_badge(self.status_kini)

    @property
    def catatan_berubah(self) -> bool:
        """The month's note says something last month's did not."""
        return _catatan_teks(self.catatan_kini) != _catatan_teks(self.catatan_lalu)

    @property
    def catatan_pasangan(self) -> list[tuple[str, str, str]]:
        """(label, last month, this month) for each field of the notes."""
        labels = {f: CatatanBulanan._meta.get_field(f).verbose_name for f in CATATAN_FIELDS}
        return [
            (
                str(labels[f]).capitalize(),
                getattr(self.catatan_lalu, f, ""),
                getattr(self.catatan_kini, f, ""),
            )
            for f in CATATAN_FIELDS
        ]


@dataclass
class TeksLangkah:
    """One text of step 1 or 2 at both cut-offs."""

    langkah: int
    field: str
    label: str
    lalu: str
    kini: str

    @property
    def berubah(self) -> bool:
        return self.lalu.strip() != self.kini.strip()


@dataclass
class SejakBulanLalu:
    instrumen: InstrumenPMO
    bulan: dt.date
    bulan_lalu: dt.date
    tindak_lanjut: list[BarisTindakLanjut]
    teks_langkah: list[TeksLangkah]
    instrumen_baru: bool  # no saved state before the month: every text is new
    teks_diubah_oleh: str  # who last saved step 1/2 texts during the month
    teks_diubah_at: dt.datetime | None
    umpan_balik_langkah: list[UmpanBalik]  # the month's feedback on steps

    @property
    def baru(self) -> list[BarisTindakLanjut]:
        return [row for row in self.tindak_lanjut if row.baru]

    @property
    def status_berubah(self) -> list[BarisTindakLanjut]:
        return [row for row in self.tindak_lanjut if row.status_berubah and not row.baru]

    @property
    def teks_berubah(self) -> list[TeksLangkah]:
        return [t for t in self.teks_langkah if t.berubah]

    @property
    def ada_perubahan(self) -> bool:
        return bool(
            self.baru
            or self.teks_berubah
            or any(row.perubahan or row.catatan_berubah for row in self.tindak_lanjut)
        )


def _catatan_teks(catatan: CatatanBulanan | None) -> tuple[str, ...]:
    return tuple((getattr(catatan, f, "") or "").strip() for f in CATATAN_FIELDS)


def _status_at(initial: str, changes: list[PerubahanStatus], cutoff: dt.datetime) -> str:
    """The `ke` of the last change before `cutoff`, else the initial status."""
    status = initial
    for change in changes:
        if change.at >= cutoff:
            break
        status = change.ke
    return status


def _instrumen_as_of(instrumen: InstrumenPMO, moment: dt.datetime) -> InstrumenPMO | None:
    try:
        return instrumen.history.as_of(moment)
    except InstrumenPMO.DoesNotExist:
        return None


def sejak_bulan_lalu(instrumen: InstrumenPMO, bulan: dt.date) -> SejakBulanLalu:
    """Compare the PMO at the end of the month before `bulan` with the end of `bulan`.

    Seven queries whatever the number of actions. The end of the current
    month is “now”: nothing can have happened after it yet (back-dated rows
    excepted, which belong to the month they are dated in).
    """
    bulan = month_start(bulan)
    bulan_lalu = month_start(bulan, months=-1)
    awal, akhir = _awal(bulan), _awal(month_start(bulan, months=1))

    actions = list(TindakLanjut.objects.filter(instrumen=instrumen).order_by("mulai", "pk"))
    changes_by_action: dict[int, list[PerubahanStatus]] = {}
    for change in (
        PerubahanStatus.objects.filter(tindak_lanjut__instrumen=instrumen)
        .select_related("oleh__orang")
        .order_by("at", "pk")
    ):
        changes_by_action.setdefault(change.tindak_lanjut_id, []).append(change)
    notes = {
        (c.tindak_lanjut_id, c.bulan): c
        for c in CatatanBulanan.objects.filter(
            tindak_lanjut__instrumen=instrumen, bulan__in=[bulan, bulan_lalu]
        )
    }
    feedback_by_action: dict[int, list[UmpanBalik]] = {}
    feedback_on_steps: list[UmpanBalik] = []
    for item in (
        UmpanBalik.objects.filter(instrumen=instrumen, created_at__gte=awal, created_at__lt=akhir)
        .select_related("oleh__orang")
        .order_by("created_at", "pk")
    ):
        if item.tindak_lanjut_id:
            feedback_by_action.setdefault(item.tindak_lanjut_id, []).append(item)
        else:
            feedback_on_steps.append(item)

    rows = []
    for action in actions:
        timeline = changes_by_action.get(action.pk, [])
        # The creation row ("dari" empty) records the initial status. Rows
        # imported or back-filled can be dated before the action's own
        # creation, so the action exists from its earliest recorded moment.
        creation = [c for c in timeline if not c.dari]
        steps = [c for c in timeline if c.dari]
        initial = creation[0].ke if creation else (steps[0].dari if steps else action.status)
        exists_from = min([action.created_at, *(c.at for c in timeline)])
        if exists_from >= akhir:
            continue
        existed_before = exists_from < awal
        rows.append(
            BarisTindakLanjut(
                tindak_lanjut=action,
                baru=not existed_before,
                status_lalu=_status_at(initial, steps, awal) if existed_before else None,
                status_kini=_status_at(initial, steps, akhir),
                perubahan=[
                    Perubahan(dari=c.dari, ke=c.ke, alasan=c.alasan, oleh=nama(c.oleh), at=c.at)
                    for c in steps
                    if awal <= c.at < akhir
                ],
                catatan_kini=notes.get((action.pk, bulan)),
                catatan_lalu=notes.get((action.pk, bulan_lalu)),
                umpan_balik=feedback_by_action.get(action.pk, []),
            )
        )

    # Steps 1–2: the saved state at each cut-off (simple-history).
    lalu = _instrumen_as_of(instrumen, awal - dt.timedelta(microseconds=1))
    kini = _instrumen_as_of(instrumen, akhir - dt.timedelta(microseconds=1))
    teks = [
        TeksLangkah(
            langkah=langkah,
            field=name,
            label=str(InstrumenPMO._meta.get_field(name).verbose_name).capitalize(),
            lalu=getattr(lalu, name, "") or "",
            kini=getattr(kini, name, "") or "",
        )
        for langkah, names in INSTRUMEN_FIELDS.items()
        for name in names
    ]
    last_edit = (
        instrumen.history.filter(history_date__gte=awal, history_date__lt=akhir)
        .select_related("history_user__orang")
        .order_by("-history_date")
        .first()
    )
    return SejakBulanLalu(
        instrumen=instrumen,
        bulan=bulan,
        bulan_lalu=bulan_lalu,
        tindak_lanjut=rows,
        teks_langkah=teks,
        instrumen_baru=lalu is None and kini is not None,
        teks_diubah_oleh=nama(last_edit.history_user) if last_edit else "",
        teks_diubah_at=last_edit.history_date if last_edit else None,
        umpan_balik_langkah=feedback_on_steps,
    )


# --- the PMO state kept with a forum record ------------------------------------


@dataclass
class BarisKeadaan:
    """An action as discussed at a forum, beside its status today."""

    aktivitas: str
    status_forum: str
    status_kini: str | None  # None: the action no longer exists
    tindak_lanjut: TindakLanjut | None

    @property
    def berubah(self) -> bool:
        return self.status_kini is not None and self.status_kini != self.status_forum

    @property
    def status_forum_label(self) -> str:
        return status_label(self.status_forum)

    @property
    def status_kini_label(self) -> str:
        return status_label(self.status_kini)

    @property
    def status_forum_badge(self) -> str:
        return status_badge(self.status_forum)

    @property
    def status_kini_badge(self) -> str:
        return status_badge(self.status_kini)


def keadaan_dibandingkan(keadaan_pmo: dict) -> list[BarisKeadaan]:
    """The snapshot of a forum record against today's statuses (one query)."""
    saved = [row for row in (keadaan_pmo or {}).get("tindak_lanjut", []) if isinstance(row, dict)]
    current = TindakLanjut.objects.in_bulk([row.get("id") for row in saved if row.get("id")])
    rows = []
    for row in saved:
        action = current.get(row.get("id"))
        rows.append(
            BarisKeadaan(
                aktivitas=row.get("aktivitas") or (action.aktivitas if action else ""),
                status_forum=row.get("status", ""),
                status_kini=action.status if action else None,
                tindak_lanjut=action,
            )
        )
    return rows
