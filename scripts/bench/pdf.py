"""Journal PDF in the worker: the project's job handler against bare WeasyPrint.

Goal (issue #9): median ≤ 500 ms over ≥ 30 renders of real journals through
the job handler of `pendampingan.pdf` (query, template, WeasyPrint), and at most
1.3× a bare `HTML(string=same_html).write_pdf()` of the very same HTML string,
measured in the same run. The two are interleaved so that a noisy neighbour on
the machine slows both alike.

    python scripts/bench/pdf.py --out var/bench/pdf.json [--renders 30]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import median_ms, row, setup_django, within, write_rows

LIMIT_MS = 500
LIMIT_RATIO = 1.3
WARMUP = 2


def journals(n: int) -> list[int]:
    """Sessions with a journal that has text, spread over the whole table
    (longest first among a sample would bias; every k-th by pk does not)."""
    from pendampingan.models import JurnalPendampingan

    ids = list(
        JurnalPendampingan.objects.exclude(sudah_baik="")
        .order_by("sesi_id")
        .values_list("sesi_id", flat=True)
    )
    if not ids:
        raise SystemExit("no journal with text in the database: seed first")
    step = max(1, len(ids) // n)
    picked = ids[::step][:n]
    while len(picked) < n:  # a tiny database: render the same journals again
        picked += ids[: n - len(picked)]
    return picked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--renders", type=int, default=30)
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from weasyprint import HTML

    import program.pdf
    from pendampingan.pdf import JURNAL_KIND, jurnal_pdf
    from program.models import Job

    # An operator reads every journal; the handler checks scope as in production.
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    base_url = str(settings.BASE_DIR / "static")

    # Keep the HTML the handler rendered, to give bare WeasyPrint the same string.
    captured: list[str] = []
    original = program.pdf.render_to_string

    def capture(*a, **kw):
        html = original(*a, **kw)
        captured.append(html)
        return html

    program.pdf.render_to_string = capture

    sesi_ids = journals(args.renders + WARMUP)
    handler_s: list[float] = []
    bare_s: list[float] = []
    # CPU time too: on a busy machine wall time also counts the waiting for a core.
    handler_cpu: list[float] = []
    bare_cpu: list[float] = []
    sizes: list[int] = []
    for index, sesi_id in enumerate(sesi_ids):
        job = Job(kind=JURNAL_KIND, requested_by=admin, params={"sesi": sesi_id})
        start, cpu = time.perf_counter(), time.process_time()
        result = jurnal_pdf(job, lambda percent: None)
        handler = time.perf_counter() - start
        handler_c = time.process_time() - cpu
        html = captured.pop()

        start, cpu = time.perf_counter(), time.process_time()
        bare_pdf = HTML(string=html, base_url=base_url).write_pdf()
        bare = time.perf_counter() - start
        bare_c = time.process_time() - cpu
        assert result.content.startswith(b"%PDF") and bare_pdf.startswith(b"%PDF")
        if index >= WARMUP:  # the first renders load fonts and templates
            handler_s.append(handler)
            bare_s.append(bare)
            handler_cpu.append(handler_c)
            bare_cpu.append(bare_c)
            sizes.append(len(html))

    handler_ms = median_ms(handler_s)
    bare_ms = median_ms(bare_s)
    ratio_ms, ok_ms = within(handler_ms, LIMIT_MS)
    factor = round(handler_ms / bare_ms, 2)
    command = f"python scripts/bench/pdf.py --renders {args.renders}"
    size = (
        f"{len(handler_s)} journals, HTML {min(sizes) // 1024}–{max(sizes) // 1024} KiB "
        f"(median {sorted(sizes)[len(sizes) // 2] // 1024} KiB)"
    )
    write_rows(
        args.out,
        [
            row(
                "Journal PDF, job handler (pendampingan/pdf.py), median "
                f"(CPU median {median_ms(handler_cpu)} ms)",
                command=command,
                size=size,
                value=handler_ms,
                unit="ms",
                limit=LIMIT_MS,
                ratio=ratio_ms,
                ok=ok_ms,
                p90_ms=round(sorted(handler_s)[int(len(handler_s) * 0.9)] * 1000, 1),
                cpu_median_ms=median_ms(handler_cpu),
            ),
            row(
                "Journal PDF, job handler vs bare WeasyPrint of the same HTML",
                command=command,
                size=size,
                value=factor,
                unit="×",
                limit=f"{LIMIT_RATIO}× bare WeasyPrint (median {bare_ms} ms, same run)",
                ratio=round(factor / LIMIT_RATIO, 2),
                ok=factor <= LIMIT_RATIO,
            ),
            row(
                "Journal PDF, bare WeasyPrint HTML(string).write_pdf(), median "
                f"(CPU median {median_ms(bare_cpu)} ms)",
                command=command,
                size=size,
                value=bare_ms,
                unit="ms",
                cpu_median_ms=median_ms(bare_cpu),
            ),
        ],
    )


if __name__ == "__main__":
    main()
