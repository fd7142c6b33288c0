"""A payload corpus replayed on every form (issue 19): each text field of each
POST form of the pages people fill in (tests/test_fuzz_forms.PAGES) gets a
script-injection payload of its own; the answer, the page it leads to, the
form's page opened again, and then every page of that app the user reads (from
the URL × role matrix) never carry a payload as markup — only escaped. A
`javascript:` address is never written into a link."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from tests.html_forms import post_forms
from tests.test_fuzz_forms import PAGES, SKIP_ACTIONS
from tests.test_url_access import (  # noqa: F401  (demo_db is a fixture)
    EXPECTED,
    _eager_celery_and_private_media,
    client_for,
    demo_db,
)

CORPUS = (
    "<script>alert('x{n}')</script>",
    '"><img src=x onerror=alert({n})>',
    "'><svg onload=alert({n})>",
    "</textarea><script>alert({n})</script>",
    '<a href="javascript:alert({n})">klik</a>',
    "<iframe srcdoc='<script>alert({n})</script>'>",
)
# Pages whose forms have no text field (choices, files and codes only).
NO_TEXT = {"lokakarya-presensi", "lokakarya-kelompok", "impor"}
# Pages whose forms lead where the text is not shown (the CGP's confirmation
# comment goes to the PP; an escalation's note to its history).
NOT_SHOWN = {"sesi-pi-konfirmasi", "pmo-eskalasi"}
TEXT_KINDS = {"text", "textarea", "search", ""}
URL_KINDS = {"url"}


# Values a valid form needs besides its text, so that the text is saved and
# then shown elsewhere (lists, detail pages), not only sent back with an error.
PLAUSIBLE = {
    "date": "2026-11-20",
    "datetime-local": "2026-11-20T09:00",
    "time": "09:00",
    "month": "2026-11",
    "number": "1",
    "email": "guru@contoh.sch.id",
}


def _payloads(form) -> tuple[dict, list[str]]:
    data = form.data()
    for name, field in form.fields.items():
        if not data.get(name) and field.kind in PLAUSIBLE:
            data[name] = PLAUSIBLE[field.kind]
        elif field.kind in ("select", "radio") and not data.get(name):
            filled = [o for o in field.options if o]
            if filled:
                data[name] = filled[0]
    sent = []
    for i, (name, field) in enumerate(sorted(form.fields.items())):
        if field.kind in TEXT_KINDS and name not in ("csrfmiddlewaretoken", "version"):
            payload = CORPUS[i % len(CORPUS)].format(n=i)
            data[name] = payload
            sent.append(payload)
        elif field.kind in URL_KINDS:
            data[name] = f"javascript:alert({i})"
    return data, sent


def _raw(html: str, sent: list[str]) -> list[str]:
    found = [p for p in sent if p in html]
    if 'href="javascript:' in html.lower() or "href='javascript:" in html.lower():
        found.append("a javascript: link")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "page_id", "page"),
    [p for p in PAGES if p[1] not in NO_TEXT],
    ids=[p[1] for p in PAGES if p[1] not in NO_TEXT],
)
def test_no_payload_comes_back_as_markup(demo_db, role, page_id, page):  # noqa: F811
    ctx = demo_db
    client = client_for(ctx, role)
    path = page(ctx)
    response = client.get(path)
    assert response.status_code == 200, f"{role} cannot open {path}"
    forms = [
        f
        for f in post_forms(response.content.decode(), path)
        if not any(skip in f.action for skip in SKIP_ACTIONS)
    ]
    tried = shown_escaped = 0
    every: list[str] = []
    for form in forms:
        data, sent = _payloads(form)
        every += sent
        if not sent:
            continue
        tried += 1
        cache.clear()  # rate limits (check-in codes) would answer instead of the form
        answer = client.post(form.action, data, follow=True)
        assert answer.status_code < 500, f"{form.action}: {answer.status_code}"
        shown = answer.content.decode(errors="replace")
        assert not _raw(shown, sent), f"{form.action} answered with {_raw(shown, sent)}"
        again = client.get(path)
        html = again.content.decode(errors="replace") if again.status_code == 200 else ""
        assert not _raw(html, sent), f"{path} shows {_raw(html, sent)} after {form.action}"
        shown_escaped += any(escape(p) in shown or escape(p) in html for p in sent)
    assert tried, f"{path}: no form with a text field (list the page in NO_TEXT)"
    # Where else the text shows: every page of the app this user reads.
    app = response.resolver_match.namespace
    for name, spec in EXPECTED.items():
        if not name.startswith(app + ":") or spec.post_only or spec.method != "GET":
            continue
        if spec.expected(role) != 200:
            continue
        other = client.get(reverse(name, kwargs=spec.kwargs(ctx)))
        if other.status_code == 200 and other.get("Content-Type", "").startswith("text/html"):
            html = other.content.decode(errors="replace")
            assert not _raw(html, every), f"{name} shows {_raw(html, every)}"
    # The payloads did reach a page, where they were written as text.
    assert shown_escaped or page_id in NOT_SHOWN, f"{path}: no payload shown, escaped or not"
