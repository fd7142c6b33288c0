"""Uploads at the edges the `uploads` mutation target found untested
(docs/TESTING.md): an animation made without any timing, the size limits of
a picture at their exact values and their messages word for word, and the
PDFs only the object scan judges: an action the byte scan cannot name (an
import of form data), values nested to the limit and one deeper, a PDF
locked with an owner password only, and one whose cross-reference offsets
are off, as some tools write them."""

from __future__ import annotations

import io
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from program.models import Berkas
from program.uploads import MAKS_BINGKAI, MAKS_PIKSEL, MAKS_PIKSEL_ANIMASI, berkas_create
from tests.factories import UserFactory

PDF_ACTIVE = (
    "PDF “{}” berisi JavaScript, tindakan otomatis atau berkas sisipan dan tidak diizinkan. "
    "Cetak ulang dokumen ke PDF biasa, lalu unggah lagi."
)
PDF_UNREADABLE = (
    "PDF “{}” rusak, terkunci kata sandi atau tidak dapat diperiksa. "
    "Cetak ulang dokumen ke PDF biasa, lalu unggah lagi."
)


def store(name: str, content: bytes) -> Berkas:
    return berkas_create(actor=UserFactory(), uploaded_file=SimpleUploadedFile(name, content))


def refusal(name: str, content: bytes) -> list[str]:
    before = Berkas.objects.count()
    with pytest.raises(ValidationError) as refused:
        store(name, content)
    assert Berkas.objects.count() == before
    return refused.value.messages


def gif(frames: int, *, screen: tuple[int, int] | None = None, **options) -> bytes:
    """An animated GIF of 4 × 4 frames, each unlike the one before (Pillow merges
    equal neighbours); `screen` rewrites the logical screen, the size Pillow gives."""
    images = [Image.new("L", (4, 4), 60 if i % 2 else 200) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], **options)
    data = bytearray(buffer.getvalue())
    if screen:
        data[6:10] = struct.pack("<HH", *screen)
    return bytes(data)


def frames_of(berkas: Berkas) -> int:
    with berkas.file.open("rb") as f, Image.open(io.BytesIO(f.read())) as image:
        return getattr(image, "n_frames", 1)


# --- pictures ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_animated_gif_made_without_any_timing_is_stored_with_its_frames():
    content = gif(3)  # no duration: Pillow names none for the first frame, 0 for the others
    assert frames_of(store("tanpa-waktu.gif", content)) == 3


@pytest.mark.django_db
def test_a_picture_of_exactly_the_pixel_limit_is_stored():
    width, height = 8000, MAKS_PIKSEL // 8000
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, "PNG")
    berkas = store("tepat.png", buffer.getvalue())
    with berkas.file.open("rb") as f, Image.open(io.BytesIO(f.read())) as image:
        assert image.size == (8000, 5000)


@pytest.mark.django_db
def test_a_picture_over_the_pixel_limit_is_refused_word_for_word():
    assert refusal("besar.gif", gif(1, screen=(8000, 5001))) == [
        "Gambar “besar.gif” terlalu besar: 8000 × 5001 piksel (maksimal 40 juta piksel). "
        "Perkecil ukuran fotonya, lalu unggah lagi."
    ]


@pytest.mark.django_db
def test_two_frames_just_over_the_pixels_of_an_animation_are_refused_word_for_word():
    # 6000 × 5001 × 2 = 60,012,000: each frame within a photo's limit, both too much.
    assert refusal("dua.gif", gif(2, screen=(6000, 5001))) == [
        "Animasi “dua.gif” terlalu panjang atau terlalu besar (2 bingkai 6000 × 5001 piksel). "
        "Unggah satu foto, atau video MP4."
    ]


@pytest.mark.django_db
def test_an_animation_of_exactly_the_pixels_of_an_animation_is_stored():
    width, height = 6000, MAKS_PIKSEL_ANIMASI // 2 // 6000
    assert frames_of(store("tepat.gif", gif(2, screen=(width, height), duration=100))) == 2


@pytest.mark.django_db
def test_an_animation_of_the_most_frames_is_stored_and_one_more_refused():
    assert frames_of(store("panjang.gif", gif(MAKS_BINGKAI, duration=50))) == MAKS_BINGKAI
    assert refusal("terlalu-panjang.gif", gif(MAKS_BINGKAI + 1, duration=50)) == [
        f"Animasi “terlalu-panjang.gif” terlalu panjang atau terlalu besar ({MAKS_BINGKAI + 1} "
        "bingkai 4 × 4 piksel). Unggah satu foto, atau video MP4."
    ]


# --- PDFs the object scan judges -----------------------------------------------------------


def pdf_of(*bodies: bytes) -> bytes:
    """A PDF of these objects (1 the catalog) with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
# Importing form data: a name no byte of the file shares with JavaScript or a launch.
IMPORT = b"<< /S /ImportData /F (data.fdf) >>"


@pytest.mark.django_db
def test_an_action_opening_the_document_written_in_its_catalog_is_refused():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction %s >>" % IMPORT
    assert refusal("buka.pdf", pdf_of(catalog, PAGES, PAGE)) == [PDF_ACTIVE.format("buka.pdf")]


@pytest.mark.django_db
def test_objects_after_an_object_0_marked_in_use_are_still_judged():
    """Object 0 heads the free list; a table that marks it in use hides nothing."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction %s >>" % IMPORT
    content = pdf_of(catalog, PAGES, PAGE).replace(b"0000000000 65535 f", b"0000000000 65535 n")
    assert refusal("nol.pdf", content) == [PDF_ACTIVE.format("nol.pdf")]


@pytest.mark.django_db
def test_an_action_of_a_link_on_a_page_is_refused():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [%s] >>" % (
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A %s >>" % IMPORT
    )
    assert refusal("tautan.pdf", pdf_of(CATALOG, PAGES, page)) == [PDF_ACTIVE.format("tautan.pdf")]


@pytest.mark.django_db
@pytest.mark.parametrize(("open_", "close"), [(b"[", b"]"), (b"<< /K ", b">>")])
def test_values_nested_32_deep_are_read_and_33_deep_refused(open_, close):
    def nested(levels: int) -> bytes:  # a number inside `levels` arrays or dictionaries
        return open_ * levels + b"0 " + close * levels

    assert store("dalam.pdf", pdf_of(CATALOG, PAGES, PAGE, nested(32))).mime == "application/pdf"
    assert refusal("terlalu-dalam.pdf", pdf_of(CATALOG, PAGES, PAGE, nested(33))) == [
        PDF_UNREADABLE.format("terlalu-dalam.pdf")
    ]


@pytest.mark.django_db
def test_a_pdf_locked_only_against_editing_is_stored():
    """An owner password with an empty user password: every viewer opens it."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="", owner_password="pemilik", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert store("terkunci.pdf", buffer.getvalue()).mime == "application/pdf"


@pytest.mark.django_db
def test_a_pdf_whose_offsets_are_off_is_stored():
    """A line added after the table was written: viewers find the objects anyway."""
    content = pdf_of(CATALOG, PAGES, PAGE).replace(b"%PDF-1.4\n", b"%PDF-1.4\n%diubah\n", 1)
    assert store("geser.pdf", content).mime == "application/pdf"
