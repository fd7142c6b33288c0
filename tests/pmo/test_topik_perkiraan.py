"""Month topics the guide leaves blank (issue 18 §1): seed 004 gives none for
November–Januari and Mei–Juli; the reference data fills them from a
neighbour month and says so until an operator confirms them."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from pmo.models import TopikPMO
from pmo.services import bulan_siklus, periode_pmo
from tests.pmo.test_wilayah import download, laporan_url, pdf_text, selong

JAKARTA = dt.timezone(dt.timedelta(hours=7))


def home(client, user, day: dt.date) -> str:
    with time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=JAKARTA), tick=False):
        client.force_login(user)
        return client.get(reverse("pmo:home")).content.decode()


@pytest.mark.parametrize("month", [11, 12, 1, 5, 6, 7])
def test_a_month_without_topics_in_the_guide_shows_them_as_estimates(client, demo, month):
    page = home(client, demo["ks1"], dt.date(2030 if month >= 8 else 2031, month, 10))
    card = page[page.index('id="topik-bulan-ini"') :]
    card = card[: card.index("</section>")]
    assert "perkiraan</span>" in card
    assert 'id="topik-perkiraan"' in card


@pytest.mark.parametrize("month", [8, 9, 10, 2, 3, 4])
def test_a_month_the_guide_fills_has_no_estimate(client, demo, month):
    page = home(client, demo["ks1"], dt.date(2030 if month >= 8 else 2031, month, 10))
    card = page[page.index('id="topik-bulan-ini"') :]
    card = card[: card.index("</section>")]
    assert TopikPMO.objects.filter(bulan=month).first().topik in card
    assert "perkiraan" not in card


def test_an_operator_confirming_the_topics_removes_the_mark(client, demo):
    TopikPMO.objects.filter(bulan=11).update(perkiraan=False)
    page = home(client, demo["ks1"], dt.date(2030, 11, 10))
    assert "perkiraan" not in page[page.index('id="topik-bulan-ini"') :].split("</section>")[0]


def test_no_topic_carries_a_fixed_school_year(demo):
    texts = " ".join(TopikPMO.objects.values_list("topik", flat=True))
    assert "2023" not in texts and "2024" not in texts
    assert "siklus pertama tahun ajaran ini" in texts


def test_the_pmo_report_says_which_topics_are_estimates(
    client, demo, django_capture_on_commit_callbacks
):
    """Every cycle has months from the guide and estimated months; the
    report of each prints its topics, marked only where estimated."""
    months = bulan_siklus(*periode_pmo(timezone.localdate()))
    guide = next(m for m in months if m.month in (8, 9, 10, 2, 3, 4))
    estimated = next(m for m in months if m.month in (11, 12, 1, 5, 6, 7))
    client.force_login(demo["ks1"])
    for bulan, marked in ((guide, False), (estimated, True)):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(laporan_url(selong(), f"{bulan:%Y-%m}"))
        text = pdf_text(download(client, response))
        topik = TopikPMO.objects.filter(bulan=bulan.month).order_by("urutan").first()
        assert topik.topik[:40] in text
        assert ("(perkiraan)" in text) is marked
