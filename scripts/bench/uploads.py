"""Hostile uploads, refused and accepted (issue 19 #3–5): how long the check
of each takes and how much memory the process needs for it.

Each file is checked in a process of its own (so that its peak RSS is its
own), by what an upload view calls: `detect_type` and the re-encoding of
images for photos and PDFs, `read_table` for spreadsheets. Goal for every
refusal: within 2 s and 300 MB more RSS than the process had before.

    python scripts/bench/uploads.py --out var/bench/uploads.json
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import row, setup_django, write_rows

LIMIT_S = 2
LIMIT_MB = 300


def _files() -> dict[str, tuple[str, str, callable]]:
    """name → (what it is, what should happen, builder of its bytes)."""
    from tests.lokakarya.test_xlsx_xml import CASES as XML_CASES
    from tests.program.test_uploads_bombs import _gif_claiming, _png_claiming
    from tests.program.test_uploads_pdf import objstm_pdf
    from tests.program.test_xlsx_bombs import empty_rows, shared_strings

    def photo_40mp() -> bytes:
        from PIL import Image

        side = int(40_000_000**0.5)
        buffer = io.BytesIO()
        Image.new("RGB", (side, side), "white").save(buffer, "JPEG", quality=85)
        return buffer.getvalue()

    return {
        "png-13000": (
            "PNG claiming 13000 × 13000 px",
            "refused",
            lambda: _png_claiming(13000, 13000),
        ),
        "gif-6x8000": (
            "GIF of six 8000 × 8000 frames",
            "refused",
            lambda: _gif_claiming(8000, 8000, 6),
        ),
        "pdf-objstm-js": (
            "PDF with JavaScript in a compressed object stream",
            "refused",
            lambda: objstm_pdf(b"<< /S /JavaScript /JS (x) >>"),
        ),
        "xlsx-2m-empty-rows": (
            "XLSX with 2 million empty rows",
            "refused",
            lambda: empty_rows(2_000_000),
        ),
        "xlsx-8m-strings": (
            "XLSX with 8 million shared strings",
            "refused",
            lambda: shared_strings(8_000_000),
        ),
        "xlsx-billion-laughs": (
            "XLSX declaring nested entities",
            "refused",
            lambda: XML_CASES["billion-laughs"],
        ),
        "jpeg-40mp": ("the largest photo accepted: 40 MP JPEG", "accepted", photo_40mp),
    }


def _check(name: str) -> dict:
    """In this process: build the file, then time its check."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from program import uploads
    from program.spreadsheet import read_table

    what, expected, build = _files()[name]
    content = build()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    upload = SimpleUploadedFile(f"{name}.bin", content)
    try:
        if name.startswith("xlsx"):
            read_table(upload, is_header=lambda h: "npsn" in h, max_rows=10_000)
        else:
            mime = uploads.detect_type(upload)
            if mime in uploads.REENCODED_IMAGES:
                uploads._reencoded(upload, mime)
        outcome, message = "accepted", ""
    except ValidationError as error:
        outcome, message = "refused", " ".join(error.messages)
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return {
        "what": what,
        "expected": expected,
        "outcome": outcome,
        "message": message[:160],
        "seconds": round(seconds, 2),
        "rss_mb": round(grown, 1),
        "kib": round(len(content) / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="var/bench/uploads.json")
    parser.add_argument("--case", help="check one file in this process (used by the parent)")
    args = parser.parse_args()
    setup_django()
    if args.case:
        print(json.dumps(_check(args.case)))
        return
    rows = []
    for name in _files():
        done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, __file__, "--case", name], capture_output=True, text=True, check=False
        )
        try:
            r = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            print(done.stderr[-2000:], file=sys.stderr)
            r = {"what": name, "expected": "?", "outcome": "error", "seconds": None, "rss_mb": None}
        refused = r["expected"] == "refused"
        fine = r["outcome"] == r["expected"] and (
            not refused or (r["seconds"] <= LIMIT_S and r["rss_mb"] <= LIMIT_MB)
        )
        rows.append(
            row(
                f"Upload check, {r['expected']}: {r['what']}",
                command=f"python scripts/bench/uploads.py --case {name}",
                size=f"{r.get('kib', '?')} KiB file; {r['outcome']}; +{r['rss_mb']} MB RSS",
                value=r["seconds"],
                unit="s",
                limit=f"{LIMIT_S} s and {LIMIT_MB} MB" if refused else None,
                ok=fine,
                **{k: v for k, v in r.items() if k in ("message", "rss_mb", "outcome")},
            )
        )
    write_rows(args.out, rows)


if __name__ == "__main__":
    main()
