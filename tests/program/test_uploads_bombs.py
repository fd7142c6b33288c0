"""Decompression bombs (issue 19 #3): an image whose header promises more
pixels than a photo has is refused from the header, before anything decodes
it, with a message that says what to do; a normal photo still passes."""

import io
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from program.models import Berkas
from program.uploads import MAKS_PIKSEL, berkas_create
from tests.factories import UserFactory


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header says width × height (its data is one pixel)."""
    buffer = io.BytesIO()
    Image.new("RGBA", (1, 1), "red").save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = 8  # after the signature: length (4), b"IHDR" (4), fields (13), CRC (4)
    fields = bytearray(data[ihdr + 8 : ihdr + 21])
    fields[0:8] = struct.pack(">II", width, height)
    data[ihdr + 8 : ihdr + 21] = fields
    data[ihdr + 21 : ihdr + 25] = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(fields)))
    return bytes(data)


def _gif_claiming(width: int, height: int, frames: int) -> bytes:
    """An animated GIF of small frames whose screen is width × height."""
    buffer = io.BytesIO()
    images = [Image.new("RGB", (4, 4), (40 * i, 200 - 30 * i, 0)) for i in range(frames)]
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=100)
    data = bytearray(buffer.getvalue())
    data[6:10] = struct.pack("<HH", width, height)  # the logical screen descriptor
    return bytes(data)


def upload(name: str, content: bytes):
    return berkas_create(actor=UserFactory(), uploaded_file=SimpleUploadedFile(name, content))


@pytest.mark.django_db
def test_a_png_claiming_13000_by_13000_is_refused_at_once():
    before = Berkas.objects.count()
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        upload("bom.png", _png_claiming(13000, 13000))
    assert time.perf_counter() - started < 2
    assert (
        "terlalu besar: 13000 × 13000 piksel (maksimal 40 juta piksel)" in refused.value.messages[0]
    )
    assert Berkas.objects.count() == before


@pytest.mark.django_db
def test_an_animation_of_six_8000_by_8000_frames_is_refused():
    before = Berkas.objects.count()
    with pytest.raises(ValidationError) as refused:
        upload("bom.gif", _gif_claiming(8000, 8000, 6))
    assert "terlalu besar" in refused.value.messages[0]
    assert Berkas.objects.count() == before


@pytest.mark.django_db
def test_a_long_animation_within_the_pixels_of_a_photo_is_refused_by_its_frames():
    # 4000 × 4000 × 6 frames = 96 MP: each frame a photo, all together too much.
    with pytest.raises(ValidationError) as refused:
        upload("panjang.gif", _gif_claiming(4000, 4000, 6))
    assert (
        "Animasi “panjang.gif” terlalu panjang atau terlalu besar (6 bingkai"
        in (refused.value.messages[0])
    )


@pytest.mark.django_db
def test_a_photo_at_the_limit_still_passes():
    side = int(MAKS_PIKSEL**0.5)  # 6324 × 6324: about 40 MP
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), "white").save(buffer, "JPEG", quality=50)
    berkas = upload("besar.jpg", buffer.getvalue())
    assert berkas.pk is not None
    with Image.open(berkas.file.open("rb")) as stored:
        assert stored.size == (side, side)
