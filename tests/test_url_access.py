"""Systematic access test: every URL of the project × every demo role.

For each named URL pattern (enumerated from the URLconf, the admin aside) the
table EXPECTED says what each demo account gets: 200 (or a 302 somewhere
else than the login page) for those whose scope includes the object, 404 for
everyone else — nothing outside a user's scope is ever confirmed. Anonymous
visitors are sent to the login page from everywhere except the login and
password-reset pages, static files and the iCal feeds (whose secret token is
the credential).

POST-only views answer a GET with 405 to logged-in users; POSTing to them as a
role outside their write scope (POST_OUT_OF_SCOPE) is a 404 as well, and so is
POSTing to a page whose write scope is narrower than its read scope as a role
that only reads it (READER_POST_IS_404).

A pair (URL, role) whose observed status is wrong goes into KNOWN_BUGS with the
reason; it is then a strict xfail, which fails again once the bug is fixed.

A URL without an entry in these tables fails `test_every_url_has_an_entry`:
adding a view means deciding who may reach it.

The demo population is loaded once for the module inside a transaction that
is rolled back at the end; each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from config.celery import app as celery_app
from tests.conftest import demo_media_into

ANON = "anonim"
ROLES = (
    "admin",
    "operator1",
    "pp1",
    "pp2",
    "cgp1",
    "fasilitator1",
    "fasilitator2",
    "ks1",
    "ks2",
    "pengawas1",
    "koordinator1",
    # Kabupaten Sikka (NTT), Angkatan 12; koordinator2 also facilitates a Lombok Timur school.
    "pp3",
    "cgp3",
    "fasilitator3",
    "ks3",
    "koordinator2",
    # The PGP online (LMS) class facilitator of Angkatan 11's Lombok Timur CGP.
    "fasilitatorpgp1",
)
OPS = ("admin", "operator1")
LOGIN_PATH = "/masuk/"
JOB = r"/unduhan/[0-9a-f-]{36}/"  # a job page: where PDF and export views redirect


# --- the table ----------------------------------------------------------------------


def _none(c) -> dict:
    return {}


@dataclass(frozen=True)
class Spec:
    """What every role gets from one URL.

    ok:          {role: status} for the roles that reach it (everyone else: default)
    kwargs:      the URL's kwargs, built from the demo data (ctx)
    method:      the method the matrix uses
    anon:        None → anonymous visitors are redirected to the login page;
                 a status → the URL is public and that is what they get
    redirect_to: where a successful 302 goes: a regex for the path, or a callable
                 ctx → exact path
    post_only:   GET is 405 for every logged-in role (see POST_OUT_OF_SCOPE)
    also:        kwargs of further objects asked about the same way (e.g. a PI
                 whose session does not exist yet)
    """

    ok: Mapping[str, int] = field(default_factory=dict)
    kwargs: Callable = _none
    default: int = 404
    method: str = "GET"
    anon: int | None = None
    redirect_to: str | Callable | None = None
    post_only: bool = False
    also: tuple[Callable, ...] = ()

    def all_kwargs(self) -> tuple[Callable, ...]:
        return (self.kwargs, *self.also)

    def expected(self, role: str) -> int:
        if role == ANON:
            return 302 if self.anon is None else self.anon
        if self.post_only:
            return 405
        return self.ok.get(role, self.default)


def ok(*roles: str, status: int = 200) -> dict[str, int]:
    return dict.fromkeys(roles, status)


EVERYONE = ok(*ROLES)


def post_only(kwargs: Callable = _none) -> Spec:
    return Spec(kwargs=kwargs, post_only=True)


# Reusable scopes of the demo (see program/access.py and each app's demo.py).
# SMA Negeri 1 Selong (npsn 50203101): head ks1, fasilitator1, pengawas1; region koordinator1.
PMO_READERS = (*OPS, "fasilitator1", "ks1", "pengawas1", "koordinator1")
PMO_EDITORS = (*OPS, "ks1")
PMO_REVIEWERS = (*OPS, "fasilitator1")
REGION = (*OPS, "koordinator1", "koordinator2")
# Komunitas Belajar Numerasi Selong (ks1's school): the PIC has no login.
KOMUNITAS_READERS = PMO_READERS
KOMUNITAS_EDITORS = (*OPS, "ks1")
KOMUNITAS_MEMBERS = (*OPS, "ks1")
# pp1 → cgp1 "Rusdiana, S.Pd" (SD Negeri 2 Jerowaru, a school of fasilitator1).
PAIR_READERS = (*OPS, "pp1", "cgp1", "koordinator1")
PAIR_WRITERS = (*OPS, "pp1")
PP = ("pp1", "pp2", "pp3")
# The finished luring workshop of fasilitator1; participants: ks1, pengawas1, cgp1 (guru).
LOK_MANAGERS = (*OPS, "fasilitator1")
LOK_PARTICIPANTS = ("ks1", "pengawas1", "cgp1")
LOK_READERS = (*LOK_MANAGERS, *LOK_PARTICIPANTS, "koordinator1")
FASILITATORS = ("fasilitator1", "fasilitator2", "fasilitator3", "koordinator2")
CALENDAR = (*OPS, *FASILITATORS, "koordinator1")


def _pmo(c) -> dict:
    return {"sekolah_pk": c.selong.pk, "tahun": c.tahun, "siklus": c.siklus_pmo}


def _pi_belum(c) -> dict:
    return {"penugasan_pk": c.pasangan.pk, "urutan": c.pi_belum}


EXPECTED: dict[str, Spec] = {
    # --- accounts (config/urls.py) --------------------------------------------------
    "beranda": Spec(EVERYONE),
    "login": Spec(ok(*ROLES, status=302), anon=200, redirect_to=lambda c: "/"),
    # Django's LogoutView is POST-only for everybody, logged in or not.
    "logout": Spec(ok(*ROLES, status=405), anon=405),
    "password_reset": Spec(EVERYONE, anon=200),
    "password_reset_done": Spec(EVERYONE, anon=200),
    "password_reset_confirm": Spec(
        EVERYONE, kwargs=lambda c: {"uidb64": "MTIzNDU2", "token": "set-password"}, anon=200
    ),
    "password_reset_complete": Spec(EVERYONE, anon=200),
    # The service worker and the manifest hold no user data (pages are cached per user).
    "pwa-sw": Spec(EVERYONE, anon=200),
    "pwa-manifest": Spec(EVERYONE, anon=200),
    "password_change": Spec(EVERYONE),
    "password_change_done": Spec(EVERYONE),
    # --- program ------------------------------------------------------------------------
    "program:sekolah-list": Spec(EVERYONE),
    "program:sekolah-pdf": post_only(),
    # SD Negeri 2 Jerowaru: cgp1's school (pp1 sees it through the pair).
    "program:sekolah-detail": Spec(
        ok(*OPS, "pp1", "cgp1", "fasilitator1", "pengawas1", "koordinator1"),
        kwargs=lambda c: {"pk": c.jerowaru.pk},
    ),
    "program:cgp-detail": Spec(ok(*PAIR_READERS), kwargs=lambda c: {"pk": c.pasangan.pk}),
    "program:orang-detail": Spec(
        ok(*PAIR_READERS, "fasilitator1", "pengawas1"),
        kwargs=lambda c: {"pk": c.cgp1.pk},
    ),
    "program:profil": Spec(EVERYONE),
    # A finished job of pp1: only the requester and operators see it.
    "program:job-detail": Spec(ok(*OPS, "pp1"), kwargs=lambda c: {"pk": c.job.pk}),
    "program:job-status": Spec(ok(*OPS, "pp1"), kwargs=lambda c: {"pk": c.job.pk}),
    "program:job-download": Spec(ok(*OPS, "pp1"), kwargs=lambda c: {"pk": c.job.pk}),
    "program:job-retry": post_only(lambda c: {"pk": c.job.pk}),
    "program:impor": Spec(ok(*OPS)),
    "program:impor-templat": Spec(ok(*OPS), kwargs=lambda c: {"jenis": "sekolah", "format": "csv"}),
    # GET of the preview sends an operator back to the upload form.
    "program:impor-preview": Spec(
        ok(*OPS, status=302), kwargs=lambda c: {"jenis": "sekolah"}, redirect_to=lambda c: "/impor/"
    ),
    "program:impor-apply": post_only(lambda c: {"jenis": "sekolah"}),
    # PI templates: operators only (the preview is a GET, applying it a POST).
    "pendampingan:templat-list": Spec(ok(*OPS)),
    "pendampingan:templat-edit": Spec(ok(*OPS), kwargs=lambda c: {"pk": c.templat_pi.pk}),
    "pendampingan:templat-apply": Spec(ok(*OPS), kwargs=lambda c: {"pk": c.templat_pi.pk}),
    "pendampingan:templat-create": post_only(
        lambda c: {"versi_pk": c.templat_pi.versi_id, "urutan": c.templat_pi.urutan}
    ),
    "program:versi-list": Spec(ok(*OPS)),
    "program:versi-create": Spec(ok(*OPS)),
    "program:versi-edit": Spec(ok(*OPS), kwargs=lambda c: {"pk": c.templat_pi.versi_id}),
    "program:versi-jadwal-fill": post_only(lambda c: {"angkatan_pk": c.pasangan.angkatan_id}),
    # --- pendampingan: PI 1–6 -------------------------------------------------------------
    "pendampingan:beranda-pp": Spec(EVERYONE),
    "pendampingan:cgp-home": Spec(EVERYONE),
    # PI 1 of cgp1 is planned; PI 4 is not yet (its page shows the template).
    "pendampingan:sesi": Spec(
        ok(*PAIR_WRITERS),
        kwargs=lambda c: {"penugasan_pk": c.pasangan.pk, "urutan": 1},
        also=(_pi_belum,),
    ),
    # PI 1 of cgp1: journal submitted, so cgp1 reads it too.
    "pendampingan:sesi-read": Spec(ok(*PAIR_READERS), kwargs=lambda c: {"pk": c.sesi.pk}),
    "pendampingan:sesi-schedule": post_only(lambda c: {"pk": c.sesi.pk}),
    # The first writes on a PI not planned yet (they plan its session).
    "pendampingan:pi-schedule": post_only(_pi_belum),
    "pendampingan:pi-jurnal-autosave": post_only(_pi_belum),
    "pendampingan:pi-jurnal-submit": post_only(_pi_belum),
    "pendampingan:jurnal-autosave": post_only(lambda c: {"pk": c.sesi.pk}),
    "pendampingan:jurnal-submit": post_only(lambda c: {"pk": c.sesi.pk}),
    "pendampingan:jurnal-reopen": post_only(lambda c: {"pk": c.sesi.pk}),
    "pendampingan:rtl-add": post_only(lambda c: {"pk": c.sesi.pk}),
    "pendampingan:rtl-delete": post_only(lambda c: {"pk": c.rtl.pk}),
    "pendampingan:rtl-mark": post_only(lambda c: {"pk": c.rtl.pk}),
    "pendampingan:dokumentasi-upload": post_only(lambda c: {"pk": c.sesi.pk}),
    "pendampingan:dokumentasi-berkas": Spec(
        ok(*PAIR_READERS), kwargs=lambda c: {"pk": c.dokumentasi.pk}
    ),
    "pendampingan:dokumentasi-thumb": Spec(
        ok(*PAIR_READERS), kwargs=lambda c: {"pk": c.dokumentasi.pk}
    ),
    "pendampingan:dokumentasi-delete": post_only(lambda c: {"pk": c.dokumentasi.pk}),
    "pendampingan:sesi-confirm": post_only(lambda c: {"pk": c.sesi.pk}),
    # Tempat sampah: everyone has their own (empty unless they deleted something).
    "pendampingan:sampah": Spec(EVERYONE),
    "pendampingan:rtl-restore": post_only(lambda c: {"pk": c.rtl_sampah.pk}),
    "pendampingan:dokumentasi-restore": post_only(lambda c: {"pk": c.dokumentasi_sampah.pk}),
    # Jobs (PDFs, exports) are started by POST: see JOB_STARTERS.
    "pendampingan:sesi-pdf": post_only(lambda c: {"pk": c.sesi.pk}),
    # The PI report covers the PP's own CGP: only PPs have one.
    "pendampingan:laporan-pdf": post_only(lambda c: {"urutan": 1}),
    # --- pendampingan: coaching of school heads (SMA Negeri 1 Selong) -----------------------
    "pendampingan:coaching-home": Spec(EVERYONE),
    "pendampingan:coaching-sekolah": Spec(
        ok(*OPS, "fasilitator1", "ks1", "koordinator1"),
        kwargs=lambda c: {"sekolah_pk": c.selong.pk},
    ),
    "pendampingan:coaching-create": Spec(
        ok(*OPS, "fasilitator1"), kwargs=lambda c: {"sekolah_pk": c.selong.pk}
    ),
    "pendampingan:coaching-rencana": Spec(
        ok(*OPS, "fasilitator1"), kwargs=lambda c: {"sekolah_pk": c.selong.pk}
    ),
    "pendampingan:coaching-detail": Spec(
        ok(*OPS, "fasilitator1", "ks1", "koordinator1"), kwargs=lambda c: {"pk": c.coaching.pk}
    ),
    "pendampingan:coaching-edit": Spec(
        ok(*OPS, "fasilitator1"), kwargs=lambda c: {"pk": c.coaching.pk}
    ),
    # --- pendampingan: other PGP journals ---------------------------------------------------
    # Jurnal pemantauan is the PP's record about the CGP: the CGP does not read it.
    "pendampingan:pemantauan-list": Spec(
        ok(*PAIR_WRITERS, "koordinator1"), kwargs=lambda c: {"penugasan_pk": c.pasangan.pk}
    ),
    "pendampingan:pemantauan-edit": Spec(
        ok(*PAIR_WRITERS, "koordinator1"),
        kwargs=lambda c: {"penugasan_pk": c.pasangan.pk, "modul": "1.1"},
    ),
    # The CGP's artefacts: read by whoever reads the pair; the CGP writes, the PP comments.
    "pendampingan:artefak-list": Spec(
        ok(*PAIR_READERS), kwargs=lambda c: {"penugasan_pk": c.pasangan.pk}
    ),
    "pendampingan:artefak-save": post_only(
        lambda c: {"penugasan_pk": c.pasangan.pk, "jenis": "peta_posisi_diri"}
    ),
    "pendampingan:artefak-comment": post_only(
        lambda c: {"penugasan_pk": c.pasangan.pk, "jenis": "peta_posisi_diri"}
    ),
    "pendampingan:fasilitasi-list": Spec(ok(*PP)),
    "pendampingan:fasilitasi-edit": Spec(ok(*PP), kwargs=lambda c: {"modul": "1.1"}),
    "pendampingan:catatan-list": Spec(EVERYONE),
    "pendampingan:catatan-create": Spec(ok(*PP)),
    # A jurnal komunikasi of pp1 about cgp1: also read by the Fasilitator PGP of
    # cgp1's online class, not by the Pelatih Ahli of cgp1's school.
    "pendampingan:catatan-detail": Spec(
        ok(*OPS, "pp1", "fasilitatorpgp1"), kwargs=lambda c: {"pk": c.catatan.pk}
    ),
    "pendampingan:kelas-list": Spec(ok(*OPS, "fasilitatorpgp1")),
    # --- lokakarya (the finished workshop of fasilitator1) -----------------------------------
    "lokakarya:list": Spec(EVERYONE),
    "lokakarya:create": Spec(ok(*FASILITATORS)),
    "lokakarya:detail": Spec(ok(*LOK_READERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:edit": Spec(ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:tahap-menit": post_only(lambda c: {"pk": c.lok.pk, "tahap_pk": c.tahap.pk}),
    # Building the agenda: the workshop's managers; saving it as the template's: operators.
    "lokakarya:tahap-add": post_only(lambda c: {"pk": c.lok.pk}),
    "lokakarya:tahap-edit": Spec(
        ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk, "tahap_pk": c.tahap.pk}
    ),
    "lokakarya:tahap-delete": post_only(lambda c: {"pk": c.lok.pk, "tahap_pk": c.tahap.pk}),
    "lokakarya:tahap-move": post_only(lambda c: {"pk": c.lok.pk, "tahap_pk": c.tahap.pk}),
    "lokakarya:agenda-save-as-template": post_only(lambda c: {"pk": c.lok.pk}),
    "lokakarya:peserta": Spec(ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:peserta-delete": post_only(lambda c: {"pk": c.lok.pk, "peserta_pk": c.peserta.pk}),
    "lokakarya:kesepakatan": post_only(lambda c: {"pk": c.lok.pk}),
    "lokakarya:run": Spec(ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:tahap-start": post_only(lambda c: {"pk": c.lok.pk, "tahap_pk": c.tahap.pk}),
    "lokakarya:tahap-finish": post_only(lambda c: {"pk": c.lok.pk, "tahap_pk": c.tahap.pk}),
    "lokakarya:tahap-refleksi": post_only(lambda c: {"pk": c.lok.pk, "tahap_pk": c.tahap.pk}),
    "lokakarya:presensi": Spec(ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:presensi-qr": Spec(ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:daftar-hadir": post_only(lambda c: {"pk": c.lok.pk}),
    "lokakarya:check-in": Spec(EVERYONE),
    "lokakarya:kelompok": Spec(ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:kelompok-create": post_only(lambda c: {"pk": c.lok.pk}),
    "lokakarya:kelompok-move": post_only(lambda c: {"pk": c.lok.pk}),
    "lokakarya:rotasi": Spec(ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:nilai": Spec(ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:nilai-import": Spec(ok(*LOK_MANAGERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:nilai-saya": Spec(ok(*LOK_PARTICIPANTS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:produk": Spec(ok(*LOK_READERS), kwargs=lambda c: {"pk": c.lok.pk}),
    "lokakarya:produk-berkas": Spec(ok(*LOK_READERS), kwargs=lambda c: {"pk": c.produk.pk}),
    "lokakarya:laporan-pdf": post_only(lambda c: {"pk": c.lok.pk}),
    # --- pmo (ks1's school, this school year) -------------------------------------------
    "pmo:home": Spec(EVERYONE),
    # Every reader is sent on to this year's instrument (editors start it if missing).
    "pmo:sekolah": Spec(
        ok(*PMO_READERS, status=302),
        kwargs=lambda c: {"sekolah_pk": c.selong.pk},
        redirect_to=lambda c: f"/pmo/sekolah/{c.selong.pk}/{c.tahun}/{c.siklus_pmo}/",
    ),
    "pmo:instrumen": Spec(ok(*PMO_READERS), kwargs=_pmo),
    "pmo:langkah-save": post_only(lambda c: {**_pmo(c), "n": 1}),
    "pmo:akar-masalah-add": post_only(_pmo),
    "pmo:akar-masalah-delete": post_only(lambda c: {"pk": c.akar.pk}),
    "pmo:sampah": Spec(EVERYONE),
    "pmo:akar-masalah-restore": post_only(lambda c: {"pk": c.akar_sampah.pk}),
    "pmo:solusi-add": Spec(ok(*PMO_EDITORS), kwargs=_pmo),
    "pmo:solusi-edit": Spec(ok(*PMO_EDITORS), kwargs=lambda c: {"pk": c.solusi.pk}),
    "pmo:tindak-lanjut-add": Spec(ok(*PMO_EDITORS), kwargs=_pmo),
    "pmo:tindak-lanjut": Spec(ok(*PMO_READERS), kwargs=lambda c: {"pk": c.tindak_lanjut.pk}),
    "pmo:tindak-lanjut-edit": Spec(ok(*PMO_EDITORS), kwargs=lambda c: {"pk": c.tindak_lanjut.pk}),
    "pmo:tindak-lanjut-status": post_only(lambda c: {"pk": c.tindak_lanjut.pk}),
    "pmo:catatan-bulanan": post_only(lambda c: {"pk": c.tindak_lanjut.pk}),
    "pmo:lampiran-add": post_only(_pmo),
    "pmo:lampiran-berkas": Spec(ok(*PMO_READERS), kwargs=lambda c: {"pk": c.lampiran.pk}),
    "pmo:sejak-bulan-lalu": Spec(ok(*PMO_READERS), kwargs=_pmo),
    "pmo:umpan-balik": Spec(ok(*PMO_REVIEWERS), kwargs=_pmo),
    "pmo:forum-list": Spec(ok(*PMO_READERS), kwargs=lambda c: {"sekolah_pk": c.selong.pk}),
    "pmo:forum-create": Spec(ok(*PMO_REVIEWERS), kwargs=lambda c: {"sekolah_pk": c.selong.pk}),
    "pmo:forum-detail": Spec(ok(*PMO_READERS), kwargs=lambda c: {"pk": c.forum.pk}),
    "pmo:forum-edit": Spec(ok(*PMO_REVIEWERS), kwargs=lambda c: {"pk": c.forum.pk}),
    "pmo:wilayah": Spec(ok(*REGION)),
    "pmo:eskalasi": Spec(ok(*REGION)),
    "pmo:eskalasi-handle": post_only(lambda c: {"pk": c.tindak_lanjut.pk}),
    "pmo:wilayah-csv": post_only(),
    "pmo:laporan-pdf": post_only(_pmo),
    # --- komunitas (Komunitas Belajar Numerasi Selong) -------------------------------------
    "komunitas:home": Spec(EVERYONE),
    "komunitas:create": Spec(ok(*KOMUNITAS_EDITORS), kwargs=lambda c: {"sekolah_pk": c.selong.pk}),
    "komunitas:detail": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.komunitas.pk}),
    "komunitas:edit": Spec(ok(*KOMUNITAS_EDITORS), kwargs=lambda c: {"pk": c.komunitas.pk}),
    "komunitas:jadwal": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.komunitas.pk}),
    "komunitas:jadwal-delete": post_only(
        lambda c: {"pk": c.komunitas.pk, "jadwal_pk": c.jadwal.pk}
    ),
    "komunitas:pertemuan-create": Spec(
        ok(*KOMUNITAS_MEMBERS), kwargs=lambda c: {"pk": c.komunitas.pk}
    ),
    "komunitas:pertemuan": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.pertemuan.pk}),
    # The feed calendar apps poll: the secret token is the key (wrong token: see below).
    "komunitas:ical": Spec(EVERYONE, kwargs=lambda c: {"token": c.komunitas.ical_token}, anon=200),
    "komunitas:ical-reset": post_only(lambda c: {"pk": c.komunitas.pk}),
    "komunitas:siklus-list": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.komunitas.pk}),
    # GET: editors are sent to the list (the form is there).
    "komunitas:siklus-create": Spec(
        ok(*KOMUNITAS_EDITORS, status=302),
        kwargs=lambda c: {"pk": c.komunitas.pk},
        redirect_to=lambda c: f"/komunitas/{c.komunitas.pk}/siklus/",
    ),
    "komunitas:siklus": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.siklus.pk}),
    "komunitas:siklus-bukti": post_only(lambda c: {"pk": c.siklus.pk}),
    "komunitas:siklus-berkas": Spec(
        ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.bukti_siklus.pk}
    ),
    "komunitas:tahap": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"sekolah_pk": c.selong.pk}),
    "komunitas:tahap-save": post_only(lambda c: {"sekolah_pk": c.selong.pk, "n": 3}),
    "komunitas:tahap-berkas": Spec(
        ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.bukti_tahap.pk}
    ),
    "komunitas:peta": Spec(EVERYONE),
    "komunitas:praktik-list": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.komunitas.pk}),
    "komunitas:praktik-create": Spec(
        ok(*KOMUNITAS_MEMBERS), kwargs=lambda c: {"pk": c.komunitas.pk}
    ),
    "komunitas:praktik": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.praktik.pk}),
    "komunitas:praktik-edit": Spec(ok(*KOMUNITAS_EDITORS), kwargs=lambda c: {"pk": c.praktik.pk}),
    "komunitas:rencana": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.komunitas.pk}),
    "komunitas:rencana-edit": post_only(lambda c: {"pk": c.rencana.pk}),
    "komunitas:pedoman": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.komunitas.pk}),
    "komunitas:pedoman-berkas": Spec(
        ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.versi_pedoman.pk}
    ),
    "komunitas:pedoman-umpan-balik": post_only(lambda c: {"pk": c.versi_pedoman.pk}),
    "komunitas:kegiatan-list": Spec(
        ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.komunitas.pk}
    ),
    "komunitas:kegiatan": Spec(ok(*KOMUNITAS_READERS), kwargs=lambda c: {"pk": c.kegiatan.pk}),
    "komunitas:laporan-pdf": post_only(lambda c: {"sekolah_pk": c.selong.pk}),
    # --- reports --------------------------------------------------------------------------
    "reports:dasbor": Spec(ok(*REGION)),
    "reports:dasbor-pdf": post_only(),
    "reports:tabel-download": Spec(
        ok(*REGION), kwargs=lambda c: {"nama": "pi-pp", "format": "csv"}
    ),
    "reports:ekspor": Spec(ok(*REGION)),
    "reports:ekspor-start": post_only(lambda c: {"jenis": "sesi_pi"}),
    "reports:kalender": Spec(ok(*CALENDAR)),
    "reports:jp": Spec(ok(*CALENDAR)),
    "reports:ical-saya": Spec(EVERYONE),
    "reports:ical-reset": post_only(),
    # pp1's personal feed, by its secret token (wrong token: see below).
    "reports:ical-feed": Spec(EVERYONE, kwargs=lambda c: {"token": c.token_kalender}, anon=200),
    "reports:pengingat": Spec(EVERYONE),
}

# POSTing (empty data) to a POST-only view as a role outside its write scope is
# a 404. Where a role can read the object but not write it, that role is used.
POST_OUT_OF_SCOPE: dict[str, str] = {
    "program:job-retry": "pp2",  # pp1's job: only pp1 and operators retry it
    "program:impor-apply": "koordinator1",
    "pendampingan:sesi-schedule": "cgp1",
    "pendampingan:pi-schedule": "cgp1",
    "pendampingan:pi-jurnal-autosave": "koordinator1",
    "pendampingan:pi-jurnal-submit": "pp2",
    "pendampingan:jurnal-autosave": "koordinator1",
    "pendampingan:jurnal-submit": "cgp1",
    "pendampingan:jurnal-reopen": "koordinator1",
    "pendampingan:rtl-add": "cgp1",
    "pendampingan:rtl-delete": "cgp1",
    "pendampingan:rtl-mark": "koordinator1",
    "pendampingan:dokumentasi-upload": "pp2",
    "pendampingan:dokumentasi-delete": "cgp1",
    "pendampingan:rtl-restore": "cgp1",
    "pendampingan:dokumentasi-restore": "cgp1",
    "pendampingan:sesi-confirm": "pp1",  # only the CGP confirms
    "pendampingan:templat-create": "koordinator1",
    "pendampingan:artefak-save": "pp1",  # the CGP's own text
    "pendampingan:artefak-comment": "cgp1",  # the PP's comment
    "program:versi-jadwal-fill": "koordinator1",
    "lokakarya:tahap-menit": "fasilitator2",
    "lokakarya:tahap-add": "koordinator1",
    "lokakarya:tahap-delete": "cgp1",
    "lokakarya:tahap-move": "fasilitator2",
    "lokakarya:agenda-save-as-template": "fasilitator1",  # manages it, but is no operator
    "lokakarya:peserta-delete": "ks1",  # a participant
    "lokakarya:kesepakatan": "koordinator1",  # reads the region's workshops
    "lokakarya:tahap-start": "fasilitator2",
    "lokakarya:tahap-finish": "pengawas1",
    "lokakarya:tahap-refleksi": "cgp1",
    "lokakarya:kelompok-create": "fasilitator2",
    "lokakarya:kelompok-move": "koordinator1",
    "pmo:langkah-save": "fasilitator1",  # reviewer, not editor
    "pmo:akar-masalah-add": "pengawas1",
    "pmo:akar-masalah-delete": "koordinator1",
    "pmo:akar-masalah-restore": "koordinator1",
    "pmo:tindak-lanjut-status": "fasilitator1",
    "pmo:catatan-bulanan": "pengawas1",
    "pmo:lampiran-add": "ks2",
    "pmo:eskalasi-handle": "ks1",  # reads the action, oversees no region
    "komunitas:jadwal-delete": "fasilitator1",
    "komunitas:siklus-bukti": "pengawas1",
    "komunitas:tahap-save": "fasilitator1",
    "komunitas:ical-reset": "fasilitator1",  # reads the feed, edits nothing
    "komunitas:rencana-edit": "koordinator1",
    "komunitas:pedoman-umpan-balik": "ks1",  # editor, but feedback is the reviewers'
    "reports:ekspor-start": "fasilitator1",
    "pendampingan:sesi-pdf": "pp2",
    "pendampingan:laporan-pdf": "koordinator1",  # reads the region's sessions, has no CGP
    "lokakarya:daftar-hadir": "ks1",  # a participant
    "lokakarya:laporan-pdf": "koordinator1",
    "pmo:wilayah-csv": "ks1",
    "pmo:laporan-pdf": "ks2",
    "komunitas:laporan-pdf": "ks2",
    "reports:dasbor-pdf": "pp1",
}

# Views that start a job (a PDF, an export) are POST-only, so that no GET (a
# prefetcher, the service worker, a second tab) starts one; a role in scope
# that posts is sent to the job's page.
JOB_STARTERS: dict[str, str] = {
    "program:sekolah-pdf": "pp1",
    "pendampingan:sesi-pdf": "cgp1",
    "pendampingan:laporan-pdf": "pp2",
    "lokakarya:daftar-hadir": "fasilitator1",
    "lokakarya:laporan-pdf": "operator1",
    "pmo:wilayah-csv": "koordinator1",
    "pmo:laporan-pdf": "pengawas1",
    "komunitas:laporan-pdf": "ks1",
    "reports:dasbor-pdf": "koordinator1",
    "reports:ekspor-start": "admin",
}

# POST-only views without an out-of-scope role: they act on the user's own data.
POST_UNSCOPED: dict[str, str] = {
    "logout": "ends the user's own session",
    "program:sekolah-pdf": "PDF of the schools the user already sees",
    "reports:ical-reset": "resets the user's own feed token",
}

# Views that show a page on GET and save on POST, with a write scope narrower
# than the read scope: a role that may read the page POSTs (empty data) and
# gets a 404 — not a form error (400), which would confirm the write exists.
READER_POST_IS_404: dict[str, str] = {
    "pendampingan:pemantauan-edit": "koordinator1",
    "lokakarya:produk": "ks1",  # a participant
    "komunitas:jadwal": "fasilitator1",
    "komunitas:pertemuan": "pengawas1",
    "komunitas:siklus": "koordinator1",
    "komunitas:rencana": "fasilitator1",
    "komunitas:pedoman": "pengawas1",
    "komunitas:kegiatan-list": "koordinator1",
    "komunitas:kegiatan": "fasilitator1",
}

# (url name, role) → why the observed status is wrong. These pairs are expected
# to fail (strict xfail): when the bug is fixed, remove the entry.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


# --- the other region and the other cohort ---------------------------------------------
# Kabupaten Sikka mirrors the Lombok Timur objects of EXPECTED (ctx.sikka holds the
# same names: SMA Negeri 1 Maumere for Selong, pp3 → cgp3 for pp1 → cgp1, the
# workshop of fasilitator3, …): every object page is asked about Sikka's object
# too, and reaches only the mirrored roles; every Lombok Timur account gets 404.
SIKKA_ROLE = {
    "admin": "admin",
    "operator1": "operator1",
    "pp1": "pp3",
    "cgp1": "cgp3",
    "fasilitator1": "fasilitator3",
    "ks1": "ks3",
    "koordinator1": "koordinator2",
}
# pp2's CGP of Angkatan 12 in Lombok Timur ("Baiq Yuni Marlina, S.Pd", no login):
# the pair pages reach pp2 and the region's coordinator, not pp1 or cgp1.
KOHORT_ROLE = {
    "admin": "admin",
    "operator1": "operator1",
    "pp1": "pp2",
    "koordinator1": "koordinator1",
}
KOHORT_OBJECTS = {"pasangan", "sesi", "rtl", "dokumentasi"}
# Object pages that belong to no region: a job is its requester's.
NOT_REGIONAL = {
    "program:job-detail",
    "program:job-status",
    "program:job-download",
    "program:job-retry",
}
OBJECT_KWARGS = {"pk", "sekolah_pk", "penugasan_pk"}


class _Probe:
    """Stands for ctx while a kwargs lambda is read: records the objects it uses."""

    def __init__(self, used: set[str] | None = None):
        self.__dict__["used"] = set() if used is None else used

    def __getattr__(self, name: str):
        self.used.add(name)
        return _Probe(set())


def _objects_used(spec: Spec) -> tuple[set[str], set[str]]:
    """(kwarg names, ctx attributes) of a spec's URL."""
    probe = _Probe()
    return set(spec.kwargs(probe)), probe.used


def _mirror(spec: Spec, roles: Mapping[str, str], namespace: str) -> Spec:
    redirect_to = spec.redirect_to
    if callable(redirect_to):
        target = redirect_to

        def redirect_to(c):
            return target(getattr(c, namespace))

    return Spec(
        ok={roles[r]: status for r, status in spec.ok.items() if r in roles},
        kwargs=lambda c: spec.kwargs(getattr(c, namespace)),
        default=spec.default,
        method=spec.method,
        anon=spec.anon,
        redirect_to=redirect_to,
        post_only=spec.post_only,
    )


SIKKA: dict[str, Spec] = {
    name: _mirror(spec, SIKKA_ROLE, "sikka")
    for name, spec in EXPECTED.items()
    if name not in NOT_REGIONAL and OBJECT_KWARGS & _objects_used(spec)[0]
}
KOHORT: dict[str, Spec] = {
    name: _mirror(spec, KOHORT_ROLE, "kohort")
    for name, spec in EXPECTED.items()
    if (used := _objects_used(spec)[1]) and used <= KOHORT_OBJECTS
}
LOMBOK_TIMUR_ROLES = ("pp1", "pp2", "cgp1", "fasilitator1", "ks1", "pengawas1", "koordinator1")


# --- enumeration ---------------------------------------------------------------------


def url_names() -> set[str]:
    """Every named URL pattern, namespaced ("pmo:instrumen"), the admin aside."""
    names: set[str] = set()

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace
                if namespace == "admin":
                    continue
                walk(pattern, f"{prefix}{namespace}:" if namespace else prefix)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL pattern {pattern.pattern!r}"
                names.add(prefix + pattern.name)

    walk(get_resolver(), "")
    return names


def test_every_url_has_an_entry():
    names = url_names()
    missing = sorted(names - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - names)
    assert not missing, "URLs without an access entry in EXPECTED: " + ", ".join(missing)
    assert not stale, "entries in EXPECTED for URLs that no longer exist: " + ", ".join(stale)


def test_tables_are_consistent():
    post = {name for name, spec in EXPECTED.items() if spec.post_only}
    both = POST_OUT_OF_SCOPE.keys() & POST_UNSCOPED.keys()
    assert not both, f"in both POST tables: {sorted(both)}"
    unlisted = sorted(post - POST_OUT_OF_SCOPE.keys() - POST_UNSCOPED.keys())
    assert not unlisted, "POST-only URLs without an out-of-scope role: " + ", ".join(unlisted)
    not_post = sorted(POST_OUT_OF_SCOPE.keys() - post)
    assert not not_post, "POST_OUT_OF_SCOPE lists views that are not POST-only: " + ", ".join(
        not_post
    )
    for name, spec in EXPECTED.items():
        assert set(spec.ok) <= set(ROLES), name
        if 302 in spec.ok.values():
            assert spec.redirect_to is not None, f"{name}: say where its 302 goes"
    for name, role in READER_POST_IS_404.items():
        spec = EXPECTED[name]
        assert not spec.post_only and spec.ok.get(role) == 200, f"{role} does not read {name}"
    for name, role in JOB_STARTERS.items():
        assert EXPECTED[name].post_only and role in ROLES, name
    for name, role in KNOWN_BUGS:
        assert name in EXPECTED and role in (*ROLES, ANON), (name, role)


# --- the demo database, once for the module -------------------------------------------


def _image(color: str = "#1565c0") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return buffer.getvalue()


def _upload(name: str = "bukti.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _image(), content_type="image/jpeg")


# The accounts and schools whose objects each URL is asked about: ctx holds
# Lombok Timur's, ctx.sikka the same names for Sikka's (ctx.sikka.selong is SMA
# Negeri 1 Maumere, ctx.sikka.pasangan is pp3 → cgp3, …).
OBJECTS_LOMBOK_TIMUR = {
    "pp": "pp1",
    "cgp": "cgp1",
    "fasilitator": "fasilitator1",
    "ks": "ks1",
    "sekolah": "50203101",
    "sekolah_cgp": "50203103",
}
OBJECTS_SIKKA = {
    "pp": "pp3",
    "cgp": "cgp3",
    "fasilitator": "fasilitator3",
    "ks": "ks3",
    "sekolah": "50310101",
    "sekolah_cgp": "50310103",
}


def _build_context() -> SimpleNamespace:
    """The demo objects each URL is asked about, plus the few records the demo
    does not create (files, a note, a meeting, a finished job, a feed token),
    for each region, and the pair of the other cohort."""
    from django.contrib.auth import get_user_model

    from pendampingan.models import Dokumentasi, SesiPI
    from program.jobs import job_request, job_run
    from program.models import Job, PenugasanPP
    from reports.services import token_kalender_get_or_create

    users = {u.username: u for u in get_user_model().objects.all()}
    c = _region_objects(users, **OBJECTS_LOMBOK_TIMUR)
    c.users = users
    c.sikka = _region_objects(users, **OBJECTS_SIKKA)
    kohort = PenugasanPP.objects.get(cgp__nama="Baiq Yuni Marlina, S.Pd")
    sesi = SesiPI.objects.get(penugasan=kohort, urutan=1)
    c.kohort = SimpleNamespace(
        pasangan=kohort,
        sesi=sesi,
        rtl=sesi.rtl.order_by("pk").first(),
        dokumentasi=Dokumentasi.objects.filter(sesi=sesi, thumbnail__isnull=False).first(),
    )
    assert kohort.angkatan != c.pasangan.angkatan and sesi.jurnal.status == "diajukan"
    assert c.kohort.rtl is not None and c.kohort.dokumentasi is not None

    c.token_kalender = token_kalender_get_or_create(user=users["pp1"]).token
    c.job = job_request(kind="program.daftar_sekolah", actor=users["pp1"])
    job_run(c.job.pk)
    c.job.refresh_from_db()
    assert c.job.status == Job.Status.SELESAI, c.job.error
    return c


def _region_objects(users, *, pp, cgp, fasilitator, ks, sekolah, sekolah_cgp) -> SimpleNamespace:
    from komunitas import services as komunitas_services
    from komunitas.models import KomunitasBelajar, TahapOptimalisasi
    from komunitas.services.karya import pedoman_versi_upload, tahap_save
    from lokakarya.models import Lokakarya
    from lokakarya.services import nilai as services_nilai
    from pendampingan import services as pendampingan_services
    from pendampingan.models import Dokumentasi, JenisCatatan, SesiCoaching, SesiPI, TemplatPI
    from pmo import services as pmo_services
    from pmo.models import ForumPokja, InstrumenPMO, StatusTindakLanjut
    from program.models import Orang, PenugasanPP, Sekolah

    c = SimpleNamespace()
    c.selong = Sekolah.objects.get(npsn=sekolah)
    c.jerowaru = Sekolah.objects.get(npsn=sekolah_cgp)
    c.cgp1 = Orang.objects.get(user=users[cgp])
    pp1 = Orang.objects.get(user=users[pp])
    c.pasangan = PenugasanPP.objects.get(cgp=c.cgp1, pp=pp1)
    c.sesi = SesiPI.objects.get(penugasan=c.pasangan, urutan=1)
    c.pi_belum = 4  # not planned: no session row
    c.templat_pi = TemplatPI.objects.get(versi=c.pasangan.angkatan.versi, urutan=3)
    assert not SesiPI.objects.filter(penugasan=c.pasangan, urutan=c.pi_belum).exists()
    assert c.sesi.jurnal.status == "diajukan"
    c.rtl = c.sesi.rtl.order_by("pk").first()
    c.dokumentasi = Dokumentasi.objects.filter(sesi=c.sesi, thumbnail__isnull=False).first()
    assert c.rtl is not None and c.dokumentasi is not None
    # In the trash (program.softdelete), for the restore URLs.
    c.rtl_sampah = pendampingan_services.rtl_add(actor=users[pp], sesi=c.sesi, kegiatan="x")
    pendampingan_services.rtl_delete(actor=users[pp], item=c.rtl_sampah)
    c.dokumentasi_sampah = pendampingan_services.dokumentasi_add(
        actor=users[pp], sesi=c.sesi, uploaded_file=_upload(), jenis="foto"
    )
    pendampingan_services.dokumentasi_delete(actor=users[pp], dokumentasi=c.dokumentasi_sampah)
    c.catatan = pendampingan_services.catatan_create(
        actor=users[pp],
        pp=pp1,
        data={
            "jenis": JenisCatatan.KOMUNIKASI,
            "penugasan": c.pasangan,
            "judul": "Koordinasi jadwal PI 3",
            "isi": "CGP meminta PI 3 digeser ke Kamis.",
            "tanggal": timezone.localdate(),
        },
    )
    c.coaching = SesiCoaching.objects.filter(sekolah=c.selong).first()

    c.lok = Lokakarya.objects.get(fasilitator__user=users[fasilitator])
    c.tahap = c.lok.tahap.order_by("urutan").first()
    c.peserta = c.lok.peserta.order_by("pk").first()
    c.produk = services_nilai.produk_create(
        actor=users[fasilitator],
        lokakarya=c.lok,
        jenis="lainnya",
        judul="Foto lembar kerja",
        berkas_file=_upload("lembar-kerja.jpg"),
    )

    c.tahun, c.siklus_pmo = pmo_services.periode_pmo(timezone.localdate())
    c.instrumen = InstrumenPMO.objects.get(
        sekolah=c.selong, tahun_ajaran=c.tahun, siklus=c.siklus_pmo
    )
    c.akar = c.instrumen.akar_masalah.first()
    c.solusi = c.instrumen.solusi.first()
    c.akar_sampah = pmo_services.akar_masalah_add(
        actor=users[ks], instrumen=c.instrumen, uraian="Dihapus"
    )
    pmo_services.akar_masalah_delete(actor=users[ks], item=c.akar_sampah)
    # The escalated one ("terkendala"), so that the coordinator may handle it.
    c.tindak_lanjut = c.instrumen.tindak_lanjut.get(status=StatusTindakLanjut.TERKENDALA)
    c.lampiran = pmo_services.lampiran_add(
        actor=users[ks], instrumen=c.instrumen, uploaded_file=_upload("data-rapor.jpg")
    )
    c.forum = ForumPokja.objects.filter(sekolah=c.selong).first()

    c.komunitas = KomunitasBelajar.objects.get(
        sekolah=c.selong, nama__startswith="Komunitas Belajar Numerasi"
    )
    c.jadwal = c.komunitas.jadwal.first()
    c.pertemuan = komunitas_services.pertemuan_save(
        actor=users[ks],
        pertemuan=c.komunitas.pertemuan.model(komunitas=c.komunitas),
        data={
            "waktu": timezone.now().replace(microsecond=0) - dt.timedelta(days=3),
            "topik": "Berbagi hasil exit ticket",
        },
    )
    c.siklus = c.komunitas.siklus.order_by("nomor").first()
    c.bukti_siklus = komunitas_services.bukti_siklus_add(
        actor=users[ks], siklus=c.siklus, tahap="refleksi_awal", uploaded_file=_upload()
    )
    tahap3 = TahapOptimalisasi.objects.get(sekolah=c.selong, tahap=3)
    tahap_save(
        actor=users[ks],
        sekolah=c.selong,
        tahap=3,
        expected_version=tahap3.version,
        status=tahap3.status,
        bukti=tahap3.bukti,
        uploaded_file=_upload("ruang-guru.jpg"),
        keterangan="Foto ruang guru",
    )
    c.bukti_tahap = tahap3.berkas.get()
    c.praktik = c.komunitas.praktik_baik.first()
    c.rencana = c.komunitas.rencana_aksi.first()
    c.versi_pedoman = pedoman_versi_upload(
        actor=users[ks],
        komunitas=c.komunitas,
        isi="Draf 3 dengan lampiran.",
        uploaded_file=_upload("pedoman.jpg"),
    )
    c.kegiatan = c.komunitas.kegiatan.first()

    return c


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once, in a transaction rolled back after the module's last test.

    Each test's own transaction (pytest-django's django_db) becomes a savepoint
    inside this one, so whatever a request writes is undone after the test.
    Files go to a temporary MEDIA_ROOT for the whole module.
    """
    media = tmp_path_factory.mktemp("media")
    demo_media_into(media)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            ctx = _build_context()
            # One logged-in session per role, reused by every test through its cookie.
            ctx.sessions = {}
            for role in ROLES:
                client = Client()
                client.force_login(ctx.users[role])
                ctx.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            ctx.client = Client()
            yield ctx
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _eager_celery_and_private_media():
    """Overrides the conftest fixture: MEDIA_ROOT stays the module's (demo_db)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def client_for(ctx, role: str) -> Client:
    """The module's one client (its handler loads the middleware only once,
    WhiteNoise's file scan included), with the role's session cookie."""
    client = ctx.client
    client.cookies.clear()
    if role != ANON:
        client.cookies[settings.SESSION_COOKIE_NAME] = ctx.sessions[role]
    return client


def _close(response) -> None:
    """Read a streamed (file) response to its end, which closes its file.

    Not response.close(): that fires request_finished with Django's
    close_old_connections connected, which closes the PostgreSQL connection
    in the middle of the module's transaction. The test client disconnects
    it around the close it does itself at the end of the iteration.
    """
    if response.streaming:
        b"".join(response.streaming_content)


# --- the matrix ------------------------------------------------------------------------


def _cases():
    for name in sorted(EXPECTED):
        for variant in range(len(EXPECTED[name].all_kwargs())):
            label = name if variant == 0 else f"{name}#{variant + 1}"
            for role in (ANON, *ROLES):
                marks = ()
                if (name, role) in KNOWN_BUGS:
                    reason = "BUG: " + KNOWN_BUGS[name, role]
                    marks = pytest.mark.xfail(strict=True, reason=reason)
                yield pytest.param(name, variant, role, id=f"{label}[{role}]", marks=marks)


def _check_redirect(spec: Spec, ctx, response, describe: str) -> None:
    location = urlsplit(response["Location"])
    assert location.path != LOGIN_PATH, f"{describe}: sent to the login page"
    target = spec.redirect_to
    if callable(target):
        assert location.path == target(ctx), f"{describe}: redirected to {location.path}"
    else:
        assert re.fullmatch(target, location.path), f"{describe}: redirected to {location.path}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "variant", "role"), list(_cases()))
def test_access(demo_db, name, variant, role):
    spec = EXPECTED[name]
    _assert_access(spec, demo_db, name, role, kwargs=spec.all_kwargs()[variant])


@pytest.mark.django_db
@pytest.mark.parametrize("role", [ANON, *ROLES])
@pytest.mark.parametrize("name", sorted(SIKKA))
def test_access_to_the_other_regions_object(demo_db, name, role):
    _assert_access(SIKKA[name], demo_db, name, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [ANON, *ROLES])
@pytest.mark.parametrize("name", sorted(KOHORT))
def test_access_to_the_other_cohorts_object(demo_db, name, role):
    _assert_access(KOHORT[name], demo_db, name, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", LOMBOK_TIMUR_ROLES)
@pytest.mark.parametrize("name", sorted(n for n, s in SIKKA.items() if s.post_only))
def test_post_to_the_other_regions_object_is_404(demo_db, name, role):
    url = reverse(name, kwargs=SIKKA[name].kwargs(demo_db))
    response = client_for(demo_db, role).post(url, {})
    _close(response)
    assert response.status_code == 404, f"POST {url} as {role}: got {response.status_code}"


def test_the_other_region_and_cohort_cover_every_object_page():
    assert set(EXPECTED) >= NOT_REGIONAL
    assert len(SIKKA) > 100 and {"lokakarya:detail", "pmo:instrumen", "komunitas:detail"} <= set(
        SIKKA
    )
    assert {"pendampingan:sesi", "pendampingan:sesi-read", "program:cgp-detail"} <= set(KOHORT)


def _assert_access(spec: Spec, ctx, name: str, role: str, kwargs: Callable | None = None) -> None:
    url = reverse(name, kwargs=(kwargs or spec.kwargs)(ctx))
    client = client_for(ctx, role)
    response = client.generic(spec.method, url)
    _close(response)
    expected = spec.expected(role)
    describe = f"{spec.method} {url} as {role}"
    assert response.status_code == expected, (
        f"{describe}: got {response.status_code}, expected {expected}"
    )
    if expected != 302:
        return
    if role == ANON:
        location = urlsplit(response["Location"])
        assert location.path == LOGIN_PATH, f"{describe}: redirected to {location.path}"
        assert parse_qs(location.query).get("next") == [url], describe
    else:
        _check_redirect(spec, ctx, response, describe)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_OUT_OF_SCOPE))
def test_post_out_of_scope_is_404(demo_db, name):
    role = POST_OUT_OF_SCOPE[name]
    url = reverse(name, kwargs=EXPECTED[name].kwargs(demo_db))
    response = client_for(demo_db, role).post(url, {})
    _close(response)
    assert response.status_code == 404, f"POST {url} as {role}: got {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(JOB_STARTERS))
def test_a_job_is_started_by_post_and_shown_on_its_page(demo_db, name):
    role = JOB_STARTERS[name]
    url = reverse(name, kwargs=EXPECTED[name].kwargs(demo_db))
    data = {"format": "csv"} if name == "reports:ekspor-start" else {}
    response = client_for(demo_db, role).post(url, data)
    assert response.status_code == 302, f"POST {url} as {role}: got {response.status_code}"
    location = urlsplit(response["Location"]).path
    assert re.fullmatch(JOB, location), f"POST {url} as {role}: redirected to {location}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(READER_POST_IS_404))
def test_post_by_a_reader_without_write_access_is_404(demo_db, name):
    role = READER_POST_IS_404[name]
    url = reverse(name, kwargs=EXPECTED[name].kwargs(demo_db))
    response = client_for(demo_db, role).post(url, {})
    _close(response)
    assert response.status_code == 404, f"POST {url} as {role}: got {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, s in EXPECTED.items() if s.post_only))
def test_post_only_views_send_anonymous_posts_to_login(demo_db, name):
    url = reverse(name, kwargs=EXPECTED[name].kwargs(demo_db))
    response = client_for(demo_db, ANON).post(url, {})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == LOGIN_PATH


@pytest.mark.django_db
def test_background_journal_save_gets_401_json_when_logged_out(demo_db):
    """The autosave (fetch) keeps the text on the device and asks to log in again."""
    url = reverse("pendampingan:jurnal-autosave", kwargs={"pk": demo_db.sesi.pk})
    response = client_for(demo_db, ANON).post(url, {}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 401
    assert response.json()["error"] == "login"


# --- the public ones in detail -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["komunitas:ical", "reports:ical-feed"])
@pytest.mark.parametrize("role", [ANON, "pp1", "admin"])
def test_ical_feed_with_a_wrong_token_is_404(demo_db, name, role):
    url = reverse(name, kwargs={"token": "bukan-token-yang-benar"})
    assert client_for(demo_db, role).get(url).status_code == 404


@pytest.mark.django_db
def test_ical_feeds_serve_a_calendar_to_anyone_with_the_token(demo_db):
    for name in ("komunitas:ical", "reports:ical-feed"):
        url = reverse(name, kwargs=EXPECTED[name].kwargs(demo_db))
        response = client_for(demo_db, ANON).get(url)
        assert response["Content-Type"].startswith("text/calendar"), name
        assert b"BEGIN:VCALENDAR" in response.content, name


@pytest.mark.django_db
def test_password_reset_confirm_with_a_dummy_link_says_it_is_invalid(demo_db):
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MTIzNDU2", "token": "x-y"})
    response = client_for(demo_db, ANON).get(url)
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert "Tautan ini tidak berlaku lagi" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_reaches_static_files(demo_db):
    response = client_for(demo_db, ANON).get(settings.STATIC_URL + "css/app.css")
    assert response.status_code == 200
    _close(response)


# --- the Django admin -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [ANON, *ROLES])
def test_admin_is_for_staff_only(demo_db, role):
    response = client_for(demo_db, role).get("/admin/")
    if role in OPS:
        assert response.status_code == 200
        return
    assert response.status_code == 302, role
    location = urlsplit(response["Location"])
    assert location.path == "/admin/login/", role
    assert parse_qs(location.query).get("next") == ["/admin/"], role
