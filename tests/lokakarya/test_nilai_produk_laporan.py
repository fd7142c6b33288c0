"""Pre/post tests, products and the workshop report, as facilitators, participants
and outsiders experience them."""

import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from lokakarya import services
from lokakarya.models import Kehadiran, Kelompok, PeranPeserta, Peserta, Produk
from program.models import Job, Orang
from tests.pdf import pdf

# --- helpers ------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def run_job_and_read(client, response) -> str:
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI, job.error
    download = client.get(reverse("program:job-download", args=[job.pk]))
    return pdf_text(b"".join(download.streaming_content))


def peserta(workshop, nama_awal: str) -> Peserta:
    return workshop.peserta.select_related("orang").get(orang__nama__startswith=nama_awal)


def peserta_user(workshop, demo, username: str) -> Peserta:
    return workshop.peserta.select_related("orang").get(orang__user=demo[username])


def scores(workshop) -> dict[str, tuple]:
    return {
        p.orang.nama: (p.nilai_pre, p.nilai_post) for p in workshop.peserta.select_related("orang")
    }


def csv_file(text: str, name: str = "nilai.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def nilai_post_data(workshop, values: dict[int, tuple[str, str]]) -> dict:
    """The score form as the page sends it: every row, with what it showed (blank)."""
    data = {}
    for p in workshop.peserta.all():
        pre, post = values.get(p.pk, ("", ""))
        data |= {
            f"pre_{p.pk}": pre,
            f"post_{p.pk}": post,
            f"asal_pre_{p.pk}": "",
            f"asal_post_{p.pk}": "",
        }
    return data


def mean(values) -> Decimal:
    values = list(values)
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def indo(value: Decimal) -> str:
    """As the app prints a number: no trailing zeros, decimal comma."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


PDF_BYTES = pdf()


# --- access -------------------------------------------------------------------------------


def test_outsiders_get_404_everywhere(client, demo, workshop):
    produk = Produk.objects.create(lokakarya=workshop, jenis="lainnya", judul="Rencana aksi")
    pages = [
        ("get", reverse("lokakarya:nilai", args=[workshop.pk])),
        ("post", reverse("lokakarya:nilai", args=[workshop.pk])),
        ("get", reverse("lokakarya:nilai-import", args=[workshop.pk])),
        ("get", reverse("lokakarya:nilai-import", args=[workshop.pk]) + "?unduh=csv"),
        ("post", reverse("lokakarya:nilai-import", args=[workshop.pk])),
        ("get", reverse("lokakarya:nilai-saya", args=[workshop.pk])),
        ("get", reverse("lokakarya:produk", args=[workshop.pk])),
        ("post", reverse("lokakarya:produk", args=[workshop.pk])),
        ("get", reverse("lokakarya:produk-berkas", args=[produk.pk])),
        ("post", reverse("lokakarya:laporan-pdf", args=[workshop.pk])),
    ]
    for username in ("fasilitator2", "ks2"):
        client.force_login(demo[username])
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 404, (username, method, url)


def test_participant_sees_only_own_scores_and_no_facilitator_pages(client, demo, workshop):
    saya = peserta_user(workshop, demo, "cgp1")
    lain = peserta(workshop, "Kamhar")
    for p, pre, post in ((saya, "55.5", "80.25"), (lain, "43.75", "91.5")):
        p.nilai_pre, p.nilai_post = Decimal(pre), Decimal(post)
        p.save()
    client.force_login(demo["cgp1"])

    page = client.get(reverse("lokakarya:nilai-saya", args=[workshop.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "55,5" in html and "80,25" in html and "+24,75" in html
    assert "Kamhar" not in html and "43,75" not in html and "91,5" not in html
    for name in ("lokakarya:nilai", "lokakarya:nilai-import"):
        assert client.get(reverse(name, args=[workshop.pk])).status_code == 404, name
    for name in ("lokakarya:nilai", "lokakarya:laporan-pdf"):
        assert client.post(reverse(name, args=[workshop.pk])).status_code == 404, name


def test_nilai_saya_is_404_for_a_reader_who_is_not_a_participant(client, demo, workshop):
    client.force_login(demo["koordinator1"])  # reads the workshop, takes no test
    assert client.get(reverse("lokakarya:nilai-saya", args=[workshop.pk])).status_code == 404


# --- the score table -----------------------------------------------------------------------


def test_saving_all_scores_at_once_shows_means_and_gain(client, demo, workshop):
    people = list(workshop.peserta.order_by("pk"))
    typed = {
        people[0].pk: ("60", "80"),
        people[1].pk: ("72,5", "90"),  # comma decimal
        people[2].pk: ("55.25", "70"),  # dot decimal
        people[3].pk: ("40", ""),  # no post-test: not in the gain
        people[4].pk: ("", "88"),
    }
    client.force_login(demo["fasilitator1"])

    response = client.post(
        reverse("lokakarya:nilai", args=[workshop.pk]), nilai_post_data(workshop, typed)
    )

    assert response.status_code == 302
    people[1].refresh_from_db()
    people[2].refresh_from_db()
    assert people[1].nilai_pre == Decimal("72.5") and people[2].nilai_pre == Decimal("55.25")
    gains = [Decimal("20"), Decimal("17.5"), Decimal("14.75")]
    expected = mean(gains)
    assert expected == Decimal("17.42")
    page = client.get(reverse("lokakarya:nilai", args=[workshop.pk]))
    html = page.content.decode()
    assert f"+{indo(expected)}" in html  # "+17,42"
    assert "n = 3" in html  # only participants with both scores count for the gain
    assert indo(mean([Decimal("60"), Decimal("72.5"), Decimal("55.25"), Decimal("40")])) in html
    assert "<svg" in html and "Rata-rata kelas" in html


def test_an_invalid_score_saves_nothing_and_points_at_the_row(client, demo, workshop):
    a, b, c = list(workshop.peserta.select_related("orang").order_by("pk"))[:3]
    client.force_login(demo["fasilitator1"])

    response = client.post(
        reverse("lokakarya:nilai", args=[workshop.pk]),
        nilai_post_data(
            workshop, {a.pk: ("70", "85"), b.pk: ("delapan", "90"), c.pk: ("60", "120")}
        ),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tidak ada yang disimpan" in html
    assert "“delapan” bukan angka." in html
    assert "120 di luar rentang 0–100." in html
    assert 'value="delapan"' in html  # what was typed is shown again
    assert all(v == (None, None) for v in scores(workshop).values())


def test_saving_keeps_a_colleagues_scores_saved_meanwhile(client, demo, workshop):
    a, b = list(workshop.peserta.order_by("pk"))[:2]
    client.force_login(demo["fasilitator1"])
    stale_page = nilai_post_data(workshop, {a.pk: ("70", "80")})  # b shown blank
    b.nilai_pre = Decimal("65")  # saved by the co-facilitator after the page loaded
    b.save()

    client.post(reverse("lokakarya:nilai", args=[workshop.pk]), stale_page)

    a.refresh_from_db()
    b.refresh_from_db()
    assert a.nilai_pre == Decimal("70") and b.nilai_pre == Decimal("65")


@pytest.mark.parametrize("extra", [0, 28])
def test_nilai_page_query_count_is_flat(
    client, demo, workshop, django_assert_max_num_queries, extra
):
    for i in range(extra):
        orang = Orang.objects.create(nama=f"Guru Tambahan {i:02d}, S.Pd", instansi="SD Negeri")
        p = services.peserta_add(
            actor=demo["fasilitator1"], lokakarya=workshop, orang=orang, peran=PeranPeserta.GURU
        )
        p.nilai_pre, p.nilai_post = Decimal(50 + i % 10), Decimal(70 + i % 20)
        p.save()
    assert workshop.peserta.count() == 12 + extra
    client.force_login(demo["fasilitator1"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("lokakarya:nilai", args=[workshop.pk]))
    assert response.status_code == 200


# --- import --------------------------------------------------------------------------------


def test_import_with_bad_rows_is_refused_listing_each_row_and_changes_nothing(
    client, demo, workshop
):
    client.force_login(demo["fasilitator1"])
    before = scores(workshop)
    content = (
        "nama,pre,post\n"  # row 1
        "Kamhar,70,85\n"  # row 2
        "Rusdan,tujuh puluh,80\n"  # row 3: not a number
        "Hizbuddin,65,90\n"  # row 4
        "Budi Santoso,60,75\n"  # row 5: not a participant
    )

    response = client.post(
        reverse("lokakarya:nilai-import", args=[workshop.pk]), {"berkas": csv_file(content)}
    )

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "Berkas ditolak: 2 masalah" in html
    assert "Baris 3: nilai pre “tujuh puluh” bukan angka." in html
    assert "Baris 5: “Budi Santoso” tidak ditemukan di daftar peserta lokakarya ini." in html
    assert 'name="token"' not in html  # nothing to confirm
    assert scores(workshop) == before


def test_valid_import_previews_then_confirms(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    rusdan = peserta(workshop, "Rusdan")
    rusdan.nilai_pre = Decimal("50")
    rusdan.save()
    history_before = Peserta.history.count()
    # Names as a quiz tool has them: other case, extra spaces, titles dropped.
    content = (
        "Nama;Pre-Test;Post-Test\n"
        "  KAMHAR,  S.Pd ;70;85,5\n"
        "Rusdan;;80\n"  # blank pre: unchanged (50)
        "\n"  # a blank line (row 4) is skipped
        "haeroni azizah;62,5;90\n"
    )
    url = reverse("lokakarya:nilai-import", args=[workshop.pk])

    preview = client.post(url, {"berkas": csv_file(content)})

    html = " ".join(preview.content.decode().split())
    assert "3 peserta akan berubah nilainya" in html
    assert "Haeroni Azizah, S.Pd" in html and "62,5" in html
    assert "50 → " not in html  # Rusdan's pre is not changing
    assert scores(workshop)[rusdan.orang.nama] == (Decimal("50"), None)  # dry run
    assert Peserta.history.count() == history_before
    token = preview.context["token"]

    confirm = client.post(url, {"token": token})

    assert confirm.status_code == 302 and confirm["Location"].endswith(
        reverse("lokakarya:nilai", args=[workshop.pk])
    )
    now = scores(workshop)
    assert now["Kamhar, S.Pd"] == (Decimal("70"), Decimal("85.5"))
    assert now["Rusdan, S.Pd"] == (Decimal("50"), Decimal("80"))
    assert now["Haeroni Azizah, S.Pd"] == (Decimal("62.5"), Decimal("90"))
    # The same confirmation cannot be replayed.
    again = client.post(url, {"token": token}, follow=True)
    assert "sudah kedaluwarsa atau sudah diterapkan" in again.content.decode()


def test_import_token_from_another_preview_is_refused(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    url = reverse("lokakarya:nilai-import", args=[workshop.pk])
    client.post(url, {"berkas": csv_file("nama,post\nKamhar,85\n")})

    response = client.post(url, {"token": "made-up"}, follow=True)

    assert "sudah kedaluwarsa" in response.content.decode()
    assert scores(workshop)["Kamhar, S.Pd"] == (None, None)


def test_import_duplicate_and_out_of_range_are_listed(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    content = "nama,nilai_pre,nilai_post\nKamhar,70,101\nSanuardi,60,70\nkamhar,70,80\n"

    response = client.post(
        reverse("lokakarya:nilai-import", args=[workshop.pk]), {"berkas": csv_file(content)}
    )

    html = " ".join(response.content.decode().split())
    assert "Baris 2: nilai post 101 di luar rentang 0–100." in html
    assert "Baris 4: Kamhar, S.Pd sudah ada di baris 2 (peserta ganda dalam berkas)." in html
    assert all(v == (None, None) for v in scores(workshop).values())


def test_import_is_refused_when_scores_changed_after_the_preview(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    url = reverse("lokakarya:nilai-import", args=[workshop.pk])
    preview = client.post(url, {"berkas": csv_file("nama,pre\nKamhar,70\nRusdan,60\n")})
    kamhar = peserta(workshop, "Kamhar")
    kamhar.nilai_pre = Decimal("75")  # saved on the score page meanwhile
    kamhar.save()

    response = client.post(url, {"token": preview.context["token"]}, follow=True)

    assert "berubah atau pesertanya dihapus sejak pratinjau" in response.content.decode()
    assert scores(workshop)["Rusdan, S.Pd"] == (None, None)
    assert scores(workshop)["Kamhar, S.Pd"] == (Decimal("75"), None)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    # Bytes, not upload objects: an upload is read to its end by the request,
    # and a second session in the same process (make mutants) would post it empty.
    [
        ("nilai.pdf", PDF_BYTES, "Berkas bukan spreadsheet"),
        ("nilai.csv", b"<html><script>alert(1)</script></html>", "Berkas bukan spreadsheet"),
        ("nilai.csv", b"nama,skor\nKamhar,70\n", "Kolom nilai tidak ditemukan"),
        ("nilai.csv", b"peserta_ke,skor\n1,70\n", "Kolom “nama” tidak ditemukan"),
        ("nilai.csv", b"nama,pre,post\n", "Berkas tidak berisi baris data"),
        ("nilai.csv", b"   \n", "Berkas kosong"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(
    client, demo, workshop, name, content, message
):
    client.force_login(demo["fasilitator1"])

    response = client.post(
        reverse("lokakarya:nilai-import", args=[workshop.pk]),
        {"berkas": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'name="token"' not in response.content.decode()
    assert all(v == (None, None) for v in scores(workshop).values())


# Rules the score import has shared with the operator import since both read
# files through program.spreadsheet.read_table.


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nama,pre,post\nKamhar,70,80\n".encode("utf-16"), "berenkode UTF-16"),
        (b"\x89\x00\x13\x07" * 200, "berisi data biner"),
        (
            ("nama,pre,post\n" + "Kamhar,70,80\n" * 400).encode() + b"Rusdan\x00,60,70\n",
            "Baris 402 berisi karakter biner (NUL)",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Format .xls (Excel 97–2003)"),
        (b'{"nama": "Kamhar", "pre": 70}', "Berkas bukan spreadsheet"),
    ],
)
def test_files_refused_alike_by_both_imports(client, demo, workshop, content, message):
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("lokakarya:nilai-import", args=[workshop.pk]),
        {"berkas": SimpleUploadedFile("nilai.csv", content)},
    )
    html = " ".join(response.content.decode().split())
    assert message in html
    assert 'name="token"' not in html
    assert all(v == (None, None) for v in scores(workshop).values())


def test_semicolon_sheet_whose_names_hold_commas_is_read(client, demo, workshop):
    # Two columns, names with titles: more commas than semicolons in the file.
    # The delimiter is the one under which the header is found.
    content = "nama;pre\nKamhar, S.Pd., M.Pd.;70\nRusdan, S.Pd., M.Pd.;60\n"
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("lokakarya:nilai-import", args=[workshop.pk]), {"berkas": csv_file(content)}
    )
    html = " ".join(response.content.decode().split())
    assert "2 peserta akan berubah nilainya" in html


def test_blank_rows_under_the_scores_do_not_count_towards_the_row_limit(client, demo, workshop):
    content = "nama,pre\nKamhar,70\n" + ",\n" * 1500
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("lokakarya:nilai-import", args=[workshop.pk]), {"berkas": csv_file(content)}
    )
    html = " ".join(response.content.decode().split())
    assert "1 peserta akan berubah nilainya" in html


def test_xlsx_import_finds_the_sheet_with_names(client, demo, workshop):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    overview = workbook.active
    overview.title = "Overview"
    overview.append(["Kuis Komunitas Belajar"])
    sheet = workbook.create_sheet("Nilai")
    sheet.append(["Hasil pre/post-test"])  # a title row above the header
    sheet.append(["Nama", "Total Score (points)", "Pre", "Post"])
    sheet.append(["Kamhar, S.Pd", 8700, 66.666666, 90])
    sheet.append(["Nobody", 100, 50, "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(demo["fasilitator1"])

    response = client.post(
        reverse("lokakarya:nilai-import", args=[workshop.pk]),
        {"berkas": SimpleUploadedFile("kahoot.xlsx", buffer.getvalue())},
    )

    html = " ".join(response.content.decode().split())
    assert "Baris 4: “Nobody” tidak ditemukan" in html
    assert "Baris 3" not in html  # Kamhar's row is fine: 66.666666 rounds to 66,67


def test_score_sheet_download_lists_participants(client, demo, workshop):
    kamhar = peserta(workshop, "Kamhar")
    kamhar.nilai_pre = Decimal("72.50")
    kamhar.save()
    client.force_login(demo["fasilitator1"])
    response = client.get(reverse("lokakarya:nilai-import", args=[workshop.pk]) + "?unduh=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "nama;unsur;instansi;pre;post"
    assert f"Kamhar, S.Pd;Guru;{kamhar.sekolah.nama};72,5;" in text


def test_score_sheet_round_trips_through_xlsx(client, demo, workshop):
    pytest.importorskip("openpyxl")
    client.force_login(demo["fasilitator1"])
    url = reverse("lokakarya:nilai-import", args=[workshop.pk])
    sheet = client.get(url + "?unduh=xlsx")
    assert sheet.status_code == 200

    preview = client.post(url, {"berkas": SimpleUploadedFile("nilai.xlsx", sheet.content)})

    html = " ".join(preview.content.decode().split())
    assert "Semua nilai di berkas sama dengan yang tersimpan" in html


# --- products --------------------------------------------------------------------------------


def test_facilitator_adds_a_product_and_participants_read_it(client, demo, workshop):
    kelompok = Kelompok.objects.create(
        lokakarya=workshop, jenis="campuran", nomor=1, nama="Kelompok 1"
    )
    client.force_login(demo["fasilitator1"])

    response = client.post(
        reverse("lokakarya:produk", args=[workshop.pk]),
        {
            "jenis": "rencana_komunitas",
            "judul": "Rencana komunitas belajar SD Negeri 1",
            "kelompok": kelompok.pk,
            "isi": "Pertemuan tiap Kamis.",
            "berkas": SimpleUploadedFile("rencana.pdf", PDF_BYTES),
        },
    )

    assert response.status_code == 302
    produk = Produk.objects.get(lokakarya=workshop)
    assert produk.kelompok == kelompok and produk.berkas.mime == "application/pdf"
    for username in ("cgp1", "koordinator1"):
        client.force_login(demo[username])
        page = client.get(reverse("lokakarya:produk", args=[workshop.pk]))
        assert "Rencana komunitas belajar SD Negeri 1" in page.content.decode()
        assert 'name="judul"' not in page.content.decode()  # no add form
        download = client.get(reverse("lokakarya:produk-berkas", args=[produk.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF_BYTES
    client.force_login(demo["cgp1"])
    assert (
        client.post(
            reverse("lokakarya:produk", args=[workshop.pk]), {"jenis": "lainnya", "judul": "x"}
        ).status_code
        == 404
    )


def test_product_upload_refuses_html_disguised_as_pdf(client, demo, workshop):
    client.force_login(demo["fasilitator1"])

    response = client.post(
        reverse("lokakarya:produk", args=[workshop.pk]),
        {
            "jenis": "lainnya",
            "judul": "Lembar kerja",
            "berkas": SimpleUploadedFile(
                "lembar.pdf",
                b"<html><body><script>alert(1)</script></body></html>",
                content_type="application/pdf",
            ),
        },
    )

    assert response.status_code == 200
    assert "berisi HTML/SVG/XML dan tidak diizinkan" in response.content.decode()
    assert not Produk.objects.filter(lokakarya=workshop).exists()


def test_product_group_must_belong_to_the_workshop(client, demo, workshop):
    other = services.lokakarya_create(
        actor=demo["fasilitator1"],
        templat=workshop.templat,
        data={
            "nama": "Lokakarya lain",
            "program": workshop.program,
            "kabupaten": workshop.kabupaten,
            "moda": "luring",
            "tanggal_mulai": workshop.tanggal_mulai,
            "tanggal_selesai": workshop.tanggal_selesai,
            "tempat": "Aula",
            "fasilitator": workshop.fasilitator,
        },
    )
    foreign = Kelompok.objects.create(lokakarya=other, jenis="campuran", nomor=1, nama="K1")
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("lokakarya:produk", args=[workshop.pk]),
        {"jenis": "lainnya", "judul": "x", "kelompok": foreign.pk},
    )
    assert response.status_code == 200
    assert not Produk.objects.filter(lokakarya=workshop).exists()


# --- the report --------------------------------------------------------------------------------


def test_report_pdf_has_attendance_rate_mean_gain_groups_and_products(
    client, demo, workshop, django_capture_on_commit_callbacks
):
    actor = demo["fasilitator1"]
    people = list(workshop.peserta.select_related("orang").order_by("pk"))
    statuses = [Kehadiran.HADIR] * 8 + [Kehadiran.TERLAMBAT] + [Kehadiran.TIDAK_HADIR] * 3
    for p, status in zip(people, statuses, strict=True):
        services.kehadiran_set(actor=actor, peserta=p, kehadiran=status)
    came = sum(s in (Kehadiran.HADIR, Kehadiran.TERLAMBAT) for s in statuses)
    rate = f"{round(100 * came / len(people))}%"
    assert rate == "75%"
    pairs = [("60", "80"), ("70", "85.5"), ("55", "72"), ("80", "78")]
    for p, (pre, post) in zip(people, pairs, strict=False):
        p.nilai_pre, p.nilai_post = Decimal(pre), Decimal(post)
        p.save()
    gain = mean(Decimal(post) - Decimal(pre) for pre, post in pairs)
    kelompok = Kelompok.objects.create(
        lokakarya=workshop, jenis="campuran", nomor=1, nama="Kelompok Mawar"
    )
    kelompok.anggota.add(people[0], people[1])
    Produk.objects.create(
        lokakarya=workshop, jenis="rencana_komunitas", judul="Rencana KKG Gugus Selong"
    )
    tahap = workshop.tahap.order_by("urutan").first()
    services.tahap_set_refleksi(actor=actor, tahap=tahap, refleksi="Peserta antusias berbagi")
    services.kesepakatan_set(
        actor=actor, lokakarya=workshop, expected_version=workshop.version, teks="Ponsel senyap"
    )
    client.force_login(actor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lokakarya:laporan-pdf", args=[workshop.pk]))
    text = run_job_and_read(client, response)

    assert f"Tingkat kehadiran: {rate}" in text
    assert f"+{indo(gain)}" in text  # "+11,63"
    assert "Tabel 1. Daftar Peserta" in text and "No. Nama Unsur Instansi" in text
    assert "Kelompok Mawar" in text and people[0].orang.nama in text
    assert "Rencana KKG Gugus Selong" in text
    assert "Peserta antusias berbagi" in text and "Ponsel senyap" in text
    assert f"{workshop.jp} JP" in text

    # Same data: the job is reused; changed data: a new one.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("lokakarya:laporan-pdf", args=[workshop.pk]))
    assert again["Location"] == response["Location"]
    services.kehadiran_set(actor=actor, peserta=people[-1], kehadiran=Kehadiran.HADIR)
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(reverse("lokakarya:laporan-pdf", args=[workshop.pk]))
    assert changed["Location"] != response["Location"]


def test_operator_can_request_the_report(
    client, demo, workshop, django_capture_on_commit_callbacks
):
    client.force_login(demo["operator1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lokakarya:laporan-pdf", args=[workshop.pk]))
    assert workshop.nama in run_job_and_read(client, response)
