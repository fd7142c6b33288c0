"""The one upload path refuses oversize, disguised and scriptable files."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from program.models import Berkas
from program.uploads import berkas_create, berkas_response, detect_type
from tests.factories import UserFactory
from tests.pdf import pdf


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return buf.getvalue()


PDF = pdf()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_accepts_real_image_and_pdf():
    assert detect_type(upload("foto.png", png_bytes())) == "image/png"
    assert detect_type(upload("daftar-hadir.pdf", PDF)) == "application/pdf"


def test_refuses_oversize_with_a_clear_message(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as excinfo:
        detect_type(upload("video.mp4", b"\x00" * 2048))
    assert "terlalu besar" in excinfo.value.messages[0]
    assert "Ukuran maksimal" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.jpg", b"<html><script>alert(1)</script></html>"),  # HTML named as a photo
        ("gambar.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("laporan.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a Windows program
        ("catatan.pdf", b"just some text pretending to be a pdf"),
    ],
)
def test_refuses_disguised_and_markup_files(name, content):
    with pytest.raises(ValidationError) as excinfo:
        detect_type(upload(name, content, content_type="image/jpeg"))
    assert name in excinfo.value.messages[0]


def test_refuses_empty_file():
    with pytest.raises(ValidationError, match="kosong"):
        detect_type(upload("kosong.pdf", b""))


@pytest.mark.django_db
def test_stored_file_gets_detected_type_and_random_name():
    actor = UserFactory()
    berkas = berkas_create(actor=actor, uploaded_file=upload("foto-kelas.jpg", png_bytes()))
    assert berkas.mime == "image/png"
    assert berkas.nama_asli == "foto-kelas.jpg"
    assert berkas.file.name.endswith(".png") and "foto-kelas" not in berkas.file.name
    assert list(Berkas.objects.filter(diunggah_oleh=actor)) == [berkas]


@pytest.mark.django_db
def test_refused_upload_stores_nothing():
    with pytest.raises(ValidationError):
        berkas_create(
            actor=(actor := UserFactory()), uploaded_file=upload("x.jpg", b"<html></html>")
        )
    assert not Berkas.objects.filter(diunggah_oleh=actor).exists()


@pytest.mark.django_db
def test_served_files_are_never_sniffed_and_office_files_download():
    actor = UserFactory()
    pdf = berkas_create(actor=actor, uploaded_file=upload("a.pdf", PDF))
    response = berkas_response(pdf)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    forced = berkas_response(pdf, download=True)
    assert forced["Content-Disposition"].startswith("attachment")
