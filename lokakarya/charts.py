"""A small server-side SVG bar chart of pre- vs post-test scores.

Drawn as plain inline SVG so the same markup works on the page (no JavaScript,
no chart library to vendor) and in the PDF (WeasyPrint renders inline SVG).
Horizontal bars keep names readable on a 360px phone.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lokakarya.services.nilai import angka

WARNA_PRE = "#adb5bd"
WARNA_POST = "#0d6efd"

_W = 640
_LABEL_W = 190
_PLOT_W = 400
_BAR_H = 9
_GROUP_H = 2 * _BAR_H + 12
_TOP = 30
_BOTTOM = 20
_NAMA_MAKS = 30


def _pendek(nama: str) -> str:
    return nama if len(nama) <= _NAMA_MAKS else nama[: _NAMA_MAKS - 1].rstrip() + "…"


def _x(value: Decimal) -> float:
    return _LABEL_W + float(value) / 100 * _PLOT_W


def pre_post_svg(
    baris: list[tuple[str, Decimal | None, Decimal | None]],
    *,
    rata_pre: Decimal | None = None,
    rata_post: Decimal | None = None,
) -> SafeString:
    """Bars per participant (name, pre, post), the class mean first.

    Participants without any score are left out; with no score at all the
    chart is empty ("").
    """
    rows = [
        (nama, pre, post, False) for nama, pre, post in baris if pre is not None or post is not None
    ]
    if not rows:
        return mark_safe("")
    if rata_pre is not None or rata_post is not None:
        rows.insert(0, (_("Rata-rata kelas"), rata_pre, rata_post, True))
    height = _TOP + len(rows) * _GROUP_H + _BOTTOM
    bottom = height - _BOTTOM
    judul = _("Nilai pre-test dan post-test per peserta")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" '
        f'width="100%" role="img" aria-label="{escape(judul)}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="11" class="grafik-nilai">',
        f"<title>{escape(judul)}</title>",
        # legend
        f'<rect x="{_LABEL_W}" y="6" width="12" height="10" fill="{WARNA_PRE}"/>',
        f'<text x="{_LABEL_W + 16}" y="15">{escape(_("Pre-test"))}</text>',
        f'<rect x="{_LABEL_W + 90}" y="6" width="12" height="10" fill="{WARNA_POST}"/>',
        f'<text x="{_LABEL_W + 106}" y="15">{escape(_("Post-test"))}</text>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = _x(Decimal(tick))
        out.append(
            f'<line x1="{x:.1f}" y1="{_TOP - 4}" x2="{x:.1f}" y2="{bottom}" '
            'stroke="#dee2e6" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" font-size="9" '
            f'fill="#6c757d">{tick}</text>'
        )
    for i, (nama, pre, post, tebal) in enumerate(rows):
        y = _TOP + i * _GROUP_H
        weight = ' font-weight="bold"' if tebal else ""
        out.append(
            f'<text x="{_LABEL_W - 6}" y="{y + _BAR_H + 4}" text-anchor="end"{weight}>'
            f"{escape(_pendek(nama))}</text>"
        )
        for j, (value, warna) in enumerate(((pre, WARNA_PRE), (post, WARNA_POST))):
            by = y + j * (_BAR_H + 2)
            if value is None:
                out.append(
                    f'<text x="{_LABEL_W + 3}" y="{by + _BAR_H - 1}" font-size="9" '
                    'fill="#6c757d">—</text>'
                )
                continue
            width = _x(value) - _LABEL_W
            out.append(
                f'<rect x="{_LABEL_W}" y="{by}" width="{width:.1f}" height="{_BAR_H}" '
                f'fill="{warna}"/>'
            )
            out.append(
                f'<text x="{_LABEL_W + width + 3:.1f}" y="{by + _BAR_H - 1}" '
                f'font-size="9">{escape(angka(value))}</text>'
            )
    out.append("</svg>")
    # Every interpolated text went through escape(); numbers are formatted here.
    return mark_safe("".join(out))  # noqa: S308
