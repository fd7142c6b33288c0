"""Well-formed PDFs for tests: uploads read a PDF's objects (program.uploads),
so a test's PDF needs its cross-reference table like any real one."""

from __future__ import annotations


def pdf(*objects: bytes, padding: bytes = b"") -> bytes:
    """A one-page PDF (catalog 1, pages 2, page 3), then `objects` as 4, 5, …;
    `padding` (a comment, say) between the header and the first object."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.4\n" + padding)
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
