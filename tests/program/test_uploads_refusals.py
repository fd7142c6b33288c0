"""The exact words of each refusal, the limits at their edges, and the names
a download is offered under (program.uploads). Found by `make mutants`."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from pendampingan.forms import DokumentasiForm
from program.models import Berkas
from program.uploads import berkas_create, detect_type, display_name
from tests.factories import UserFactory
from tests.pdf import pdf

PDF = pdf()
PDF_TYPE = "application/pdf"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as excinfo:
        detect_type(upload(name, content))
    [message] = excinfo.value.messages
    return message


def test_too_large_says_how_large_and_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert refusal("video.mp4", b"\x00" * 2048) == (
        f"Berkas “video.mp4” terlalu besar ({filesizeformat(2048)}). "
        f"Ukuran maksimal {filesizeformat(1024)}."
    )


def test_a_file_of_exactly_the_limit_is_accepted(settings):
    settings.UPLOAD_MAX_BYTES = len(PDF)
    assert detect_type(upload("pas.pdf", PDF)) == PDF_TYPE


def test_empty_file_message():
    assert refusal("kosong.pdf", b"") == "Berkas “kosong.pdf” kosong."


@pytest.mark.parametrize(
    "content",
    [
        b"\r\n \t<html><script>alert(1)</script></html>",  # markup after blank lines
        b"GIF89a<svg onload=alert(1)></svg>",  # SVG behind an image signature
        b"GIF89a<SVG ONLOAD=alert(1)></SVG>",
    ],
    ids=["leading-whitespace", "svg-after-gif-magic", "svg-upper-case"],
)
def test_markup_is_refused_as_markup(content):
    assert refusal("foto.jpg", content) == (
        "Berkas “foto.jpg” berisi HTML/SVG/XML dan tidak diizinkan."
    )


def test_unknown_type_message_lists_what_may_be_uploaded():
    assert refusal("program.pdf", b"MZ\x90\x00" + b"\x00" * 64) == (
        "Isi berkas “program.pdf” bukan jenis yang diizinkan. Unggah foto (JPG/PNG/WebP), "
        "PDF, dokumen Office/ODF, video (MP4/MOV/WebM) atau rekaman suara."
    )


def test_active_pdf_message_says_what_to_do():
    content = b"%PDF-1.7\n1 0 obj<</S/Launch/F(cmd.exe)>>endobj\n%%EOF\n"
    assert refusal("laporan.pdf", content) == (
        "PDF “laporan.pdf” berisi JavaScript, tindakan otomatis atau berkas sisipan dan "
        "tidak diizinkan. Cetak ulang dokumen ke PDF biasa, lalu unggah lagi."
    )


@pytest.mark.django_db
def test_broken_image_message(monkeypatch):
    monkeypatch.setattr("PIL.ImageFile.LOAD_TRUNCATED_IMAGES", False)
    broken = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x13" * 200
    with pytest.raises(ValidationError) as excinfo:
        berkas_create(actor=(actor := UserFactory()), uploaded_file=upload("foto.jpg", broken))
    assert excinfo.value.messages == [
        "Gambar “foto.jpg” rusak atau tidak dapat dibaca. Simpan ulang fotonya, lalu unggah."
    ]
    assert not Berkas.objects.filter(diunggah_oleh=actor).exists()


def test_an_upload_form_shows_the_refusal_beside_the_file_field():
    html = b"<html><script>alert(1)</script></html>"
    form = DokumentasiForm(data={"jenis": "foto"}, files={"berkas": upload("foto.jpg", html)})
    assert not form.is_valid()
    assert form.errors["berkas"] == ["Berkas “foto.jpg” berisi HTML/SVG/XML dan tidak diizinkan."]


@pytest.mark.parametrize(
    ("name", "mime", "shown"),
    [
        ("catatan.", PDF_TYPE, "catatan.pdf"),  # a trailing dot, which Windows drops
        ("catatan . .", PDF_TYPE, "catatan.pdf"),
        ("XII IPA 1.pdf", PDF_TYPE, "XII IPA 1.pdf"),  # class names keep their letters
        ("Rapor kelas X", PDF_TYPE, "Rapor kelas X.pdf"),
        ("rekaman.qt", "video/quicktime", "rekaman.qt"),  # QuickTime's other extension
        ("CON.draft.pdf", PDF_TYPE, "_CON.draft.pdf"),  # a device name, whatever follows
        ("a" * 300 + ".pdf", PDF_TYPE, "a" * 251 + ".pdf"),  # 255 characters at most
        ("a" * 250 + ". zz.pdf", PDF_TYPE, "a" * 250 + ".pdf"),  # cut at a dot: no "..pdf"
    ],
)
def test_download_names(name, mime, shown):
    assert display_name(name, mime) == shown
