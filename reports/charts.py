"""Server-side SVG charts: the same markup on the page and in the PDF.

The approach of lokakarya/charts.py, generalised: plain inline SVG (no
JavaScript, no chart library to vendor, WeasyPrint prints it as is),
horizontal bars so that names stay readable on a 360px phone, and every
interpolated text escaped. Every chart has its numbers as a table beneath it
(reports/tables.py), so a chart never is the only way to read a number.

Three shapes:

* `batang_bertumpuk` — stacked horizontal bars (PI completion per PP, stages);
* `batang_berkelompok` — grouped horizontal bars on a 0–100 scale (pre → post);
* `batang_distribusi` — one 100% bar split by category (PMO statuses).

The dashboard's own charts are assembled at the bottom (`grafik_dasbor`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lokakarya.services.nilai import angka
from reports.selectors.dashboard import KeadaanPI, persen


@dataclass(frozen=True)
class Seri:
    label: str
    warna: str
    teks: str = ""  # colour of a number written inside the bar (default: by contrast)

    @property
    def warna_teks(self) -> str:
        return self.teks or ("#000" if self.warna in _WARNA_TERANG else "#fff")


@dataclass(frozen=True)
class Baris:
    label: str
    nilai: Sequence
    tebal: bool = False


# Bootstrap's palette, so that the charts match the badges of the app.
HIJAU = "#198754"
MERAH = "#dc3545"
BIRU_MUDA = "#0dcaf0"
BIRU = "#0d6efd"
KUNING = "#ffc107"
ABU = "#adb5bd"
ABU_TUA = "#6c757d"
UNGU = "#6f42c1"
# Light fills take a dark number on top.
_WARNA_TERANG = {BIRU_MUDA, KUNING, ABU}

_W = 640
_LABEL_W = 190
_PLOT_W = 380
_PAD = 6
_NAMA_MAKS = 27
_FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="11"'


def _pendek(nama: str) -> str:
    return nama if len(nama) <= _NAMA_MAKS else nama[: _NAMA_MAKS - 1].rstrip() + "…"


def _teks_lebar(text: str, size: float = 11) -> float:
    # A rough width for layout (DejaVu Sans averages ~0.6 em per character).
    return len(text) * size * 0.6


def _buka(judul: str, height: float, css: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height:.0f}" '
        f'width="100%" role="img" aria-label="{escape(judul)}" {_FONT} class="grafik {css}">',
        f"<title>{escape(judul)}</title>",
    ]


def _legenda(
    seri: Sequence[Seri], *, x0: float = _LABEL_W, y: float = 6
) -> tuple[list[str], float]:
    """Colour keys left to right, wrapping to a new line; returns (svg, height)."""
    out, x, line = ['<g class="legenda">'], x0, 0
    for s in seri:
        width = 16 + _teks_lebar(s.label) + 14
        if x + width > _W and x > x0:
            x, line = x0, line + 1
        top = y + line * 16
        out.append(f'<rect x="{x:.1f}" y="{top}" width="12" height="10" fill="{s.warna}"/>')
        out.append(f'<text x="{x + 16:.1f}" y="{top + 9}">{escape(s.label)}</text>')
        x += width
    out.append("</g>")
    return out, (line + 1) * 16 + 6


def _selesai(out: list[str]) -> SafeString:
    out.append("</svg>")
    # Every interpolated text went through escape(); numbers are formatted here.
    return mark_safe("".join(out))  # noqa: S308


def batang_bertumpuk(
    baris: Sequence[Baris],
    seri: Sequence[Seri],
    *,
    judul: str,
    proporsional: bool = False,
    label_total: Callable[[int], str] = str,
) -> SafeString:
    """Stacked horizontal bars, one per row; `nilai` are counts per series.

    With `proporsional` every bar fills the width (the share of each series
    in that row); otherwise bars are to scale with the largest row. The row's
    total is written after the bar. No rows: "".
    """
    if not baris:
        return mark_safe("")
    bar_h, row_h = 14, 22
    legend, legend_h = _legenda(seri)
    top = legend_h + 4
    height = top + len(baris) * row_h + _PAD
    totals = [sum(int(v or 0) for v in b.nilai) for b in baris]
    skala = max(totals) or 1
    out = _buka(judul, height, "grafik-bertumpuk") + legend
    for i, (b, total) in enumerate(zip(baris, totals, strict=True)):
        y = top + i * row_h
        weight = ' font-weight="bold"' if b.tebal else ""
        out.append(
            f'<text x="{_LABEL_W - 6}" y="{y + bar_h - 3}" text-anchor="end"{weight}>'
            f"{escape(_pendek(b.label))}</text>"
        )
        full = total if proporsional else skala
        x = float(_LABEL_W)
        for value, s in zip(b.nilai, seri, strict=True):
            value = int(value or 0)
            if not value or not full:
                continue
            width = value / full * _PLOT_W
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar_h}" fill="{s.warna}">'
                f"<title>{escape(s.label)}: {value}</title></rect>"
            )
            if width >= _teks_lebar(str(value), 9) + 6:
                out.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + bar_h - 3}" text-anchor="middle" '
                    f'font-size="9" fill="{s.warna_teks}">{value}</text>'
                )
            x += width
        if not total:
            out.append(
                f'<line x1="{_LABEL_W}" y1="{y}" x2="{_LABEL_W}" y2="{y + bar_h}" '
                f'stroke="{ABU_TUA}"/>'
            )
        out.append(
            f'<text x="{x + 4:.1f}" y="{y + bar_h - 3}" font-size="10"{weight}>'
            f"{escape(label_total(total))}</text>"
        )
    return _selesai(out)


def batang_berkelompok(
    baris: Sequence[Baris],
    seri: Sequence[Seri],
    *,
    judul: str,
    maks: Decimal | int = 100,
    format_nilai: Callable[[Decimal], str] = angka,
) -> SafeString:
    """Grouped horizontal bars on a 0–`maks` scale, one bar per series per row.

    A missing value (None) is drawn as a dash. Rows without any value are
    left out; none left: "".
    """
    rows = [b for b in baris if any(v is not None for v in b.nilai)]
    if not rows:
        return mark_safe("")
    bar_h = 9
    group_h = len(seri) * (bar_h + 2) + 10
    legend, legend_h = _legenda(seri)
    top = legend_h + 6
    height = top + len(rows) * group_h + 20
    bottom = height - 20
    maks = Decimal(maks) or Decimal(1)

    def x_of(value) -> float:
        return _LABEL_W + float(Decimal(value) / maks) * _PLOT_W

    out = _buka(judul, height, "grafik-berkelompok") + legend
    for step in range(5):
        tick = maks * step / 4
        x = x_of(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" '
            'stroke="#dee2e6" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" font-size="9" '
            f'fill="{ABU_TUA}">{escape(angka(tick, 0))}</text>'
        )
    for i, b in enumerate(rows):
        y = top + i * group_h
        weight = ' font-weight="bold"' if b.tebal else ""
        out.append(
            f'<text x="{_LABEL_W - 6}" y="{y + bar_h + 4}" text-anchor="end"{weight}>'
            f"{escape(_pendek(b.label))}</text>"
        )
        for j, (value, s) in enumerate(zip(b.nilai, seri, strict=True)):
            by = y + j * (bar_h + 2)
            if value is None:
                out.append(
                    f'<text x="{_LABEL_W + 3}" y="{by + bar_h - 1}" font-size="9" '
                    f'fill="{ABU_TUA}">—</text>'
                )
                continue
            width = max(x_of(value) - _LABEL_W, 0)
            text = escape(format_nilai(value))
            out.append(
                f'<rect x="{_LABEL_W}" y="{by}" width="{width:.1f}" height="{bar_h}" '
                f'fill="{s.warna}"><title>{escape(s.label)}: {text}</title></rect>'
            )
            out.append(
                f'<text x="{_LABEL_W + width + 3:.1f}" y="{by + bar_h - 1}" '
                f'font-size="9">{text}</text>'
            )
    return _selesai(out)


def batang_distribusi(segmen: Sequence[tuple[str, int, str]], *, judul: str) -> SafeString:
    """One full-width bar split into (label, count, colour) segments, with a
    key listing each count and share. All zero: ""."""
    total = sum(int(n or 0) for _label, n, _warna in segmen)
    if not total:
        return mark_safe("")
    bar_h, bar_w, line_h = 28, _W - 2 * _PAD, 18
    rows = (len(segmen) + 1) // 2
    height = 8 + bar_h + 12 + rows * line_h + _PAD
    out = _buka(judul, height, "grafik-distribusi")
    x = float(_PAD)
    for label, n, warna in segmen:
        n = int(n or 0)
        if not n:
            continue
        width = n / total * bar_w
        out.append(
            f'<rect x="{x:.1f}" y="8" width="{width:.1f}" height="{bar_h}" fill="{warna}">'
            f"<title>{escape(label)}: {n}</title></rect>"
        )
        if width >= _teks_lebar(str(n)) + 6:
            fill = "#000" if warna in _WARNA_TERANG else "#fff"
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{8 + bar_h / 2 + 4:.1f}" text-anchor="middle" '
                f'fill="{fill}" font-weight="bold">{n}</text>'
            )
        x += width
    out.append('<g class="legenda">')
    for i, (label, n, warna) in enumerate(segmen):
        col, row = i % 2, i // 2
        lx = _PAD + col * (_W / 2)
        ly = 8 + bar_h + 12 + row * line_h
        share = angka(persen(n or 0, total), 1)
        out.append(f'<rect x="{lx:.1f}" y="{ly}" width="12" height="10" fill="{warna}"/>')
        out.append(
            f'<text x="{lx + 16:.1f}" y="{ly + 9}">{escape(label)}: {int(n or 0)} '
            f"({escape(share)}%)</text>"
        )
    out.append("</g>")
    return _selesai(out)


# --- the dashboard's charts ------------------------------------------------------------

# The page and the PDF show at most this many bars per chart (the table
# beneath lists every row).
MAKS_BATANG = 40

WARNA_PI = {"selesai": HIJAU, "terlambat": MERAH, "berjalan": BIRU_MUDA, "belum": ABU}
WARNA_STATUS_PMO = {
    "belum_mulai": ABU,
    "berjalan": BIRU_MUDA,
    "selesai": HIJAU,
    "terkendala": MERAH,
    "dibatalkan": ABU_TUA,
}


def seri_pi() -> list[Seri]:
    return [
        Seri(str(KeadaanPI.LABELS[k]), WARNA_PI[k])
        for k in ("selesai", "terlambat", "berjalan", "belum")
    ]


def _pi(rows, judul: str) -> SafeString:
    return batang_bertumpuk(
        [Baris(r.nama, (r.selesai, r.terlambat, r.berjalan, r.belum)) for r in rows[:MAKS_BATANG]],
        seri_pi(),
        judul=judul,
        proporsional=True,
        label_total=lambda n: _("%(n)s PI") % {"n": n},
    )


def grafik_dasbor(data) -> dict[str, SafeString]:
    """Every chart of the dashboard from its data (reports.selectors.dashboard.DataDasbor)."""
    lok = data.lokakarya
    workshops = lok.per_lokakarya[:MAKS_BATANG]
    total = lok.total
    return {
        "pi_pp": _pi(data.pi.per_pp, _("Penyelesaian PI 1–6 per Pengajar Praktik")),
        "pi_kabupaten": _pi(data.pi.per_kabupaten, _("Penyelesaian PI 1–6 per kabupaten/kota")),
        "kehadiran": batang_berkelompok(
            [Baris(_("Semua lokakarya"), (total.tingkat_kehadiran,), tebal=True)]
            + [Baris(r.nama, (r.tingkat_kehadiran,)) for r in workshops],
            [Seri(_("Tingkat kehadiran (%)"), BIRU)],
            judul=_("Tingkat kehadiran per lokakarya"),
        ),
        "nilai": batang_berkelompok(
            [Baris(_("Semua lokakarya"), (total.rata_pre, total.rata_post), tebal=True)]
            + [Baris(r.nama, (r.rata_pre, r.rata_post)) for r in workshops],
            [Seri(_("Rata-rata pre-test"), ABU), Seri(_("Rata-rata post-test"), BIRU)],
            judul=_("Rata-rata nilai pre-test dan post-test"),
        ),
        "pmo_langkah": batang_bertumpuk(
            [
                Baris(f"{n}. {nama}" if n else nama, (jumlah,))
                for n, nama, jumlah in data.pmo.langkah
            ]
            if data.pmo.jumlah_sekolah
            else [],
            [Seri(_("Sekolah"), UNGU)],
            judul=_("Sekolah menurut langkah PMO yang dicapai"),
            label_total=lambda n: _("%(n)s sekolah") % {"n": n},
        ),
        "pmo_status": batang_distribusi(
            [(label, n, WARNA_STATUS_PMO.get(status, ABU)) for status, label, n in data.pmo.status],
            judul=_("Tindak lanjut PMO menurut status"),
        ),
        "komunitas": batang_bertumpuk(
            [
                Baris(
                    f"{tahap}. {nama}",
                    (tercapai, berjalan, data.komunitas.belum(tercapai, berjalan)),
                )
                for tahap, nama, tercapai, berjalan in data.komunitas.tahap
            ]
            if data.komunitas.jumlah_sekolah
            else [],
            [
                Seri(_("Tercapai"), HIJAU),
                Seri(_("Berjalan"), BIRU_MUDA),
                Seri(_("Belum"), ABU),
            ],
            judul=_("Sekolah menurut tahap optimalisasi komunitas belajar"),
            label_total=lambda n: _("%(n)s sekolah") % {"n": n},
        ),
    }
