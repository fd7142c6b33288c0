"""Jobs in the embedded mode (tasks in-process): request, progress, download, scope."""

import contextlib
import io

from django.urls import reverse
from pypdf import PdfReader

from program.jobs import JobResult, job_kind, job_request, job_run
from program.models import Job


def pdf_text(content: bytes) -> str:
    """The PDF's text with line breaks folded, as a reader would search it."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_school_list_pdf_end_to_end_in_process(client, demo, django_capture_on_commit_callbacks):
    client.force_login(demo["fasilitator1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("program:sekolah-pdf"))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()

    page = client.get(job.get_absolute_url())
    assert "Selesai" in page.content.decode()
    status = client.get(reverse("program:job-status", args=[job.pk])).json()
    assert status["finished"] and status["progress"] == 100 and status["download_url"]

    download = client.get(status["download_url"])
    assert download["Content-Disposition"].startswith("attachment")
    text = pdf_text(b"".join(download.streaming_content))
    assert "SMA Negeri 1 Selong" in text
    assert "SD Negeri 4 Terara" not in text  # not fasilitator1's school
    assert "Halaman 1 dari" in text


def test_only_requester_and_operator_see_a_job(client, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="program.daftar_sekolah", actor=demo["pp1"])
    for name in ("job-detail", "job-status", "job-download"):
        url = reverse(f"program:{name}", args=[job.pk])
        client.force_login(demo["pp2"])
        assert client.get(url).status_code == 404, name
        client.force_login(demo["operator1"])
        assert client.get(url).status_code == 200, name
        client.force_login(demo["pp1"])
        assert client.get(url).status_code == 200, name


def test_same_cache_key_reuses_the_job(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = job_request(kind="program.daftar_sekolah", actor=demo["pp1"], cache_key="v1")
        again = job_request(kind="program.daftar_sekolah", actor=demo["pp1"], cache_key="v1")
        changed = job_request(kind="program.daftar_sekolah", actor=demo["pp1"], cache_key="v2")
    assert first.pk == again.pk
    assert changed.pk != first.pk
    assert Job.objects.filter(status=Job.Status.SELESAI).count() == 2


calls = []


@job_kind("tests.flaky", "Uji gagal")
def _flaky(job, progress):
    calls.append(job.pk)
    progress(40)
    if job.params.get("fail"):
        raise RuntimeError("boom")
    return JobResult("ok.txt", b"ok")


def test_failed_job_shows_message_and_is_not_rerun(
    demo, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="tests.flaky", actor=demo["pp1"], params={"fail": True})
    job.refresh_from_db()
    assert job.status == Job.Status.GAGAL
    assert "Terjadi kesalahan" in job.error
    client.force_login(demo["pp1"])
    assert client.get(reverse("program:job-download", args=[job.pk])).status_code == 404
    before = len(calls)
    job_run(job.pk)  # a redelivered task finds the job finished
    assert len(calls) == before


def test_job_run_is_idempotent_once_done(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="tests.flaky", actor=demo["pp1"])
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI and job.result.read() == b"ok"
    before = len(calls)
    job_run(job.pk)
    assert len(calls) == before


def test_job_is_enqueued_only_after_commit(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_request(kind="tests.flaky", actor=demo["pp1"])
    job.refresh_from_db()
    assert job.status == Job.Status.ANTRE  # nothing ran inside the transaction
    assert len(callbacks) == 1


def test_a_job_is_not_finished_until_its_file_is_stored(client, demo, monkeypatch):
    """While the file is being written the requester sees the job running, not
    "Selesai" with a download; a storage that fails leaves it unfinished."""
    client.force_login(demo["pp1"])
    storage = Job._meta.get_field("result").storage
    real_save = storage.save
    seen = []

    def save(name, content, *args, **kwargs):
        job = Job.objects.get(pk=job_pk)
        status = client.get(reverse("program:job-status", args=[job_pk])).json()
        page = client.get(reverse("program:job-detail", args=[job_pk])).content.decode()
        seen.append((job.status, status["finished"], status["download_url"], "Selesai" in page))
        if fail:
            raise OSError("disk penuh")
        return real_save(name, content, *args, **kwargs)

    monkeypatch.setattr(storage, "save", save)
    fail = False
    job_pk = job_request(kind="tests.flaky", actor=demo["pp1"]).pk
    job_run(job_pk)
    assert seen == [(Job.Status.BERJALAN, False, None, False)]
    status = client.get(reverse("program:job-status", args=[job_pk])).json()
    assert status["finished"] and status["download_url"]

    seen.clear()
    fail = True
    job_pk = job_request(kind="tests.flaky", actor=demo["pp1"], cache_key="gagal-simpan").pk
    with contextlib.suppress(OSError):  # the task fails; the sweep fails the job later
        job_run(job_pk)
    assert seen == [(Job.Status.BERJALAN, False, None, False)]
    job = Job.objects.get(pk=job_pk)
    assert job.status != Job.Status.SELESAI and not job.result
    page = client.get(reverse("program:job-detail", args=[job_pk])).content.decode()
    assert "Selesai" not in page
    assert client.get(reverse("program:job-download", args=[job_pk])).status_code == 404
