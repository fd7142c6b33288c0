"""Active content in a PDF's objects (issue 19 #5): JavaScript hidden in a
compressed object stream, where no byte of the file spells it, is found by
reading the PDF's objects; a PDF whose objects cannot be read is refused
with a message, since it cannot be judged."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from program.models import Berkas
from program.uploads import berkas_create, detect_type
from tests.factories import UserFactory
from tests.pdf import pdf


def objstm_pdf(action: bytes) -> bytes:
    """A PDF 1.5 whose catalog, pages and /OpenAction `action` are packed in
    a FlateDecode object stream, with a cross-reference stream."""
    inner = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        4: action,
    }
    header, body = b"", b""
    for number, data in inner.items():
        header += b"%d %d " % (number, len(body))
        body += data + b"\n"
    stream = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    page = len(out)
    out += b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n"
    objstm = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter /FlateDecode /Length %d >>\n" % (
        len(header),
        len(stream),
    )
    out += b"stream\n" + stream + b"\nendstream\nendobj\n"
    xref = len(out)
    # Type 1: at an offset; type 2: in object stream 5, at an index.
    rows = [(0, 0, 65535), (2, 5, 0), (2, 5, 1), (1, page, 0), (2, 5, 2), (1, objstm, 0)]
    rows.append((1, xref, 0))
    table = zlib.compress(b"".join(struct.pack(">BIH", *row) for row in rows))
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
    out += b"/Length %d >>\nstream\n" % len(table) + table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
def test_javascript_in_a_compressed_object_stream_is_refused():
    content = objstm_pdf(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>")
    assert b"JavaScript" not in content and b"/JS" not in content  # no byte spells it
    before = Berkas.objects.count()
    with pytest.raises(ValidationError, match="berisi JavaScript, tindakan otomatis"):
        berkas_create(actor=UserFactory(), uploaded_file=upload("lampiran.pdf", content))
    assert Berkas.objects.count() == before


@pytest.mark.django_db
def test_a_launch_action_in_an_object_stream_is_refused():
    content = objstm_pdf(b"<< /S /Launch /F (cmd.exe) >>")
    with pytest.raises(ValidationError, match="berisi JavaScript, tindakan otomatis"):
        detect_type(upload("lampiran.pdf", content))


def test_a_link_in_an_object_stream_is_a_plain_pdf():
    content = objstm_pdf(b"<< /S /URI /URI (https://contoh.id) >>")
    assert detect_type(upload("lampiran.pdf", content)) == "application/pdf"


def test_an_embedded_file_in_a_plain_object_is_refused():
    content = pdf(b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> /Names [] >>",
                  b"<< /EmbeddedFiles 4 0 R >>")  # fmt: skip
    with pytest.raises(ValidationError, match="berkas sisipan"):
        detect_type(upload("lampiran.pdf", content))


def test_a_pdf_whose_objects_cannot_be_read_is_refused_with_a_message():
    content = b"%PDF-1.7\n1 0 obj<< /Type /Catalog >>endobj\n%%EOF\n"  # no cross-reference
    with pytest.raises(ValidationError) as refused:
        detect_type(upload("rusak.pdf", content))
    assert refused.value.messages == [
        "PDF “rusak.pdf” rusak, terkunci kata sandi atau tidak dapat diperiksa. "
        "Cetak ulang dokumen ke PDF biasa, lalu unggah lagi."
    ]


def test_a_plain_pdf_passes():
    assert detect_type(upload("daftar-hadir.pdf", pdf())) == "application/pdf"
