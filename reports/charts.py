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


def _pendek(nama: str, maks: int = _NAMA_MAKS) -> str:
    return nama if len(nama) <= maks else nama[: maks - 1].rstrip() + "…"


def _teks_lebar(text: str, size: float = 11) -> float:
    # A rough width for layout (DejaVu Sans averages ~0.6 em per character).
    return len(text) * size * 0.6


def _buka(judul: str, height: float, css: str, *, lebar: int = _W, font: str = _FONT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lebar} {height:.0f}" '
        f'width="100%" role="img" aria-label="{escape(judul)}" {font} class="grafik {css}">',
        f"<title>{escape(judul)}</title>",
    ]


def _legenda(
    seri: Sequence[Seri],
    *,
    x0: float = _LABEL_W,
    y: float = 6,
    lebar: int = _W,
    size: float = 11,
) -> tuple[list[str], float]:
    """Colour keys left to right, wrapping to a new line; returns (svg, height)."""
    line_h = size + 5
    out, x, line = ['<g class="legenda">'], x0, 0
    for s in seri:
        width = 16 + _teks_lebar(s.label, size) + 14
        if x + width > lebar and x > x0:
            x, line = x0, line + 1
        top = y + line * line_h
        out.append(
            f'<rect x="{x:.1f}" y="{top}" width="12" height="{size - 1:g}" fill="{s.warna}"/>'
        )
        out.append(f'<text x="{x + 16:.1f}" y="{top + size - 2:g}">{escape(s.label)}</text>')
        x += width
    out.append("</g>")
    return out, (line + 1) * line_h + 6


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


# --- the same charts for a phone ---------------------------------------------------------
#
# Drawn 320 wide with 13-unit text, names on a line of their own above each bar:
# on a 360 px screen the chart is drawn at about its own size, so every word
# is read at 12 px or more and the legend wraps inside the screen. The page
# shows these below 768 px (reports/dasbor/_grafik.html); the PDF keeps the
# wide ones above.

_S_W = 320
_S_SIZE = 13
_S_KECIL = 12.5  # numbers: 12.4 px on a 360 px screen
_S_NAMA_MAKS = 38  # 38 × 13 × 0.6 ≈ 296 of 320
_S_FONT = f'font-family="DejaVu Sans, Arial, sans-serif" font-size="{_S_SIZE}"'


def _legenda_sempit(seri: Sequence[Seri]) -> tuple[list[str], float]:
    return _legenda(seri, x0=0, y=2, lebar=_S_W, size=_S_SIZE)


def batang_bertumpuk_sempit(
    baris: Sequence[Baris],
    seri: Sequence[Seri],
    *,
    judul: str,
    proporsional: bool = False,
    label_total: Callable[[int], str] = str,
) -> SafeString:
    """`batang_bertumpuk` for a phone: each name above its bar."""
    if not baris:
        return mark_safe("")
    label_h, bar_h, gap = 17, 16, 9
    row_h = label_h + bar_h + gap
    plot_w = _S_W - 88  # room for "40 sekolah" after the longest bar
    legend, legend_h = _legenda_sempit(seri)
    top = legend_h + 4
    height = top + len(baris) * row_h
    totals = [sum(int(v or 0) for v in b.nilai) for b in baris]
    skala = max(totals) or 1
    out = _buka(judul, height, "grafik-bertumpuk", lebar=_S_W, font=_S_FONT) + legend
    for i, (b, total) in enumerate(zip(baris, totals, strict=True)):
        y = top + i * row_h
        weight = ' font-weight="bold"' if b.tebal else ""
        out.append(
            f'<text x="0" y="{y + 13}"{weight}>{escape(_pendek(b.label, _S_NAMA_MAKS))}</text>'
        )
        bar_y = y + label_h
        full = total if proporsional else skala
        x = 0.0
        for value, s in zip(b.nilai, seri, strict=True):
            value = int(value or 0)
            if not value or not full:
                continue
            width = value / full * plot_w
            out.append(
                f'<rect x="{x:.1f}" y="{bar_y}" width="{width:.1f}" height="{bar_h}" '
                f'fill="{s.warna}"><title>{escape(s.label)}: {value}</title></rect>'
            )
            if width >= _teks_lebar(str(value), _S_KECIL) + 6:
                out.append(
                    f'<text x="{x + width / 2:.1f}" y="{bar_y + bar_h - 3}" text-anchor="middle" '
                    f'font-size="{_S_KECIL}" fill="{s.warna_teks}">{value}</text>'
                )
            x += width
        if not total:
            out.append(
                f'<line x1="0.5" y1="{bar_y}" x2="0.5" y2="{bar_y + bar_h}" stroke="{ABU_TUA}"/>'
            )
        out.append(
            f'<text x="{x + 4:.1f}" y="{bar_y + bar_h - 3}"{weight}>'
            f"{escape(label_total(total))}</text>"
        )
    return _selesai(out)


def batang_berkelompok_sempit(
    baris: Sequence[Baris],
    seri: Sequence[Seri],
    *,
    judul: str,
    maks: Decimal | int = 100,
    format_nilai: Callable[[Decimal], str] = angka,
) -> SafeString:
    """`batang_berkelompok` for a phone: each name above its bars."""
    rows = [b for b in baris if any(v is not None for v in b.nilai)]
    if not rows:
        return mark_safe("")
    label_h, bar_h, gap = 17, 13, 3
    group_h = label_h + len(seri) * (bar_h + gap) + 8
    x0, plot_w = 8.0, _S_W - 8 - 46  # the scale's "0" and "100" stay inside
    legend, legend_h = _legenda_sempit(seri)
    top = legend_h + 4
    bottom = top + len(rows) * group_h
    height = bottom + 20
    maks = Decimal(maks) or Decimal(1)

    def x_of(value) -> float:
        return x0 + float(Decimal(value) / maks) * plot_w

    out = _buka(judul, height, "grafik-berkelompok", lebar=_S_W, font=_S_FONT) + legend
    for step in range(5):
        tick = maks * step / 4
        x = x_of(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" '
            'stroke="#dee2e6" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{bottom + 15}" text-anchor="middle" font-size="{_S_KECIL}" '
            f'fill="{ABU_TUA}">{escape(angka(tick, 0))}</text>'
        )
    for i, b in enumerate(rows):
        y = top + i * group_h
        weight = ' font-weight="bold"' if b.tebal else ""
        out.append(
            f'<text x="0" y="{y + 13}"{weight}>{escape(_pendek(b.label, _S_NAMA_MAKS))}</text>'
        )
        for j, (value, s) in enumerate(zip(b.nilai, seri, strict=True)):
            by = y + label_h + j * (bar_h + gap)
            if value is None:
                out.append(
                    f'<text x="{x0 + 3}" y="{by + bar_h - 2}" font-size="{_S_KECIL}" '
                    f'fill="{ABU_TUA}">—</text>'
                )
                continue
            width = max(x_of(value) - x0, 0)
            text = escape(format_nilai(value))
            out.append(
                f'<rect x="{x0}" y="{by}" width="{width:.1f}" height="{bar_h}" '
                f'fill="{s.warna}"><title>{escape(s.label)}: {text}</title></rect>'
            )
            out.append(
                f'<text x="{x0 + width + 3:.1f}" y="{by + bar_h - 2}" '
                f'font-size="{_S_KECIL}">{text}</text>'
            )
    return _selesai(out)


def batang_distribusi_sempit(segmen: Sequence[tuple[str, int, str]], *, judul: str) -> SafeString:
    """`batang_distribusi` for a phone: the key one category per line."""
    total = sum(int(n or 0) for _label, n, _warna in segmen)
    if not total:
        return mark_safe("")
    bar_h, line_h = 28, 20
    height = 4 + bar_h + 10 + len(segmen) * line_h
    out = _buka(judul, height, "grafik-distribusi", lebar=_S_W, font=_S_FONT)
    x = 0.0
    for label, n, warna in segmen:
        n = int(n or 0)
        if not n:
            continue
        width = n / total * _S_W
        out.append(
            f'<rect x="{x:.1f}" y="4" width="{width:.1f}" height="{bar_h}" fill="{warna}">'
            f"<title>{escape(label)}: {n}</title></rect>"
        )
        if width >= _teks_lebar(str(n), _S_SIZE) + 6:
            fill = "#000" if warna in _WARNA_TERANG else "#fff"
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{4 + bar_h / 2 + 5:.1f}" text-anchor="middle" '
                f'fill="{fill}" font-weight="bold">{n}</text>'
            )
        x += width
    out.append('<g class="legenda">')
    for i, (label, n, warna) in enumerate(segmen):
        ly = 4 + bar_h + 10 + i * line_h
        share = angka(persen(n or 0, total), 1)
        out.append(f'<rect x="0" y="{ly}" width="12" height="12" fill="{warna}"/>')
        out.append(
            f'<text x="18" y="{ly + 11}">{escape(label)}: {int(n or 0)} ({escape(share)}%)</text>'
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


def _pi(rows, judul: str, bertumpuk=batang_bertumpuk) -> SafeString:
    return bertumpuk(
        [Baris(r.nama, (r.selesai, r.terlambat, r.berjalan, r.belum)) for r in rows[:MAKS_BATANG]],
        seri_pi(),
        judul=judul,
        proporsional=True,
        label_total=lambda n: _("%(n)s PI") % {"n": n},
    )


def grafik_dasbor(data) -> dict[str, SafeString]:
    """Every chart of the dashboard from its data (reports.selectors.dashboard.DataDasbor),
    each also drawn for a phone under "<name>_sempit" (the page shows both, one
    at a time; the PDF the wide ones)."""
    lebar = _grafik_dasbor(data, sempit=False)
    sempit = _grafik_dasbor(data, sempit=True)
    return {**lebar, **{f"{nama}_sempit": svg for nama, svg in sempit.items()}}


def _grafik_dasbor(data, *, sempit: bool) -> dict[str, SafeString]:
    bertumpuk = batang_bertumpuk_sempit if sempit else batang_bertumpuk
    berkelompok = batang_berkelompok_sempit if sempit else batang_berkelompok
    distribusi = batang_distribusi_sempit if sempit else batang_distribusi
    lok = data.lokakarya
    workshops = lok.per_lokakarya[:MAKS_BATANG]
    total = lok.total
    return {
        "pi_pp": _pi(data.pi.per_pp, _("Penyelesaian PI 1–6 per Pengajar Praktik"), bertumpuk),
        "pi_kabupaten": _pi(
            data.pi.per_kabupaten, _("Penyelesaian PI 1–6 per kabupaten/kota"), bertumpuk
        ),
        "kehadiran": berkelompok(
            [Baris(_("Semua lokakarya"), (total.tingkat_kehadiran,), tebal=True)]
            + [Baris(r.nama, (r.tingkat_kehadiran,)) for r in workshops],
            [Seri(_("Tingkat kehadiran (%)"), BIRU)],
            judul=_("Tingkat kehadiran per lokakarya"),
        ),
        "nilai": berkelompok(
            [Baris(_("Semua lokakarya"), (total.rata_pre, total.rata_post), tebal=True)]
            + [Baris(r.nama, (r.rata_pre, r.rata_post)) for r in workshops],
            [Seri(_("Rata-rata pre-test"), ABU), Seri(_("Rata-rata post-test"), BIRU)],
            judul=_("Rata-rata nilai pre-test dan post-test"),
        ),
        "pmo_langkah": bertumpuk(
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
        "pmo_status": distribusi(
            [(label, n, WARNA_STATUS_PMO.get(status, ABU)) for status, label, n in data.pmo.status],
            judul=_("Tindak lanjut PMO menurut status"),
        ),
        "komunitas": bertumpuk(
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
