"""Groups and rotations as the facilitator uses them: dividing participants,
moving one by hand, and the presentation and gallery-walk rotations."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lokakarya import services
from lokakarya.kelompok import (
    bagi_campuran,
    bagi_per_peran,
    jadwal_gallery_walk,
    jadwal_presentasi,
    rotasi_gallery_walk,
    rotasi_presentasi,
)
from lokakarya.models import JenisKelompok, Kehadiran, Kelompok, PeranPeserta, TemplatLokakarya
from lokakarya.services import kelompok as services_kelompok
from program.models import KabupatenKota, Orang

P, KS, G = PeranPeserta.PENGAWAS, PeranPeserta.KEPALA_SEKOLAH, PeranPeserta.GURU
CLASS_OF_12 = (
    [(i, P) for i in range(1, 3)] + [(i, KS) for i in range(3, 7)] + [(i, G) for i in range(7, 13)]
)


def roles_in(group, peserta=CLASS_OF_12):
    peran = dict(peserta)
    return Counter(peran[pk] for pk in group)


def members(lok, jenis):
    """{group name: set of participant names} for one kind of groups."""
    return {
        k.nama: {p.orang.nama for p in k.anggota.all()}
        for k in lok.kelompok.filter(jenis=jenis).prefetch_related("anggota__orang")
    }


# --- dividing (pure) --------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 7, 42, 2024, 999_999])
def test_mixed_groups_each_get_a_kepala_sekolah_and_a_guru_and_pengawas_go_to_two(seed):
    groups = bagi_campuran(CLASS_OF_12, 4, seed)
    assert [len(g) for g in groups] == [3, 3, 3, 3]
    assert sorted(pk for g in groups for pk in g) == list(range(1, 13))
    mixes = [roles_in(g) for g in groups]
    assert all(m[KS] >= 1 and m[G] >= 1 for m in mixes)
    assert sum(1 for m in mixes if m[P]) == 2


@pytest.mark.parametrize("n", range(2, 11))
@pytest.mark.parametrize("counts", [(2, 4, 6), (1, 9, 30), (5, 0, 3), (0, 0, 17), (3, 3, 3)])
def test_mixed_group_sizes_differ_by_at_most_one_and_roles_are_spread(n, counts):
    peserta, pk = [], 0
    for peran, count in zip((P, KS, G), counts, strict=True):
        for _ in range(count):
            pk += 1
            peserta.append((pk, peran))
    if n > len(peserta):
        return
    groups = bagi_campuran(peserta, n, seed=n * 31)
    sizes = [len(g) for g in groups]
    assert max(sizes) - min(sizes) <= 1
    assert sorted(x for g in groups for x in g) == list(range(1, pk + 1))
    for peran, count in zip((P, KS, G), counts, strict=True):
        holding = sum(1 for g in groups if roles_in(g, peserta)[peran])
        assert holding == min(count, n), (peran, count, n)


def test_same_seed_same_groups_whatever_the_order_and_other_seeds_differ():
    first = bagi_campuran(CLASS_OF_12, 4, seed=123)
    assert bagi_campuran(list(reversed(CLASS_OF_12)), 4, seed=123) == first
    others = [bagi_campuran(CLASS_OF_12, 4, seed=s) for s in range(1, 11)]
    assert any(o != first for o in others)
    assert len({str(o) for o in others}) > 5


def test_groups_by_role_in_the_seed_order():
    shuffled = [(9, G), (1, P), (4, KS), (2, P), (7, G), (20, PeranPeserta.LAINNYA)]
    assert bagi_per_peran(shuffled) == {P: [1, 2], KS: [4], G: [9, 7], "lainnya": [20]}
    assert bagi_per_peran([]) == {}


# --- rotations (pure) -------------------------------------------------------------


def test_presentation_rotation_of_the_seed():
    # "Kelompok 1 presentasi kelompok 2 menanggapi … Kelompok 4 presentasi kelompok 1"
    assert rotasi_presentasi(4) == [(1, 2), (2, 3), (3, 4), (4, 1)]


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_every_group_presents_once_and_responds_once(n):
    turns = rotasi_presentasi(n)
    assert sorted(p for p, _ in turns) == list(range(1, n + 1))
    assert sorted(t for _, t in turns) == list(range(1, n + 1))
    assert all(t == p % n + 1 for p, t in turns)
    giliran, total = jadwal_presentasi(n)
    assert total == n * 7
    assert [(g.mulai, g.selesai) for g in giliran][-1] == (total - 7, total)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_gallery_walk_visits_every_other_group_once(n):
    table = rotasi_gallery_walk(n)
    assert len(table) == n - 1
    groups = list(range(1, n + 1))
    for row in table:
        assert sorted(row) == groups  # every poster visited by exactly one group per round
        assert all(visited != k for k, visited in zip(groups, row, strict=True))
    for k in groups:
        seen = [row[k - 1] for row in table]
        assert sorted(seen) == [g for g in groups if g != k]


def test_gallery_walk_of_three_role_groups():
    # group k visits k+1 in round 1 and k+2 in round 2
    assert rotasi_gallery_walk(3) == [[2, 3, 1], [3, 1, 2]]


def test_gallery_walk_minutes():
    jadwal = jadwal_gallery_walk(4)
    assert [(p.nomor, p.mulai, p.selesai) for p in jadwal.putaran] == [
        (1, 0, 5),
        (2, 5, 10),
        (3, 10, 15),
    ]
    assert (jadwal.revisi_mulai, jadwal.menit_revisi, jadwal.total) == (15, 15, 30)
    assert jadwal_gallery_walk(3, menit_per_pos=4, menit_revisi=10).total == 18


@pytest.mark.parametrize("fn", [rotasi_presentasi, rotasi_gallery_walk, jadwal_gallery_walk])
def test_rotations_need_two_groups(fn):
    with pytest.raises(ValueError):
        fn(1)


# --- pages ------------------------------------------------------------------------


def url(name, lok, *args):
    return reverse(f"lokakarya:{name}", args=[lok.pk, *args])


def generate(client, lok, **data):
    return client.post(url("kelompok-create", lok), data, follow=True)


def test_facilitator_divides_the_class_into_mixed_groups(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    response = generate(client, workshop, jenis="campuran", jumlah=4)
    assert response.status_code == 200
    text = response.content.decode()
    assert "4 kelompok campuran dibuat." in text
    groups = list(
        workshop.kelompok.filter(jenis=JenisKelompok.CAMPURAN).prefetch_related("anggota")
    )
    assert [g.nama for g in groups] == ["Kelompok 1", "Kelompok 2", "Kelompok 3", "Kelompok 4"]
    mixes = [Counter(p.peran for p in g.anggota.all()) for g in groups]
    assert [sum(m.values()) for m in mixes] == [3, 3, 3, 3]
    assert all(m[KS] and m[G] for m in mixes)
    assert sum(1 for m in mixes if m[P]) == 2
    # the page lists members with their role and the mix of each group
    assert "Kepala sekolah: 1" in text
    assert "Pengawas sekolah" in text
    assert "Belum ada unsur" not in text  # only 2 pengawas for 4 groups: nothing to warn about
    # history records who divided, and the seed
    record = groups[0].history.first()
    assert record.history_user == demo["fasilitator1"]
    assert record.history_change_reason == f"seed={workshop.pk}"
    # ... which the teachers' facilitator never has to read: "Acak ulang" is enough.
    assert "Acak ulang" in text
    for jargon in ("Seed (opsional)", "dengan seed", f"seed <strong>{workshop.pk}", "(seed "):
        assert jargon not in text


def test_dividing_again_without_a_seed_gives_the_same_groups_and_a_seed_repeats(
    client, demo, workshop
):
    client.force_login(demo["fasilitator1"])
    generate(client, workshop, jenis="campuran", jumlah=4)
    first = members(workshop, JenisKelompok.CAMPURAN)
    ids_before = set(workshop.kelompok.values_list("pk", flat=True))
    generate(client, workshop, jenis="campuran", jumlah=4)
    assert members(workshop, JenisKelompok.CAMPURAN) == first
    assert set(workshop.kelompok.values_list("pk", flat=True)) == ids_before  # groups kept

    response = generate(client, workshop, jenis="campuran", jumlah=4, seed=777)
    assert "4 kelompok campuran dibuat." in response.content.decode()
    with_777 = members(workshop, JenisKelompok.CAMPURAN)
    generate(client, workshop, jenis="campuran", jumlah=4, seed=777)
    assert members(workshop, JenisKelompok.CAMPURAN) == with_777
    assert response.context["seed_terakhir"] == 777

    # fewer groups: the extra ones go, everyone still has a group
    generate(client, workshop, jenis="campuran", jumlah=3, seed=777)
    now = members(workshop, JenisKelompok.CAMPURAN)
    assert sorted(now) == ["Kelompok 1", "Kelompok 2", "Kelompok 3"]
    assert sum(len(m) for m in now.values()) == 12


def test_reshuffle_button_divides_the_class_differently(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    generate(client, workshop, jenis="campuran", jumlah=4)
    first = members(workshop, JenisKelompok.CAMPURAN)
    page = client.get(url("kelompok", workshop)).content.decode()
    forms = re.findall(r"<form.*?</form>", page, re.S)
    (reshuffle,) = [f for f in forms if 'type="submit">Acak ulang</button>' in f]
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', reshuffle))
    assert data["jenis"] == "campuran" and data["jumlah"] == "4" and int(data["seed"]) > 0

    response = generate(
        client, workshop, **{k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
    )

    assert "4 kelompok campuran dibuat." in response.content.decode()
    assert members(workshop, JenisKelompok.CAMPURAN) != first
    record = workshop.kelompok.first().history.first()
    assert record.history_change_reason == f"seed={data['seed']}"


def test_refused_divisions_say_why(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    text = generate(client, workshop, jenis="campuran", jumlah=11).content.decode()
    assert "Jumlah kelompok harus 2–10" in text
    assert not workshop.kelompok.exists()
    with pytest.raises(ValidationError):
        services_kelompok.kelompok_generate(
            actor=demo["fasilitator1"], lokakarya=workshop, jenis="campuran", jumlah=13
        )
    text = generate(client, workshop, jenis="campuran", jumlah=4, hanya_hadir="on")
    assert "Belum ada peserta yang hadir." in text.content.decode()


def test_only_those_present_are_divided(client, demo, workshop):
    present = list(workshop.peserta.order_by("pk")[:8])
    for p in present:
        services.kehadiran_set(actor=demo["fasilitator1"], peserta=p, kehadiran=Kehadiran.HADIR)
    client.force_login(demo["fasilitator1"])
    page = generate(client, workshop, jenis="campuran", jumlah=4, hanya_hadir="on")
    grouped = {p.pk for k in workshop.kelompok.all() for p in k.anggota.all()}
    assert grouped == {p.pk for p in present}
    assert len(page.context["sections"][0]["belum"]) == 4
    assert "Belum masuk kelompok" in page.content.decode()


def test_groups_by_role(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    generate(client, workshop, jenis="campuran", jumlah=4)
    response = generate(client, workshop, jenis="peran")
    assert "3 kelompok per peran dibuat." in response.content.decode()
    by_role = {
        k.nama: Counter(p.peran for p in k.anggota.all())
        for k in workshop.kelompok.filter(jenis=JenisKelompok.PERAN)
    }
    assert by_role == {
        "Kelompok Pengawas sekolah": {P: 2},
        "Kelompok Kepala sekolah": {KS: 4},
        "Kelompok Guru": {G: 6},
    }
    # the mixed groups are untouched
    assert workshop.kelompok.filter(jenis=JenisKelompok.CAMPURAN).count() == 4


def test_facilitator_moves_a_participant_by_hand(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    generate(client, workshop, jenis="campuran", jumlah=4)
    generate(client, workshop, jenis="peran")
    ks1 = workshop.peserta.get(orang__user=demo["ks1"])
    old = ks1.kelompok.get(jenis=JenisKelompok.CAMPURAN)
    target = workshop.kelompok.filter(jenis=JenisKelompok.CAMPURAN).exclude(pk=old.pk).first()
    response = client.post(
        url("kelompok-move", workshop), {"peserta": ks1.pk, "kelompok": target.pk}, follow=True
    )
    text = response.content.decode()
    assert f"{ks1.orang.nama} dipindah ke {target.nama}." in text
    # each mixed group had one of the 4 kepala sekolah: the page flags the gap
    assert "Belum ada unsur: Kepala sekolah" in text
    assert list(ks1.kelompok.filter(jenis=JenisKelompok.CAMPURAN)) == [target]
    assert ks1.kelompok.filter(jenis=JenisKelompok.PERAN).count() == 1  # the other kind stays
    assert old.history.first().history_change_reason == "pindah manual"
    assert old.history.first().history_user == demo["fasilitator1"]
    assert ks1.pk in [m.peserta_id for m in target.history.first().anggota.all()]


def test_moving_someone_of_another_workshop_is_404(client, demo, workshop):
    other = services.lokakarya_create(
        actor=demo["fasilitator1"],
        templat=TemplatLokakarya.objects.get(kode="kb1-luring"),
        data={
            "nama": "Lokakarya lain",
            "program": workshop.program,
            "kabupaten": KabupatenKota.objects.get(kode="5203"),
            "moda": "luring",
            "tanggal_mulai": dt.date(2026, 12, 1),
            "tanggal_selesai": dt.date(2026, 12, 1),
            "tempat": "Aula",
            "fasilitator": workshop.fasilitator,
        },
    )
    stranger, _ = (
        services.peserta_add(
            actor=demo["fasilitator1"],
            lokakarya=other,
            orang=Orang.objects.create(nama=f"Orang Lain {i}", instansi="SD"),
            peran=G,
        )
        for i in range(2)
    )
    services_kelompok.kelompok_generate(
        actor=demo["fasilitator1"], lokakarya=other, jenis="campuran", jumlah=2
    )
    other_group = other.kelompok.get(nomor=1)
    client.force_login(demo["fasilitator1"])
    generate(client, workshop, jenis="campuran", jumlah=4)
    mine = workshop.peserta.first()
    my_group = workshop.kelompok.first()
    move = url("kelompok-move", workshop)
    assert client.post(move, {"peserta": stranger.pk, "kelompok": my_group.pk}).status_code == 404
    assert client.post(move, {"peserta": mine.pk, "kelompok": other_group.pk}).status_code == 404
    assert client.post(move, {"peserta": "x", "kelompok": my_group.pk}).status_code == 404
    assert not my_group.anggota.filter(pk=stranger.pk).exists()


@pytest.mark.parametrize("username", ["ks1", "pengawas1", "cgp1", "fasilitator2", "ks2"])
def test_group_pages_are_404_for_participants_and_outsiders(client, demo, workshop, username):
    services_kelompok.kelompok_generate(
        actor=demo["fasilitator1"], lokakarya=workshop, jenis="campuran"
    )
    peserta = workshop.peserta.first()
    group = workshop.kelompok.last()
    client.force_login(demo[username])
    assert client.get(url("kelompok", workshop)).status_code == 404
    assert client.get(url("rotasi", workshop)).status_code == 404
    assert client.post(url("kelompok-create", workshop), {"jenis": "peran"}).status_code == 404
    assert (
        client.post(
            url("kelompok-move", workshop), {"peserta": peserta.pk, "kelompok": group.pk}
        ).status_code
        == 404
    )
    assert not workshop.kelompok.filter(jenis=JenisKelompok.PERAN).exists()


def test_rotation_page_without_groups_says_what_to_do(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    text = client.get(url("rotasi", workshop)).content.decode()
    assert "Rotasi presentasi memerlukan minimal 2 kelompok campuran." in text
    assert "Gallery walk memerlukan minimal 2 kelompok" in text


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_rotation_page_for_mixed_groups(client, demo, workshop, n):
    services_kelompok.kelompok_generate(
        actor=demo["fasilitator1"], lokakarya=workshop, jenis="campuran", jumlah=n
    )
    client.force_login(demo["fasilitator1"])
    response = client.get(url("rotasi", workshop))
    text = " ".join(response.content.decode().split())
    rows = response.context["presentasi"]["baris"]
    assert [(r["penyaji"].nomor, r["penanggap"].nomor) for r in rows][-1] == (n, 1)
    assert f"<td>Kelompok {n}</td><td>Kelompok 1</td>" in text
    assert f"Total {n * 7} menit" in text
    # no role groups yet: the gallery walk uses the mixed groups
    gallery = response.context["gallery"]
    assert len(gallery["putaran"]) == n - 1
    assert f"Putaran {n - 1}" in text
    assert f"Total {(n - 1) * 5 + 15} menit" in text


def test_gallery_walk_uses_the_role_groups_as_in_the_seed(client, demo, workshop):
    for jenis in ("campuran", "peran"):
        services_kelompok.kelompok_generate(
            actor=demo["fasilitator1"], lokakarya=workshop, jenis=jenis
        )
    client.force_login(demo["fasilitator1"])
    response = client.get(url("rotasi", workshop))
    gallery = response.context["gallery"]
    table = {b["kelompok"].nama: [k.nama for k in b["kunjungan"]] for b in gallery["baris"]}
    assert table == {
        "Kelompok Pengawas sekolah": ["Kelompok Kepala sekolah", "Kelompok Guru"],
        "Kelompok Kepala sekolah": ["Kelompok Guru", "Kelompok Pengawas sekolah"],
        "Kelompok Guru": ["Kelompok Pengawas sekolah", "Kelompok Kepala sekolah"],
    }
    text = " ".join(response.content.decode().split())
    assert "Total 25 menit" in text  # 2 stops × 5 + 15 to revise
    assert "1 presenter" in text
    assert len(response.context["presentasi"]["baris"]) == 4  # presentations: mixed groups


# --- query budget -------------------------------------------------------------------

KELOMPOK_BUDGET = 14  # 9 for session, user, roles and menu; 5 for the page


@pytest.mark.parametrize("extra", [0, 28])
def test_group_page_query_budget(client, demo, workshop, django_assert_max_num_queries, extra):
    for i in range(extra):
        services.peserta_add(
            actor=demo["fasilitator1"],
            lokakarya=workshop,
            orang=Orang.objects.create(nama=f"Guru Tambahan {i:02}", instansi="SD"),
            peran=(G, KS, P)[i % 3],
        )
    for jenis in ("campuran", "peran"):
        services_kelompok.kelompok_generate(
            actor=demo["fasilitator1"], lokakarya=workshop, jenis=jenis, jumlah=6
        )
    client.force_login(demo["fasilitator1"])
    with django_assert_max_num_queries(KELOMPOK_BUDGET):
        response = client.get(url("kelompok", workshop))
    assert response.status_code == 200
    assert response.context["jumlah_peserta"] == 12 + extra
    placed = sum(len(r["anggota"]) for r in response.context["sections"][0]["kelompok"])
    assert placed == 12 + extra
    with django_assert_max_num_queries(KELOMPOK_BUDGET):
        assert client.get(url("rotasi", workshop)).status_code == 200


def test_group_model_keeps_one_group_per_kind(demo, workshop):
    """A participant moved twice is still in exactly one mixed group."""
    services_kelompok.kelompok_generate(
        actor=demo["fasilitator1"], lokakarya=workshop, jenis="campuran"
    )
    p = workshop.peserta.first()
    for group in Kelompok.objects.filter(lokakarya=workshop).order_by("-nomor")[:2]:
        services_kelompok.kelompok_move(actor=demo["fasilitator1"], peserta=p, kelompok=group)
    assert p.kelompok.filter(jenis=JenisKelompok.CAMPURAN).count() == 1
