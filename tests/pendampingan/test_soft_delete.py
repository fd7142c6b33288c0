"""Deleting an RTL item or a documentation file moves it to the PP's trash:
gone from pages, exports and PDFs, restorable with its content intact, and
recorded in history with who did it. (Journals themselves have no delete.)"""

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from pendampingan.models import Dokumentasi, RencanaTindakLanjut, SesiPI
from program.models import Job
from reports.exports import baris_sesi_pi
from reports.filters import Saringan
from tests.pendampingan.test_pi import pdf_text

KEGIATAN = "Supervisi akademik rekan sejawat kelas 5"


def sesi_pp1(demo, urutan: int = 2) -> SesiPI:
    return SesiPI.objects.get(
        penugasan__pp__user=demo["pp1"], penugasan__cgp__user=demo["cgp1"], urutan=urutan
    )


def add_rtl(client, sesi) -> RencanaTindakLanjut:
    response = client.post(
        reverse("pendampingan:rtl-add", args=[sesi.pk]),
        {"kegiatan": KEGIATAN, "target": "3 kelas", "waktu": "Minggu ke-2"},
    )
    assert response.status_code == 302
    return RencanaTindakLanjut.objects.get(sesi=sesi, kegiatan=KEGIATAN)


def export_rtl_count(user, sesi) -> int:
    _, rows = baris_sesi_pi(user, Saringan(), timezone.now())
    cgp = sesi.penugasan.cgp.nama
    return next(r["jumlah_rtl"] for r in rows if r["cgp"] == cgp and r["pi"] == sesi.urutan)


def journal_pdf(client, sesi, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pendampingan:sesi-pdf", args=[sesi.pk]))
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == Job.Status.SELESAI, job.error
    download = client.get(reverse("program:job-download", args=[job.pk]))
    return pdf_text(b"".join(download.streaming_content))


def test_deleted_rtl_leaves_pages_exports_and_pdf_and_comes_back_intact(
    client, demo, django_capture_on_commit_callbacks
):
    sesi = sesi_pp1(demo)
    client.force_login(demo["pp1"])
    item = add_rtl(client, sesi)
    count = export_rtl_count(demo["koordinator1"], sesi)
    assert KEGIATAN in journal_pdf(client, sesi, django_capture_on_commit_callbacks)

    response = client.post(reverse("pendampingan:rtl-delete", args=[item.pk]), follow=True)
    assert "tempat sampah" in response.content.decode()
    assert KEGIATAN not in client.get(sesi.get_absolute_url()).content.decode()
    assert export_rtl_count(demo["koordinator1"], sesi) == count - 1
    assert KEGIATAN not in journal_pdf(client, sesi, django_capture_on_commit_callbacks)
    # The CGP's reading page does not show it either.
    client.force_login(demo["cgp1"])
    reading = client.get(reverse("pendampingan:sesi-read", args=[sesi.pk]))
    assert reading.status_code == 200
    assert KEGIATAN not in reading.content.decode()

    client.force_login(demo["pp1"])
    trash = client.get(reverse("pendampingan:sampah")).content.decode()
    assert KEGIATAN in trash
    assert "Pulihkan" in trash

    response = client.post(reverse("pendampingan:rtl-restore", args=[item.pk]))
    assert response.status_code == 302
    page = client.get(sesi.get_absolute_url()).content.decode()
    assert KEGIATAN in page and "3 kelas" in page and "Minggu ke-2" in page
    assert KEGIATAN not in client.get(reverse("pendampingan:sampah")).content.decode()
    assert export_rtl_count(demo["koordinator1"], sesi) == count


def test_other_users_do_not_see_or_restore_the_trash(client, demo):
    sesi = sesi_pp1(demo)
    client.force_login(demo["pp1"])
    item = add_rtl(client, sesi)
    client.post(reverse("pendampingan:rtl-delete", args=[item.pk]))

    for other in ("pp2", "cgp1", "koordinator1", "fasilitator1"):
        client.force_login(demo[other])
        assert KEGIATAN not in client.get(reverse("pendampingan:sampah")).content.decode()
        response = client.post(reverse("pendampingan:rtl-restore", args=[item.pk]))
        assert response.status_code == 404, other
    assert RencanaTindakLanjut.semua.get(pk=item.pk).dihapus
    # A row that is not in the trash cannot be "restored" either.
    client.force_login(demo["pp1"])
    client.post(reverse("pendampingan:rtl-restore", args=[item.pk]))
    again = client.post(reverse("pendampingan:rtl-restore", args=[item.pk]))
    assert again.status_code == 404


def test_history_records_delete_and_restore_with_the_actor(client, demo):
    sesi = sesi_pp1(demo)
    client.force_login(demo["pp1"])
    item = add_rtl(client, sesi)
    client.post(reverse("pendampingan:rtl-delete", args=[item.pk]))
    # Operators read the history of a row in the trash in the admin.
    client.force_login(demo["admin"])
    page = client.get(
        reverse("admin:pendampingan_rencanatindaklanjut_history", args=[item.pk])
    ).content.decode()
    assert "Dipindahkan ke tempat sampah" in page and "pp1" in page
    client.force_login(demo["operator1"])
    client.post(reverse("pendampingan:rtl-restore", args=[item.pk]))

    history = list(item.history.order_by("history_date", "history_id"))
    deleted, restored = history[-2], history[-1]
    assert deleted.history_user == demo["pp1"]
    assert deleted.dihapus_pada is not None
    assert deleted.history_change_reason == "Dipindahkan ke tempat sampah"
    assert restored.history_user == demo["operator1"]
    assert restored.dihapus_pada is None
    assert restored.history_change_reason == "Dipulihkan dari tempat sampah"


def test_assessed_rtl_still_cannot_be_deleted(client, demo):
    sesi = sesi_pp1(demo)
    client.force_login(demo["pp1"])
    item = add_rtl(client, sesi)
    item.status = "terlaksana"
    item.save()
    client.post(reverse("pendampingan:rtl-delete", args=[item.pk]))
    assert not RencanaTindakLanjut.semua.get(pk=item.pk).dihapus


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "orange").save(buf, "JPEG")
    return buf.getvalue()


def test_deleted_documentation_file_is_not_served_until_restored(client, demo):
    sesi = sesi_pp1(demo, 3)
    client.force_login(demo["pp1"])
    client.post(
        reverse("pendampingan:dokumentasi-upload", args=[sesi.pk]),
        {"berkas": SimpleUploadedFile("aksi.jpg", jpeg()), "jenis": "foto", "keterangan": "Aksi"},
    )
    dok = Dokumentasi.objects.get(sesi=sesi, keterangan="Aksi")
    file_url = reverse("pendampingan:dokumentasi-berkas", args=[dok.pk])
    before = hashlib.sha256(b"".join(client.get(file_url).streaming_content)).hexdigest()

    client.post(reverse("pendampingan:dokumentasi-delete", args=[dok.pk]))
    assert client.get(file_url).status_code == 404
    assert file_url not in client.get(sesi.get_absolute_url()).content.decode()
    trash = client.get(reverse("pendampingan:sampah")).content.decode()
    assert "aksi.jpg" in trash

    client.force_login(demo["pp2"])
    assert (
        client.post(reverse("pendampingan:dokumentasi-restore", args=[dok.pk])).status_code == 404
    )
    client.force_login(demo["pp1"])
    client.post(reverse("pendampingan:dokumentasi-restore", args=[dok.pk]))
    after = hashlib.sha256(b"".join(client.get(file_url).streaming_content)).hexdigest()
    assert after == before
    assert dok.history.latest().history_user == demo["pp1"]
