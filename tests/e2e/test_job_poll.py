"""The job page's script polls by POST (a GET never writes): with the broker
unreachable the page says the job waits; once it is back, the poll sends the
job and the download appears without a reload."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from program import jobs
from program.models import Job
from tests.e2e.test_journeys import log_in


def test_the_poll_sends_a_pending_job_and_shows_its_download(
    page: Page, settings, monkeypatch, viewport
):
    settings.JOB_RESEND_AFTER_SECONDS = 1
    real_send = jobs.job_send
    monkeypatch.setattr(jobs, "job_send", lambda job_id: False)  # the broker is down
    log_in(page, "fasilitator1")
    page.goto("/sekolah/")
    page.get_by_role("button", name="Unduh PDF").click()
    expect(page.locator("#job-status")).to_have_text("Dalam antrean")
    expect(page.locator("#job-tertunda")).to_be_visible()
    expect(page.locator("#job-download")).to_be_hidden()
    job = Job.objects.get(requested_by__username="fasilitator1")
    assert job.sent_at is None

    monkeypatch.setattr(jobs, "job_send", real_send)  # the broker is back
    expect(page.locator("#job-status")).to_have_text("Selesai")
    expect(page.locator("#job-download")).to_be_visible()
    expect(page.locator("#job-tertunda")).to_be_hidden()
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI and job.attempts == 1
