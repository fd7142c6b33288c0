"""Page weight on a first visit: the page and its static files, as sent.

Goal (issue #9): every main page of each demo role, and the coordinator's
dashboards, at most 150 KB transferred with an empty browser cache.

What it does, with the production settings (DEBUG off, static files collected
by WhiteNoise's CompressedManifestStaticFilesStorage and served by its
middleware, pages gzipped by Django's GZipMiddleware):
1. logs every demo role in (scripts/bench/queries.py's DemoContext: the demo
   objects of the access matrix, in a transaction rolled back at the end);
2. per page, GETs it as a browser would (Accept-Encoding: gzip, deflate, br),
   then every /static/ file the page links (stylesheets, scripts, images,
   icons, manifest) and every url(...) in those stylesheets, each once;
3. counts the bytes as sent: status line, headers and the (compressed) body.

The service worker's own precache (fetched after the page, once per browser)
is not a page's weight; tests/e2e/test_page_weight.py counts it for the
journal form in a real browser.

    python scripts/bench/weight.py --out var/bench/weight.json
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import data_size, row, setup_django, within, write_rows

LIMIT_KB = 150
COMMAND = "python scripts/bench/weight.py"
ACCEPT = "gzip, deflate, br"
_LINKED = re.compile(r"""(?:href|src)=["'](/static/[^"'#?]+)""")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")


def sent_bytes(response, body: bytes) -> int:
    """Status line, headers and body as they go over the wire (HTTP/1.1)."""
    head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n")
    head += sum(len(f"{k}: {v}\r\n") for k, v in response.items()) + 2
    return head + len(body)


def body_of(response) -> bytes:
    # Read to the end, not response.close(): that would fire request_finished,
    # which closes the database connection inside DemoContext's transaction.
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def plain(response, body: bytes) -> str:
    """The body decompressed (gzip from Django; static text is read from disk)."""
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode("utf-8", "replace")


def static_text(url: str) -> str:
    """A collected static file's own text (brotli bodies are not decoded here)."""
    from django.conf import settings

    path = Path(settings.STATIC_ROOT) / url.removeprefix(settings.STATIC_URL)
    return path.read_text("utf-8", "replace") if path.exists() else ""


def weigh(demo, role: str, url: str) -> dict:
    client = demo.client
    client.cookies.clear()
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = demo.sessions[role]
    response = client.get(url, HTTP_ACCEPT_ENCODING=ACCEPT)
    body = body_of(response)
    files = {"page": sent_bytes(response, body)}
    todo = list(dict.fromkeys(_LINKED.findall(plain(response, body))))
    seen = set()
    while todo:
        asset = todo.pop(0)
        if asset in seen:
            continue
        seen.add(asset)
        got = client.get(asset, HTTP_ACCEPT_ENCODING=ACCEPT)
        files[asset] = sent_bytes(got, body_of(got))
        if asset.endswith(".css"):
            for ref in _CSS_URL.findall(static_text(asset)):
                if ref.startswith("data:"):
                    continue
                todo.append(ref if ref.startswith("/") else asset.rsplit("/", 1)[0] + "/" + ref)
    return {
        "status": response.status_code,
        "page_kb": round(files["page"] / 1024, 1),
        "total_kb": round(sum(files.values()) / 1024, 1),
        "files": len(files),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    setup_django()
    from scripts.bench.load import ensure_static
    from scripts.bench.queries import DASHBOARD_ROLE, DASHBOARDS, MAIN_PAGES, DemoContext

    ensure_static()
    size = data_size()
    pages: dict[str, dict] = {}
    with DemoContext() as demo:
        wanted = [(role, name) for role, names in MAIN_PAGES.items() for name in names]
        wanted += [(DASHBOARD_ROLE, name) for name in DASHBOARDS]
        for role, name in wanted:
            pages[f"{name} [{role}]"] = weigh(demo, role, demo.url(name))
    failed = {k: v["status"] for k, v in pages.items() if v["status"] != 200}
    worst_key = max(pages, key=lambda k: pages[k]["total_kb"])
    worst = pages[worst_key]
    ratio, ok = within(worst["total_kb"], LIMIT_KB)
    heaviest_page = max(pages, key=lambda k: pages[k]["page_kb"])
    rows = [
        row(
            f"Page weight on a first visit (page + static files, as sent), max over "
            f"{len(pages)} main pages and dashboards: {worst_key}",
            command=COMMAND,
            size=size,
            value=worst["total_kb"],
            unit="KB",
            limit=LIMIT_KB,
            ratio=round(ratio, 2),
            ok=ok and not failed,
            pages=pages,
            failed=failed,
        ),
        row(
            f"Heaviest page itself (gzipped HTML): {heaviest_page}",
            command=COMMAND,
            size=size,
            value=pages[heaviest_page]["page_kb"],
            unit="KB",
        ),
    ]
    write_rows(args.out, rows)


if __name__ == "__main__":
    main()
