"""Email reminders, run daily by Celery beat (reports/tasks/reminders.py).

Each reminder is about reasons (a CGP's PI N, a school's PMO in a month, an
escalated action) and every reason is recorded per recipient in
PengingatTerkirim in the same transaction as the email is sent: running a
task twice, or two workers at once, never mails the same reason twice, and a
failed send is retried by the next run. A user who switched a kind off
(PengingatNonaktif) gets none of it.

* pengingat_pi — a PP, in the week before lokakarya N of a cohort, once per
  CGP whose PI N is not scheduled (no session or no date), all in one email.
* pengingat_pmo — a school's head, from PENGINGAT_PMO_TANGGAL (default the
  20th) of a month in which nothing of the school's PMO was updated
  (instrument, actions, monthly notes); once per school and month.
* digest_eskalasi — a coordinator, daily, the escalated actions of their
  region not included in an earlier digest to them. An escalation is keyed by
  the action and its last update: an action updated since and escalated again
  is new (as in the region's escalation list, where an update undoes "handled").
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from program.access import kabupaten_visible_to
from program.dates import month_start
from program.models import JadwalLokakarya, PenugasanPP, PenugasanSekolah, Peran, PeranWilayah
from reports import services
from reports.models import JenisPengingat, PengingatNonaktif

logger = logging.getLogger(__name__)

HARI_SEBELUM_LOKAKARYA = 7


def site_url() -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/")


def alamat_email(user) -> str:
    orang = getattr(user, "orang", None)
    return (getattr(orang, "email", "") or user.email or "").strip()


def _nonaktif(jenis: str, user_field: str) -> Exists:
    return Exists(PengingatNonaktif.objects.filter(user=OuterRef(user_field), jenis=jenis))


@dataclass
class Item:
    kunci: str
    data: object


def kirim(*, user, jenis: str, items: list[Item], subjek: str, template: str, context: dict):
    """Send one email about the items not reminded of before; True if sent.

    The reasons are recorded first in the same transaction: a send that
    fails rolls them back, a concurrent run that recorded them first wins.
    """
    email = alamat_email(user)
    if not email or not items:
        return False
    try:
        with transaction.atomic():
            baru = set(
                services.pengingat_record(user=user, jenis=jenis, kunci=[i.kunci for i in items])
            )
            items = [i for i in items if i.kunci in baru]
            if not items:
                return False
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string(
                    template,
                    {
                        **context,
                        "user": user,
                        "items": [i.data for i in items],
                        "site_url": site_url(),
                        "pengingat_url": site_url() + reverse("reports:pengingat"),
                    },
                )
            send_mail(subjek, body, None, [email])
    except IntegrityError:
        logger.info("Pengingat %s untuk %s sudah dikirim oleh proses lain.", jenis, user.pk)
        return False
    except Exception:  # a mail server error must not stop the other recipients
        logger.exception("Pengingat %s untuk %s gagal dikirim.", jenis, user.pk)
        return False
    return True


# --- (a) PP: PI not scheduled a week before lokakarya N --------------------------------


@dataclass
class PIBelumDijadwalkan:
    penugasan: PenugasanPP
    jadwal: JadwalLokakarya

    @property
    def urutan(self) -> int:
        return self.jadwal.ke


def pengingat_pi(*, today: dt.date | None = None) -> int:
    """Email every PP with a CGP whose PI N is unscheduled while lokakarya N of
    the cohort is at most a week away. Returns the number of emails sent."""
    from pendampingan.models import SesiPI

    today = today or timezone.localdate()
    # Lokakarya N for N = 1 … the cohort's version's number of PI.
    jadwal = JadwalLokakarya.objects.filter(
        ke__gte=1,
        ke__lte=F("angkatan__versi__jumlah_pi"),
        tanggal__gt=today,
        tanggal__lte=today + dt.timedelta(days=HARI_SEBELUM_LOKAKARYA),
    ).select_related("angkatan__program")
    per_pp: dict[int, list[Item]] = defaultdict(list)
    users = {}
    # One query per workshop in the coming week (a handful of cohorts).
    for j in jadwal:
        scheduled = SesiPI.objects.filter(
            penugasan=OuterRef("pk"), urutan=j.ke, tanggal__isnull=False
        )
        pending = (
            PenugasanPP.objects.filter(angkatan_id=j.angkatan_id, pp__user__is_active=True)
            .exclude(Exists(scheduled))
            .exclude(_nonaktif(JenisPengingat.PI_BELUM_DIJADWALKAN, "pp__user"))
            .select_related("pp__user__orang", "cgp", "sekolah")
            .order_by("pp_id", "cgp__nama")
        )
        for p in pending:
            users[p.pp.user_id] = p.pp.user
            per_pp[p.pp.user_id].append(
                Item(f"pi-belum-dijadwalkan:{p.pk}:{j.ke}", PIBelumDijadwalkan(p, j))
            )
    sent = 0
    for user_id, items in per_pp.items():
        sent += kirim(
            user=users[user_id],
            jenis=JenisPengingat.PI_BELUM_DIJADWALKAN,
            items=items,
            subjek=_("Pengingat: PI belum dijadwalkan menjelang lokakarya"),
            template="reports/email/pengingat_pi.txt",
            context={"hari": HARI_SEBELUM_LOKAKARYA},
        )
    return sent


# --- (b) head of school: PMO not updated this month ------------------------------------


def _awal_bulan(today: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(month_start(today), dt.time.min))


def pengingat_pmo(*, today: dt.date | None = None) -> int:
    """Email the heads of PSP schools whose PMO has not been touched this month."""
    from pmo.models import CatatanBulanan, InstrumenPMO, TindakLanjut

    today = today or timezone.localdate()
    if today.day < getattr(settings, "PENGINGAT_PMO_TANGGAL", 20):
        return 0
    awal = _awal_bulan(today)
    sekolah = OuterRef("sekolah_id")
    diperbarui = (
        Q(Exists(InstrumenPMO.objects.filter(sekolah=sekolah, updated_at__gte=awal)))
        | Q(
            Exists(TindakLanjut.objects.filter(instrumen__sekolah=sekolah, diperbarui_at__gte=awal))
        )
        | Q(
            Exists(
                CatatanBulanan.objects.filter(
                    tindak_lanjut__instrumen__sekolah=sekolah, updated_at__gte=awal
                )
            )
        )
    )
    # PSP schools: accompanied by a facilitator, or keeping a PMO.
    sekolah_psp = Q(
        Exists(PenugasanSekolah.objects.filter(sekolah=sekolah, peran=Peran.FASILITATOR))
    ) | Q(Exists(InstrumenPMO.objects.filter(sekolah=sekolah)))
    kepala = (
        PenugasanSekolah.objects.filter(peran=Peran.KEPALA_SEKOLAH, orang__user__is_active=True)
        .filter(sekolah_psp)
        .exclude(diperbarui)
        .exclude(_nonaktif(JenisPengingat.PMO_BELUM_DIPERBARUI, "orang__user"))
        .select_related("orang__user__orang", "sekolah")
        .order_by("orang_id", "sekolah__nama")
    )
    per_user: dict[int, list[Item]] = defaultdict(list)
    users = {}
    for p in kepala:
        users[p.orang.user_id] = p.orang.user
        per_user[p.orang.user_id].append(
            Item(f"pmo-belum-diperbarui:{p.sekolah_id}:{today:%Y-%m}", p.sekolah)
        )
    sent = 0
    for user_id, items in per_user.items():
        sent += kirim(
            user=users[user_id],
            jenis=JenisPengingat.PMO_BELUM_DIPERBARUI,
            items=items,
            subjek=_("Pengingat: PMO sekolah belum diperbarui bulan ini"),
            template="reports/email/pengingat_pmo.txt",
            context={"bulan": month_start(today)},
        )
    return sent


# --- (c) coordinators: daily digest of new escalations ---------------------------------------


def kunci_eskalasi(tindak_lanjut) -> str:
    return f"eskalasi:{tindak_lanjut.pk}:{int(tindak_lanjut.diperbarui_at.timestamp())}"


def digest_eskalasi(*, now: dt.datetime | None = None) -> int:
    """Email each coordinator the escalations of their region they have not
    had in a digest yet."""
    from pmo.models import TindakLanjut
    from pmo.selectors import eskalasi_filter
    from pmo.selectors.wilayah import bulan_sejak

    now = now or timezone.now()
    User = get_user_model()
    koordinator = (
        User.objects.filter(
            is_active=True, orang__penugasan_wilayah__peran=PeranWilayah.KOORDINATOR
        )
        .exclude(_nonaktif(JenisPengingat.ESKALASI_BARU, "pk"))
        .select_related("orang")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for user in koordinator:
        actions = eskalasi_filter(
            TindakLanjut.objects.filter(
                instrumen__sekolah__kabupaten__in=kabupaten_visible_to(user).values("pk")
            ),
            now=now,
        ).select_related("instrumen__sekolah__kabupaten")
        items = []
        for action in actions.order_by("diperbarui_at", "pk"):
            action.bulan_sejak = bulan_sejak(action.diperbarui_at, now)
            items.append(Item(kunci_eskalasi(action), action))
        sent += kirim(
            user=user,
            jenis=JenisPengingat.ESKALASI_BARU,
            items=items,
            subjek=_("Ringkasan eskalasi baru di wilayah Anda"),
            template="reports/email/digest_eskalasi.txt",
            context={
                "eskalasi_url": site_url() + reverse("pmo:eskalasi"),
                "eskalasi_bulan": settings.PMO_ESKALASI_BULAN,
            },
        )
    return sent
