"""Two browsers save the same object: the second sees a conflict with both versions.

For every model that inherits program.versioning.VersionedModel, and for every
page that edits one, the same story as a user lives it: open the edit form in
two tabs, save the first, then save the stale second. The second answer is a
409 page showing the saved text beside the user's own, and the first save is
intact. `test_every_versioned_model_has_an_edit_story` fails when a new
versioned model is added without a story here.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import reverse

from program.models import VersionedModel
from tests.html_forms import form_for
from tests.test_url_access import (  # noqa: F401  (demo_db is a fixture)
    EXPECTED,
    _eager_celery_and_private_media,
    _pmo,
    client_for,
    demo_db,
)


@dataclass(frozen=True)
class Story:
    model: str  # "app_label.Model"
    role: str
    page: Callable  # ctx -> the path of the page with the form
    action: Callable  # ctx -> the path the form posts to
    field: str  # the text the two tabs change
    obj: Callable  # ctx -> the instance, to read what is stored
    attr: str | None = None  # model attribute when it differs from the field name
    also: Callable | None = None  # ctx -> values to set in both tabs (e.g. a status)


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def _page(name: str) -> Callable:
    return lambda c: _url(name, **EXPECTED[name].kwargs(c))


def _open_journal(c):
    """A PI session of pp1 whose journal is still a draft (the form is shown)."""
    from pendampingan.models import SesiPI, StatusJurnal

    for sesi in SesiPI.objects.filter(penugasan=c.pasangan).order_by("urutan"):
        jurnal = getattr(sesi, "jurnal", None)
        if jurnal is None or jurnal.status == StatusJurnal.DRAF:
            return sesi
    raise AssertionError("pp1 has no PI session with a draft journal")


def _jurnal(c):
    from pendampingan.models import JurnalPendampingan

    return JurnalPendampingan.objects.get(sesi=_open_journal(c))


def _modul(model: str, lookup: Callable):
    def get(c):
        from pendampingan import models

        return getattr(models, model).objects.get(**lookup(c))

    return get


def _catatan_bulanan(c):
    return c.tindak_lanjut.catatan_bulanan.order_by("-bulan").first()


def _tahap3(c):
    from komunitas.models import TahapOptimalisasi

    return TahapOptimalisasi.objects.get(sekolah=c.selong, tahap=3)


STORIES = [
    Story("program.Orang", "pp1", _page("program:profil"), _page("program:profil"), "instansi",
          lambda c: c.users["pp1"].orang),
    # The schedule of a session whose journal is not submitted (a submitted one is locked).
    Story("pendampingan.SesiPI", "pp1",
          lambda c: _url("pendampingan:sesi", penugasan_pk=c.pasangan.pk,
                         urutan=_open_journal(c).urutan),
          lambda c: _url("pendampingan:sesi-schedule", pk=_open_journal(c).pk), "tempat",
          _open_journal),
    # The journal form posts to the autosave URL (without JavaScript: a plain save).
    Story("pendampingan.JurnalPendampingan", "pp1",
          lambda c: _url("pendampingan:sesi", penugasan_pk=c.pasangan.pk,
                         urutan=_open_journal(c).urutan),
          lambda c: _url("pendampingan:jurnal-autosave", pk=_open_journal(c).pk),
          "catatan", _jurnal),
    Story("pendampingan.JurnalPemantauan", "pp1", _page("pendampingan:pemantauan-edit"),
          _page("pendampingan:pemantauan-edit"), "kemajuan",
          _modul("JurnalPemantauan", lambda c: {"penugasan": c.pasangan, "modul": "1.1"})),
    Story("pendampingan.JurnalFasilitasi", "pp1", _page("pendampingan:fasilitasi-edit"),
          _page("pendampingan:fasilitasi-edit"), "pelajaran",
          _modul("JurnalFasilitasi", lambda c: {"pp": c.pasangan.pp, "modul": "1.1"})),
    # The CGP's artefact: the form is prefixed by its kind; the first save creates it.
    Story("pendampingan.ArtefakCGP", "cgp1", _page("pendampingan:artefak-list"),
          _page("pendampingan:artefak-save"), "peta_posisi_diri-isi",
          _modul("ArtefakCGP", lambda c: {"penugasan": c.pasangan, "jenis": "peta_posisi_diri"}),
          attr="isi"),
    Story("pendampingan.SesiCoaching", "fasilitator1", _page("pendampingan:coaching-edit"),
          _page("pendampingan:coaching-edit"), "catatan", lambda c: c.coaching),
    Story("lokakarya.Lokakarya", "fasilitator1", _page("lokakarya:edit"), _page("lokakarya:edit"),
          "tempat", lambda c: c.lok),
    Story("lokakarya.Lokakarya", "fasilitator1", _page("lokakarya:detail"),
          lambda c: _url("lokakarya:kesepakatan", pk=c.lok.pk), "kesepakatan_kelas",
          lambda c: c.lok),
    Story("pmo.InstrumenPMO", "ks1", _page("pmo:instrumen"),
          lambda c: _url("pmo:langkah-save", **_pmo(c), n=1),
          "tujuan_sekolah", lambda c: c.instrumen),
    Story("pmo.InstrumenPMO", "ks1", _page("pmo:instrumen"),
          lambda c: _url("pmo:langkah-save", **_pmo(c), n=2),
          "masalah_prioritas", lambda c: c.instrumen),
    Story("pmo.Solusi", "ks1", _page("pmo:solusi-edit"), _page("pmo:solusi-edit"), "uraian",
          lambda c: c.solusi),
    Story("pmo.TindakLanjut", "ks1", _page("pmo:tindak-lanjut-edit"),
          _page("pmo:tindak-lanjut-edit"), "aktivitas", lambda c: c.tindak_lanjut),
    Story("pmo.TindakLanjut", "ks1", _page("pmo:tindak-lanjut"),
          lambda c: _url("pmo:tindak-lanjut-status", pk=c.tindak_lanjut.pk), "alasan",
          lambda c: c.tindak_lanjut.perubahan_status.order_by("-pk").first(), attr="alasan",
          also=lambda c: {"status": "berjalan"}),  # both tabs: terkendala → berjalan
    Story("pmo.CatatanBulanan", "ks1", _page("pmo:tindak-lanjut"),
          lambda c: _url("pmo:catatan-bulanan", pk=c.tindak_lanjut.pk), "kendala",
          _catatan_bulanan),
    Story("pmo.ForumPokja", "fasilitator1", _page("pmo:forum-edit"), _page("pmo:forum-edit"),
          "hambatan", lambda c: c.forum),
    Story("komunitas.KomunitasBelajar", "ks1", _page("komunitas:edit"), _page("komunitas:edit"),
          "tujuan", lambda c: c.komunitas),
    Story("komunitas.TahapOptimalisasi", "ks1", _page("komunitas:tahap"),
          lambda c: _url("komunitas:tahap-save", sekolah_pk=c.selong.pk, n=3), "bukti",
          _tahap3),
    Story("komunitas.Pertemuan", "ks1", _page("komunitas:pertemuan"), _page("komunitas:pertemuan"),
          "catatan", lambda c: c.pertemuan),
    Story("komunitas.SiklusInkuiri", "ks1", _page("komunitas:siklus"), _page("komunitas:siklus"),
          "refleksi_awal", lambda c: c.siklus),
    Story("komunitas.PraktikBaik", "ks1", _page("komunitas:praktik-edit"),
          _page("komunitas:praktik-edit"), "situasi", lambda c: c.praktik),
    Story("komunitas.RencanaAksi", "ks1", _page("komunitas:rencana"),
          lambda c: _url("komunitas:rencana-edit", pk=c.rencana.pk), "indikator",
          lambda c: c.rencana),
]  # fmt: skip


def _story_id(story: Story) -> str:
    return f"{story.model}:{story.field}"


def test_every_versioned_model_has_an_edit_story():
    versioned = {
        m._meta.label
        for m in apps.get_models()
        if issubclass(m, VersionedModel)
        and not m._meta.label.endswith("Historical")
        and not m.__name__.startswith("Historical")
    }
    told = {s.model for s in STORIES}
    assert versioned - told == set(), (
        f"versioned models without a conflict story: {versioned - told}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("story", STORIES, ids=_story_id)
def test_stale_save_is_a_conflict_showing_both_versions(demo_db, story):  # noqa: F811
    ctx = demo_db
    client = client_for(ctx, story.role)
    page = story.page(ctx)
    action = story.action(ctx)

    # Two tabs open the same form.
    first_page = client.get(page)
    assert first_page.status_code == 200, page
    tab_a = form_for(first_page.content.decode(), page, action).data()
    tab_b = form_for(client.get(page).content.decode(), page, action).data()
    # "version", or "<prefix>-version" on a page of several forms.
    assert any(k == "version" or k.endswith("-version") for k in tab_a), (
        f"{action}: the form carries no version"
    )
    also = story.also(ctx) if story.also else {}
    mine_a = f"Disimpan dari tab pertama ({story.field})"
    mine_b = f"Ditulis di tab kedua yang sudah usang ({story.field})"

    saved = client.post(action, {**tab_a, **also, story.field: mine_a})
    assert saved.status_code == 302, (
        f"first save of {action}: {saved.status_code}\n{saved.content.decode()[:2000]}"
    )
    obj = story.obj(ctx)
    obj.refresh_from_db()
    assert getattr(obj, story.attr or story.field) == mine_a

    stale = client.post(action, {**tab_b, **also, story.field: mine_b})
    body = html.unescape(stale.content.decode())
    assert stale.status_code == 409, f"stale save of {action}: {stale.status_code}"
    assert "Terjadi konflik penyimpanan" in body
    assert mine_a in body and mine_b in body  # both versions, side by side

    obj = story.obj(ctx)  # looked up again: a stale save must not have added a newer row
    obj.refresh_from_db()
    assert getattr(obj, story.attr or story.field) == mine_a  # the first save is intact
