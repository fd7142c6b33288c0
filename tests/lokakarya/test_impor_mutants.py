"""The workshop score sheet (lokakarya.resources) beyond
tests/lokakarya/test_nilai_produk_laporan.py, written to kill the survivors of
the `imports` mutation target (docs/TESTING.md): which columns a sheet may
have and how each is read, the refusals word for word, and the sheet a
facilitator downloads."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lokakarya import resources
from lokakarya.resources import BarisBerkas


def baca(content: bytes, name="nilai.csv"):
    return resources.baca_nilai(SimpleUploadedFile(name, content))


def refused(content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        baca(content)
    return " ".join(caught.value.messages)


def xlsx(*sheets) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_every_accepted_header_names_its_column():
    for nama in resources.KOLOM["nama"]:
        for pre in resources.KOLOM["pre"]:
            isi = baca(f"{nama},{pre}\nAni,70\n".encode())
            assert (isi.kolom, isi.baris) == (("pre",), [BarisBerkas(2, "Ani", "70", None)])
    for post in resources.KOLOM["post"]:
        isi = baca(f"Nama Lengkap,{post}\nAni,80\n".encode())
        assert (isi.kolom, isi.baris) == (("post",), [BarisBerkas(2, "Ani", None, "80")])


def test_columns_are_found_in_any_order_and_cells_are_trimmed():
    isi = baca(b"post,skor,Nama Peserta,Pre-Test\n 80 ,9, Ani ,\n,7,,\n90,,Budi\n")
    assert isi.kolom == ("pre", "post")
    assert isi.lembar == ""
    assert isi.baris == [
        BarisBerkas(2, "Ani", "", "80"),
        # Row 3 has only a cell of another column; a short row lacks cells.
        BarisBerkas(4, "Budi", None, "90"),
    ]


def test_a_row_with_only_a_score_is_kept_for_its_error():
    isi = baca(b"nama,pre,post\n,70,\nAni,,\n,,80\n")
    assert isi.baris == [
        BarisBerkas(2, "", "70", ""),
        BarisBerkas(3, "Ani", "", ""),
        BarisBerkas(4, "", "", "80"),
    ]


def test_xlsx_cells_keep_their_numbers_and_the_sheet_its_title():
    content = xlsx(
        ("Ringkasan", [["Kuis"]]),
        (
            "Hasil",
            [["Judul"], ["Player", "Pre", "Post"], ["  Ani  ", 70, 85.5], [None, None, None]],
        ),
    )
    isi = baca(content, "kuis.xlsx")
    assert (isi.lembar, isi.kolom, isi.baris) == (
        "Hasil",
        ("pre", "post"),
        [BarisBerkas(3, "Ani", 70, 85.5)],
    )


def test_refusals_word_for_word():
    assert refused(b"nama,pre,nilai_pre\nAni,70,80\n") == (
        "Kolom “pre” muncul lebih dari sekali di baris judul."
    )
    assert refused(b"nama,post_test,posttest\nAni,70,80\n") == (
        "Kolom “post” muncul lebih dari sekali di baris judul."
    )
    assert refused(b"nama,peserta\nAni,70\n") == (
        "Kolom “nama” muncul lebih dari sekali di baris judul."
    )
    assert refused(b"nama,skor\nAni,70\n") == (
        "Kolom nilai tidak ditemukan. Baris judul perlu kolom “nama” dan “pre” dan/atau "
        "“post” (juga diterima: nilai_pre, nilai_post, pre-test, post-test)."
    )
    assert refused(b"no,skor\n1,70\n") == (
        "Kolom “nama” tidak ditemukan. Baris pertama berkas harus berisi judul kolom: "
        "nama, pre, post."
    )
    assert refused(b"nama,pre,post\n , ,\n") == (
        "Berkas tidak berisi baris data di bawah baris judul."
    )


def test_a_windows_csv_is_read_and_more_than_a_thousand_rows_are_refused():
    assert baca("\ufeffnama;pre\nÑoman;70\n".encode()).baris == [
        BarisBerkas(2, "Ñoman", "70", None)
    ]
    isi = baca("nama;pre\nÑoman;70\n".encode("cp1252"))
    assert isi.baris == [BarisBerkas(2, "Ñoman", "70", None)]
    assert len(baca(b"nama,pre\n" + b"Ani,70\n" * 1000).baris) == 1000
    assert refused(b"nama,pre\n" + b"Ani,70\n" * 1001) == (
        "Berkas berisi lebih dari 1000 baris data. Bagi menjadi beberapa berkas."
    )


def test_the_score_cell_reads_and_writes_the_indonesian_way():
    widget = resources.NilaiWidget()
    assert widget.clean("85,5") == Decimal("85.5")
    assert widget.clean("") is None
    assert widget.render(Decimal("72.50")) == "72,5"
    assert widget.render(None) == ""
    assert resources.xlsx_tersedia() is True


def test_names_the_sheet_wrote_as_text_are_read_back_as_registered():
    """The sheet a facilitator downloads writes a name that starts like a
    formula with a leading quote; filled in and uploaded, it is the name as
    registered. A quote before anything else, or such a sign further on, stays."""
    isi = baca(b"nama,pre\n'=Ani,70\n'-Budi,80\nA-Rahman,90\n'Ani,60\n")
    assert [b.nama for b in isi.baris] == ["=Ani", "-Budi", "A-Rahman", "'Ani"]


def test_the_sheet_to_fill_in_names_each_participants_role_and_school(workshop):
    kamhar = workshop.peserta.select_related("orang").get(orang__nama__startswith="Kamhar")
    kamhar.sekolah = None
    kamhar.nilai_post = Decimal("90")
    kamhar.save()
    kamhar.orang.instansi = "Dinas Pendidikan"
    kamhar.orang.save()
    dataset = resources.NilaiResource().export(queryset=workshop.peserta.order_by("orang__nama"))
    assert dataset.headers == ["nama", "unsur", "instansi", "pre", "post"]
    rows = {row[0]: row for row in dataset}
    assert rows["Kamhar, S.Pd"] == ("Kamhar, S.Pd", "Guru", "Dinas Pendidikan", "", "90")
    ks1 = workshop.peserta.select_related("orang", "sekolah").get(orang__user__username="ks1")
    assert rows[ks1.orang.nama] == (
        ks1.orang.nama,
        "Kepala sekolah",
        ks1.sekolah.nama,
        "",
        "",
    )
