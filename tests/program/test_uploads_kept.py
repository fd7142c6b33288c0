"""What survives the upload path besides safety: a picture's frames, timing,
transparency and colour profile, the name and type a download
gets, and a PDF's active content found across the chunks of a large upload.

tests/program/test_uploads_hostile.py proves what is dropped; these prove
what must not be lost on the way. Found by `make mutants`.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image, ImageCms

from program.models import Berkas
from program.uploads import berkas_create, berkas_response
from tests.factories import UserFactory
from tests.pdf import pdf

CHUNK = 64 * 1024  # Django reads uploads kept on disk in chunks of this size


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def on_disk(name: str, content: bytes) -> TemporaryUploadedFile:
    """An upload as Django keeps a large one: a temporary file read in chunks."""
    f = TemporaryUploadedFile(name, "application/pdf", len(content), None)
    f.write(content)
    f.seek(0)
    return f


def stored(berkas: Berkas) -> Image.Image:
    with berkas.file.open("rb") as f:
        return Image.open(io.BytesIO(f.read()))


def store(name: str, content: bytes) -> Berkas:
    return berkas_create(actor=UserFactory(), uploaded_file=upload(name, content))


def animation(fmt: str, n: int, **options) -> bytes:
    frames = [Image.new("RGB", (12, 12), c) for c in ("red", "green", "blue", "white")[:n]]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], **options)
    return buffer.getvalue()


# --- pictures ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_animated_gif_keeps_its_frames_timing_and_loop():
    berkas = store("animasi.gif", animation("GIF", 2, duration=400, loop=0))
    with stored(berkas) as image:
        assert image.n_frames == 2
        durations = []
        for i in range(image.n_frames):
            image.seek(i)
            durations.append(image.info["duration"])
        assert durations == [400, 400]
        assert image.info["loop"] == 0


@pytest.mark.django_db
def test_an_animated_gif_keeps_each_frames_own_timing():
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (12, 12), c) for c in ("red", "green", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=[100, 700, 300])
    with stored(store("animasi.gif", buffer.getvalue())) as image:
        durations = []
        for i in range(image.n_frames):
            image.seek(i)
            durations.append(image.info["duration"])
    assert durations == [100, 700, 300]


def frame_timings(image: Image.Image) -> list[int | None]:
    timings = []
    for i in range(image.n_frames):
        image.seek(i)
        image.load()  # a WebP names a frame's duration once the frame is decoded
        timings.append(image.info.get("duration"))
    return timings


@pytest.mark.django_db
def test_an_animated_webp_keeps_each_frames_own_timing():
    # Pillow names a WebP frame's duration only once it decodes the frame:
    # reading the timings while only seeking gave every frame the first one's.
    content = animation("WEBP", 3, duration=[100, 700, 300], loop=0)
    with stored(store("animasi.webp", content)) as image:
        assert frame_timings(image) == [100, 700, 300]


def without_second_timing(gif: bytes) -> bytes:
    """The GIF with its second frame's graphic control block (its timing) cut out."""
    block = b"\x21\xf9\x04"
    second = gif.index(block, gif.index(block) + 1)
    return gif[:second] + gif[second + 8 :]


@pytest.mark.django_db
def test_a_gif_frame_without_its_own_timing_is_shown_as_long_as_the_first():
    content = without_second_timing(animation("GIF", 3, duration=[400, 200, 300], loop=0))
    with Image.open(io.BytesIO(content)) as original:
        assert frame_timings(original) == [400, None, 300]
    with stored(store("animasi.gif", content)) as image:
        assert frame_timings(image) == [400, 400, 300]


def rotated_photo(fmt: str) -> bytes:
    """A phone's photo held sideways: 20 wide, 10 high as stored, red on the
    left half, and EXIF orientation 6 (to be turned 90° clockwise)."""
    image = Image.new("RGB", (20, 10), "blue")
    image.paste((255, 0, 0), (0, 0, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes(), **({"lossless": True} if fmt == "WEBP" else {}))
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "name"), [("JPEG", "foto.jpg"), ("PNG", "foto.png"), ("WEBP", "foto.webp")]
)
def test_a_photo_taken_sideways_is_stored_upright(fmt, name):
    with stored(store(name, rotated_photo(fmt))) as image:
        assert image.size == (10, 20)  # turned: now taller than wide
        red, _, blue = image.convert("RGB").getpixel((5, 2))
        assert red > 200 and blue < 60  # the red half is now on top
        assert not image.getexif().get(0x0112)  # no orientation left to apply twice


@pytest.mark.django_db
def test_an_animated_webp_keeps_its_frames_and_background():
    white = (255, 255, 255, 255)
    berkas = store("animasi.webp", animation("WEBP", 3, duration=250, background=white))
    with stored(berkas) as image:
        assert image.format == "WEBP"
        assert image.n_frames == 3
        assert image.info["background"] == white


@pytest.mark.django_db
def test_a_transparent_png_stays_transparent():
    logo = Image.new("RGBA", (10, 10), (255, 0, 0, 0))
    logo.putpixel((5, 5), (0, 0, 255, 255))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    with stored(store("logo.png", buffer.getvalue())) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0
        assert image.getpixel((5, 5)) == (0, 0, 255, 255)


@pytest.mark.django_db
def test_a_palette_gif_keeps_its_transparent_colour():
    icon = Image.new("P", (10, 10), 1)  # colour 1 (red) is the transparent one
    icon.putpalette([255, 255, 255, 255, 0, 0] + [0, 0, 0] * 254)
    icon.putpixel((5, 5), 0)
    buffer = io.BytesIO()
    icon.save(buffer, "GIF", transparency=1)
    with stored(store("ikon.gif", buffer.getvalue())) as image:
        rgba = image.convert("RGBA")
        assert rgba.getpixel((0, 0))[3] == 0
        assert rgba.getpixel((5, 5)) == (255, 255, 255, 255)


@pytest.mark.django_db
def test_a_photo_keeps_its_colour_profile_and_is_stored_at_quality_90():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = Image.radial_gradient("L").convert("RGB")
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", icc_profile=profile, quality=95)
    reference = io.BytesIO()
    photo.save(reference, "JPEG", quality=90)
    with stored(store("foto.jpg", buffer.getvalue())) as image:
        assert image.info.get("icc_profile") == profile
        assert image.quantization == Image.open(reference).quantization


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["L", "CMYK"])
def test_grey_and_print_photos_keep_their_colours(mode):
    # A CMYK JPEG (from print shops) converted to RGB and back changes colour.
    photo = Image.new(mode, (16, 16), 90 if mode == "L" else (10, 80, 160, 20))
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG")
    with stored(store("foto.jpg", buffer.getvalue())) as image:
        assert image.mode == mode


# --- what a download is called and typed ---------------------------------------------------


@pytest.mark.django_db
def test_a_download_has_the_users_name_and_the_type_of_its_content():
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, "PNG")
    berkas = store("Foto Kelas 7A.jpg", png.getvalue())  # a PNG called .jpg
    response = berkas_response(berkas)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="Foto Kelas 7A.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, max-age=3600"
    response.close()


@pytest.mark.django_db
def test_a_name_stored_before_the_policy_is_cleaned_when_served():
    berkas = store("laporan.pdf", pdf())
    Berkas.objects.filter(pk=berkas.pk).update(nama_asli="../rahasia/laporan.html")
    berkas.refresh_from_db()
    response = berkas_response(berkas, download=True)
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
    response.close()


# --- large PDFs, read in chunks ------------------------------------------------------------


def large_pdf(active: bytes = b"", split: int = 0) -> bytes:
    """A PDF over two chunks, `active` starting `split` bytes before the first boundary."""
    head = b"%PDF-1.7\n%"
    filler = b" " * (CHUNK - len(head) - 3 - split)
    body = head + filler + b"\n<<" + active + b">>\n"
    return body + b"%" + b" " * CHUNK + b"\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db
def test_active_content_across_a_chunk_boundary_of_a_large_upload_is_refused():
    content = large_pdf(b"/S/JavaScript", split=len(b"/S/Java"))
    assert b"/JavaScript" in content
    assert b"/JavaScript" not in content[:CHUNK] and b"Java" not in content[CHUNK:]
    with pytest.raises(ValidationError, match="berisi JavaScript"):
        berkas_create(actor=(actor := UserFactory()), uploaded_file=on_disk("a.pdf", content))
    assert not Berkas.objects.filter(diunggah_oleh=actor).exists()


@pytest.mark.django_db
def test_a_large_plain_pdf_is_stored_whole():
    content = pdf(padding=b"%" + b" " * (2 * CHUNK) + b"\n")
    uploaded = on_disk("besar.pdf", content)
    berkas = berkas_create(actor=UserFactory(), uploaded_file=uploaded)
    uploaded.close()  # the storage moved the temporary file into place
    with berkas.file.open("rb") as f:
        assert f.read() == content
