"""Hostile uploads: polyglots, active PDFs and file names that try to be paths.

Policy (program/uploads.py): images are decoded and re-encoded with Pillow on
upload, so whatever rides after or inside the pixels is gone; PDFs with
JavaScript, launch actions or embedded files are refused; the stored name is
always a random one inside MEDIA_ROOT, and the user's name is only shown and
offered as a download name after it has been cleaned.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pendampingan.models import Dokumentasi, SesiPI
from program.models import Berkas, Orang
from program.uploads import berkas_create, berkas_response, display_name
from tests.factories import UserFactory
from tests.pdf import pdf

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
PHP = b"<?php system($_GET['c']); ?>"


def image_bytes(fmt: str = "JPEG", size=(32, 24), color="#1565c0") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Main-Class: Evil\n")
        archive.writestr("Evil.class", b"\xca\xfe\xba\xbe" + b"\x00" * 32)
        archive.writestr("index.html", HTML)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def stored_bytes(berkas: Berkas) -> bytes:
    with berkas.file.open("rb") as f:
        return f.read()


def served(response) -> bytes:
    return b"".join(response.streaming_content)


# --- polyglots: the payload does not survive ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "payload", "what"),
    [
        ("JPEG", HTML, "JPEG + HTML"),
        ("PNG", HTML, "PNG + HTML"),
        ("JPEG", PHP, "JPEG + PHP"),
        ("PNG", zip_bytes(), "PNG + ZIP"),
        ("GIF", zip_bytes(), "GIFAR (GIF + JAR)"),
        ("WEBP", HTML, "WebP + HTML"),
    ],
)
def test_image_with_an_appended_payload_is_stored_without_it(fmt, payload, what):
    original = image_bytes(fmt)
    berkas = berkas_create(
        actor=UserFactory(), uploaded_file=upload(f"foto.{fmt.lower()}", original + payload)
    )
    data = stored_bytes(berkas)
    assert payload not in data, what
    assert b"<script" not in data and b"<?php" not in data and b"PK\x03\x04" not in data, what
    assert not zipfile.is_zipfile(io.BytesIO(data)), what
    # Still the same picture: same size, same colour.
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == fmt and image.size == (32, 24)
        r, g, b = image.convert("RGB").getpixel((5, 5))
        assert abs(r - 0x15) < 12 and abs(g - 0x65) < 12 and abs(b - 0xC0) < 12
    assert berkas.ukuran == len(data)


@pytest.mark.django_db
def test_markup_hidden_in_image_metadata_is_dropped():
    """A JPEG comment and EXIF (where GPS lives too) are not kept."""
    image = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[0x010E] = HTML.decode()  # ImageDescription
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), comment=HTML)
    assert HTML in buffer.getvalue()
    berkas = berkas_create(actor=UserFactory(), uploaded_file=upload("x.jpg", buffer.getvalue()))
    assert b"<script" not in stored_bytes(berkas)


@pytest.mark.django_db
def test_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (10, 10), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    berkas = berkas_create(
        actor=UserFactory(), uploaded_file=upload("animasi.gif", buffer.getvalue() + HTML)
    )
    with Image.open(io.BytesIO(stored_bytes(berkas))) as stored:
        assert stored.n_frames == 3
    assert b"<script" not in stored_bytes(berkas)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + b"\x13" * 200,  # JPEG magic, then garbage
        image_bytes("PNG")[:60],  # truncated PNG
    ],
    ids=["garbage-after-jpeg-magic", "truncated-png"],
)
def test_broken_image_is_refused_and_nothing_stored(content, monkeypatch):
    # WeasyPrint, once imported, switches Pillow to completing truncated images
    # (then such a file is stored re-encoded, padded grey, still without payload).
    monkeypatch.setattr("PIL.ImageFile.LOAD_TRUNCATED_IMAGES", False)
    with pytest.raises(ValidationError) as excinfo:
        berkas_create(actor=(actor := UserFactory()), uploaded_file=upload("foto.jpg", content))
    assert "rusak atau tidak dapat dibaca" in excinfo.value.messages[0]
    assert not Berkas.objects.filter(diunggah_oleh=actor).exists()


@pytest.mark.django_db
def test_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (20000, 10000)).save(buffer, "PNG")  # 200 megapixels in a few kB
    assert len(buffer.getvalue()) < settings.UPLOAD_MAX_BYTES
    with pytest.raises(ValidationError, match="rusak atau tidak dapat dibaca"):
        berkas_create(
            actor=(actor := UserFactory()), uploaded_file=upload("bom.png", buffer.getvalue())
        )
    assert not Berkas.objects.filter(diunggah_oleh=actor).exists()


# --- PDFs --------------------------------------------------------------------------------

PLAIN_PDF = pdf()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj",
        b"1 0 obj<</S/J#61vaScript/J#53 (app.alert(1))>>endobj",  # names with #xx escapes
        b"1 0 obj<</S/Launch/F(cmd.exe)>>endobj",
        b"1 0 obj<</Names<</EmbeddedFiles 2 0 R>>>>endobj",
    ],
    ids=["javascript", "escaped-javascript", "launch", "embedded-file"],
)
def test_pdf_with_active_content_is_refused(body):
    content = b"%PDF-1.7\n" + body + b"\ntrailer<<>>\n%%EOF\n"
    with pytest.raises(ValidationError) as excinfo:
        berkas_create(actor=(actor := UserFactory()), uploaded_file=upload("laporan.pdf", content))
    assert "berisi JavaScript" in excinfo.value.messages[0]
    assert not Berkas.objects.filter(diunggah_oleh=actor).exists()


@pytest.mark.django_db
def test_active_name_split_across_chunks_is_still_found():
    padding = b"%" + b" " * (64 * 1024 - len(b"%PDF-1.7\n") - 4) + b"\n"
    content = b"%PDF-1.7\n" + padding + b"<</S/JavaScript/JS(x)>>\n%%EOF\n"
    uploaded = upload("laporan.pdf", content)
    uploaded.DEFAULT_CHUNK_SIZE = 64 * 1024  # the name straddles the chunk boundary
    with pytest.raises(ValidationError, match="berisi JavaScript"):
        berkas_create(actor=UserFactory(), uploaded_file=uploaded)


@pytest.mark.django_db
def test_plain_pdf_is_stored_unchanged_and_shown_inline():
    berkas = berkas_create(actor=UserFactory(), uploaded_file=upload("laporan.pdf", PLAIN_PDF))
    assert stored_bytes(berkas) == PLAIN_PDF
    response = berkas_response(berkas)
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    served(response)


# --- names -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("/etc/cron.d/evil.jpg", "evil.jpg"),
        ("C:\\Windows\\System32\\foto.jpg", "foto.jpg"),
        ("..\\..\\boot.ini.jpg", "boot.ini.jpg"),
        ("foto\x00.php.jpg", "foto.php.jpg"),
        ("foto.jpg\x00.html", "foto.jpg"),
        ("foto.jpg.html", "foto.jpg"),
        ("shell.php", "shell.jpg"),
        ("tugas\u202egpj.exe", "tugasgpj.jpg"),
        ("\u202ephp.jpg", "php.jpg"),
        ("CON.jpg", "_CON.jpg"),
        ("lpt1", "_lpt1.jpg"),
        ("...", "berkas.jpg"),
        (".htaccess", "htaccess.jpg"),
        ("  foto kelas\r\n7A .jpg", "foto kelas 7A.jpg"),
        ("a" * 1000 + ".jpg", "a" * 251 + ".jpg"),
    ],
)
def test_hostile_name_is_cleaned_and_never_becomes_the_path(name, shown):
    berkas = berkas_create(actor=UserFactory(), uploaded_file=upload(name, image_bytes()))
    assert berkas.nama_asli == shown
    path = Path(berkas.file.path).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert path.is_relative_to(media) and path.is_file()
    assert path.name == Path(berkas.file.name).name and len(path.stem) == 32  # uuid4 hex
    assert path.suffix == ".jpg"
    response = berkas_response(berkas, download=True)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    for bad in ("/", "\\", "\x00", "\u202e", "\r", "\n"):
        assert bad not in disposition
    served(response)


def test_display_name_also_cleans_names_stored_before_the_policy():
    """Rows saved earlier keep their name in the database: serving cleans it again."""
    assert display_name("../x\u202etxt.html", "application/pdf") == "xtxt.pdf"
    assert display_name("Bab 1.2", "application/pdf") == "Bab 1.2.pdf"
    assert display_name("foto.JPEG", "image/jpeg") == "foto.JPEG"
    assert display_name("foto-kelas.jpg", "image/png") == "foto-kelas.jpg"
    assert display_name(None, None) == "berkas"


# --- served headers ----------------------------------------------------------------------


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType="appl'
            'ication/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "inline"),
    [
        ("foto.png", image_bytes("PNG"), True),
        ("foto.jpg", image_bytes("JPEG"), True),
        ("laporan.pdf", PLAIN_PDF, True),
        ("notulen.docx", docx_bytes(), False),
    ],
)
def test_only_images_and_pdfs_are_inline_and_nothing_is_sniffed(name, content, inline):
    berkas = berkas_create(actor=UserFactory(), uploaded_file=upload(name, content))
    response = berkas_response(berkas)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment"), disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == berkas.mime
    assert "sandbox" in response["Content-Security-Policy"]
    served(response)


# --- through the documentation upload, as a Pengajar Praktik would --------------------------


@pytest.mark.django_db
def test_polyglot_photo_with_a_path_name_through_the_journal_upload(client, demo):
    pp1 = Orang.objects.get(user=demo["pp1"])
    sesi = SesiPI.objects.filter(penugasan__pp=pp1, urutan=2).first()
    client.force_login(demo["pp1"])
    before = Dokumentasi.objects.count()
    payload = image_bytes("JPEG") + HTML
    photo = SimpleUploadedFile("../../../etc/foto\u202egpj.html", payload, "text/html")
    response = client.post(
        reverse("pendampingan:dokumentasi-upload", args=[sesi.pk]),
        {"berkas": photo, "jenis": "foto", "keterangan": "Foto kelas"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Dokumentasi.objects.count() == before + 1
    dok = Dokumentasi.objects.latest("pk")
    assert "/" not in dok.berkas.nama_asli and "\u202e" not in dok.berkas.nama_asli
    assert dok.berkas.nama_asli.endswith(".jpg")

    response = client.get(reverse("pendampingan:dokumentasi-berkas", args=[dok.pk]))
    body = served(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script" not in body

    download = client.get(reverse("pendampingan:dokumentasi-berkas", args=[dok.pk]), {"unduh": 1})
    assert download["Content-Disposition"].startswith("attachment")
    served(download)


@pytest.mark.django_db
def test_html_named_as_a_photo_is_refused_through_the_journal_upload(client, demo):
    pp1 = Orang.objects.get(user=demo["pp1"])
    sesi = SesiPI.objects.filter(penugasan__pp=pp1, urutan=2).first()
    client.force_login(demo["pp1"])
    before = Berkas.objects.count()
    response = client.post(
        reverse("pendampingan:dokumentasi-upload", args=[sesi.pk]),
        {"berkas": SimpleUploadedFile("foto.jpg", HTML, "image/jpeg"), "jenis": "foto"},
    )
    assert response.status_code == 400
    assert "berisi HTML/SVG/XML dan tidak diizinkan" in response.content.decode()
    assert Berkas.objects.count() == before
