"""The CGP's own artefacts (issue 17 §10): peta posisi diri, rencana
pengembangan diri and kerangka portofolio are records the CGP keeps and the
PP comments on, shown again on the PP's next PI pages."""

from django.urls import reverse

from pendampingan.models import ArtefakCGP, JenisArtefak
from program.models import PenugasanPP

PETA = JenisArtefak.PETA_POSISI_DIRI


def pair(pp: str, cgp: str) -> PenugasanPP:
    return PenugasanPP.objects.get(pp__user__username=pp, cgp__user__username=cgp)


def save_url(penugasan, jenis=PETA) -> str:
    return reverse("pendampingan:artefak-save", args=[penugasan.pk, jenis])


def comment_url(penugasan, jenis=PETA) -> str:
    return reverse("pendampingan:artefak-comment", args=[penugasan.pk, jenis])


def list_url(penugasan) -> str:
    return reverse("pendampingan:artefak-list", args=[penugasan.pk])


def write(client, penugasan, isi="Kompetensi refleksi sudah baik.", version=0, **extra):
    data = {f"{PETA}-isi": isi, f"{PETA}-tautan": "", f"{PETA}-version": version, **extra}
    return client.post(save_url(penugasan), data)


def test_the_page_lists_the_three_and_looking_writes_nothing(client, demo):
    p = pair("pp1", "cgp1")
    client.force_login(demo["cgp1"])
    page = client.get(list_url(p)).content.decode()
    for label in ("Peta posisi diri", "Rencana pengembangan diri", "Kerangka portofolio"):
        assert label in page
    assert "Kompetensi guru penggerak mana yang sudah baik" in page
    assert not ArtefakCGP.objects.exists()


def test_the_cgp_writes_and_the_pp_comments(client, demo):
    p = pair("pp1", "cgp1")
    client.force_login(demo["cgp1"])
    response = write(client, p)
    assert response.status_code == 302
    artefak = ArtefakCGP.objects.get(penugasan=p, jenis=PETA)
    assert artefak.isi == "Kompetensi refleksi sudah baik." and artefak.diperbarui_at

    client.force_login(demo["pp1"])
    response = client.post(
        comment_url(p),
        {f"{PETA}-komentar_pp": "Tambahkan bukti dari kelas.", f"{PETA}-version": 1},
    )
    assert response.status_code == 302
    artefak.refresh_from_db()
    assert artefak.komentar_pp == "Tambahkan bukti dari kelas."
    assert artefak.history.first().history_user == demo["pp1"]

    client.force_login(demo["cgp1"])
    page = client.get(list_url(p)).content.decode()
    assert "Tambahkan bukti dari kelas." in page


def test_the_pp_sees_them_on_the_next_pi_page(client, demo):
    p = pair("pp1", "cgp1")
    client.force_login(demo["cgp1"])
    write(client, p, isi="Perlu meningkatkan kolaborasi dengan rekan guru.")
    client.force_login(demo["pp1"])
    page = client.get(reverse("pendampingan:sesi", args=[p.pk, 3])).content.decode()
    section = page.split('id="artefak-cgp"')[1].split("</section>")[0]
    assert "Perlu meningkatkan kolaborasi dengan rekan guru." in section
    assert "Belum Anda komentari." in section
    assert "belum ditulis CGP" in section  # the other two


def test_an_empty_artefact_is_refused_with_a_message(client, demo):
    p = pair("pp1", "cgp1")
    client.force_login(demo["cgp1"])
    response = write(client, p, isi="   ")
    assert response.status_code == 400
    assert "Tulis isinya atau cantumkan tautannya." in response.content.decode()
    assert not ArtefakCGP.objects.exists()


def test_nothing_to_comment_on_before_the_cgp_writes(client, demo):
    p = pair("pp1", "cgp1")
    client.force_login(demo["pp1"])
    response = client.post(comment_url(p), {f"{PETA}-komentar_pp": "x", f"{PETA}-version": 0})
    assert response.status_code == 400
    assert "CGP belum menulis artefak ini" in response.content.decode()
    assert not ArtefakCGP.objects.exists()


def test_a_stale_save_is_a_conflict_and_keeps_the_newer_text(client, demo):
    p = pair("pp1", "cgp1")
    client.force_login(demo["cgp1"])
    write(client, p, isi="Versi pertama.")
    write(client, p, isi="Versi kedua dari tab lain.", version=1)

    response = write(client, p, isi="Versi dari tab lama.", version=1)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Versi dari tab lama." in page and "Versi kedua dari tab lain." in page
    assert ArtefakCGP.objects.get(penugasan=p).isi == "Versi kedua dari tab lain."


def test_only_the_cgp_writes_and_only_their_pp_comments(client, demo):
    p = pair("pp1", "cgp1")
    client.force_login(demo["cgp1"])
    write(client, p)
    for who in ("pp1", "pp2", "koordinator1", "operator1", "cgp3"):
        client.force_login(demo[who])
        assert write(client, p, isi="bukan saya", version=1).status_code == 404, who
    for who in ("cgp1", "pp2", "pp3", "koordinator1"):
        client.force_login(demo[who])
        data = {f"{PETA}-komentar_pp": "bukan saya", f"{PETA}-version": 1}
        assert client.post(comment_url(p), data).status_code == 404, who
    artefak = ArtefakCGP.objects.get(penugasan=p)
    assert artefak.isi == "Kompetensi refleksi sudah baik." and artefak.komentar_pp == ""


def test_another_region_and_another_cohort_get_404(client, demo):
    p = pair("pp1", "cgp1")
    for who in ("pp3", "cgp3", "koordinator2", "pp2", "fasilitator1"):
        client.force_login(demo[who])
        assert client.get(list_url(p)).status_code == 404, who
    # pp2's CGP of Angkatan 12 is another cohort: pp1 does not read it.
    other = PenugasanPP.objects.filter(pp__user__username="pp2", angkatan__nomor=12).first()
    client.force_login(demo["pp1"])
    assert client.get(list_url(other)).status_code == 404


def test_an_unknown_kind_is_404(client, demo):
    p = pair("pp1", "cgp1")
    client.force_login(demo["cgp1"])
    url = reverse("pendampingan:artefak-save", args=[p.pk, "lain"])
    assert client.post(url, {}).status_code == 404
