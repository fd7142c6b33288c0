"""No double entry (issue 17 §11): 'Salin ke LMS' for a submitted journal,
'Bagikan lewat WhatsApp' on a scheduled session and on a workshop's
participants: wa.me links with the message written, no API or key."""

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from lokakarya.models import Lokakarya
from pendampingan import services
from pendampingan.models import SesiPI
from program.models import Orang, PenugasanPP
from program.whatsapp import nomor_internasional, wa_link


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 789", "628123456789"),
        ("6285712345678", "6285712345678"),
        ("81234567890", "6281234567890"),
        ("(0370) 21234", ""),  # a landline: WhatsApp lets the user pick the contact
        ("", ""),
    ],
)
def test_numbers_as_people_type_them(typed, number):
    assert nomor_internasional(typed) == number


def message_of(link: str) -> tuple[str, str]:
    parts = urlsplit(html.unescape(link))
    assert parts.scheme == "https" and parts.netloc == "wa.me"
    return parts.path.strip("/"), parse_qs(parts.query)["text"][0]


def test_wa_link_carries_the_text_whole():
    number, text = message_of(wa_link("Baris 1 & 2\nPukul 13.30 #ruang?", "0812 3456 7890"))
    assert number == "6281234567890" and text == "Baris 1 & 2\nPukul 13.30 #ruang?"


def wa_href(page: str, marker: str) -> str:
    return re.search(rf'<a[^>]*href="([^"]+)"[^>]*{marker}', page).group(1)


def test_a_scheduled_session_offers_its_invitation_on_whatsapp(client, demo):
    p = PenugasanPP.objects.select_related("cgp").get(cgp__user=demo["cgp1"])
    Orang.objects.filter(pk=p.cgp_id).update(telepon="0817-1111-2222")
    client.force_login(demo["pp1"])
    tanggal = dt.date(2027, 3, 9)  # a Tuesday
    client.post(
        reverse("pendampingan:pi-schedule", args=[p.pk, 5]),
        {
            "version": 0,
            "tanggal": tanggal,
            "jam_mulai": "13:30",
            "moda": "luring",
            "tempat": "Ruang guru",
        },
    )
    sesi = SesiPI.objects.get(penugasan=p, urutan=5)

    page = client.get(sesi.get_absolute_url()).content.decode()

    number, text = message_of(wa_href(page, 'id="wa-undangan"'))
    assert number == "6281711112222"
    assert text.startswith(f"Yth. {p.cgp.nama},")
    assert "PI 5 dijadwalkan Selasa, 9 Maret 2027 pukul 13.30, tatap muka di Ruang guru." in text
    assert p.pp.nama in text


def test_an_unscheduled_pi_offers_no_invitation(client, demo):
    p = PenugasanPP.objects.get(cgp__user=demo["cgp1"])
    client.force_login(demo["pp1"])
    page = client.get(reverse("pendampingan:sesi", args=[p.pk, 6])).content.decode()
    assert "Bagikan lewat WhatsApp" not in page


def test_a_submitted_journal_can_be_copied_field_by_field_for_the_lms(client, demo):
    p = PenugasanPP.objects.select_related("cgp").get(cgp__nama__startswith="Sri Nurdianti")
    sesi = services.sesi_get_or_create(actor=demo["pp2"], penugasan=p, urutan=2)
    assert not getattr(getattr(sesi, "jurnal", None), "is_submitted", False)
    SesiPI.objects.filter(pk=sesi.pk).update(
        tanggal=timezone.localdate() - dt.timedelta(days=1), moda="luring", tempat="Kelas 5"
    )
    step = sesi.templat["langkah"][1]
    client.force_login(demo["pp2"])
    version = getattr(getattr(sesi, "jurnal", None), "version", 0)
    draft = client.get(sesi.get_absolute_url()).content.decode()
    assert 'id="salin-lms"' not in draft  # only once submitted

    submitted = client.post(
        reverse("pendampingan:jurnal-submit", args=[sesi.pk]),
        {
            "version": version,
            f"langkah_{step['urutan']}": "CGP mendapat dukungan kepala sekolah.",
            "sudah_baik": "Refleksi jujur & runtut.",
            "perlu_ditingkatkan": "",
            "catatan": "",
        },
    )
    assert submitted.status_code == 302
    page = client.get(sesi.get_absolute_url()).content.decode()

    assert "Jurnal terkunci" in page and 'id="salin-lms"' in page
    boxes = dict(re.findall(r'<label[^>]*for="(salin-\d+)">([^<]+)</label>', page))
    texts = {
        boxes[box]: html.unescape(text)
        for box, text in re.findall(
            r'<textarea[^>]*id="(salin-\d+)"[^>]*readonly>(.*?)</textarea>', page, re.S
        )
    }
    assert texts[step["judul"]] == "CGP mendapat dukungan kepala sekolah."
    assert texts["Yang sudah baik"] == "Refleksi jujur & runtut."
    assert "Yang perlu ditingkatkan" not in texts  # empty fields are not offered
    whole = texts["Seluruh jurnal"]
    assert whole.startswith(f"Jurnal PI 2 — {p.cgp.nama}")
    assert f"{step['judul']}:\nCGP mendapat dukungan kepala sekolah." in whole
    assert page.count('data-copy="salin-') == len(texts)


def test_workshop_participants_can_be_invited_on_whatsapp(client, demo):
    lok = Lokakarya.objects.filter(fasilitator__user=demo["fasilitator1"]).first()
    assert lok is not None
    client.force_login(demo["fasilitator1"])
    page = client.get(reverse("lokakarya:peserta", args=[lok.pk])).content.decode()

    links = re.findall(r'href="(https://wa\.me/[^"]+)"[^>]*>Undang lewat WhatsApp', page)
    assert links and len(links) == lok.peserta.count()
    _, text = message_of(links[0])
    assert f"Bapak/Ibu diundang mengikuti {lok.nama} pada " in text
    assert lok.fasilitator.nama in text
