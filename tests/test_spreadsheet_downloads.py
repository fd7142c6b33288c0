"""No formula reaches a spreadsheet (issue 19 #1–2): every free-text field of
every record is made to start with a formula, then every CSV and XLSX the
product writes from records — the five exports, every dashboard table, the
PMO region table and the workshop's score sheet — is opened and every cell
read: a hostile text is always written as text ("'=…"), never a formula.
(The admin's exports: tests/program/test_admin_ekspor.py.)"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.apps import apps
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.urls import reverse

from lokakarya.models import Lokakarya
from program.models import Job
from reports import exports, tables

MARK = "HYPERLINK"
TAINT = f'={MARK}("http://evil.example/","klik") '
APPS = ("program", "pendampingan", "lokakarya", "pmo", "komunitas", "reports")
# Text that is not free text: what users cannot type, or that code reads back.
SKIP = (models.URLField, models.EmailField, models.SlugField)


def _taint_every_text_field() -> int:
    fields_tainted = 0
    for config in APPS:
        for model in apps.get_app_config(config).get_models():
            if model.__name__.startswith("Historical") or model._meta.proxy:
                continue
            names = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
                and not isinstance(f, SKIP)
                and not f.choices
                and not f.unique
                and not f.primary_key
            ]
            if not names:
                continue
            manager = getattr(model, "semua", model._default_manager)
            updates = {}
            for f in names:
                value = Concat(Value(TAINT), F(f.name), output_field=f)
                updates[f.name] = Left(value, f.max_length) if f.max_length else value
            manager.all().update(**updates)
            fields_tainted += len(names)
    return fields_tainted


@pytest.fixture
def tainted(demo):
    assert _taint_every_text_field() > 50


def _cells_xlsx(content: bytes) -> tuple[list, list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    return formulas, [c.value for c in cells if isinstance(c.value, str)]


def _cells_csv(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;")
    return [cell for row in csv.reader(io.StringIO(text), dialect) for cell in row]


def _check(name: str, content: bytes, fmt: str, *, must_show: bool = True) -> None:
    if fmt == "xlsx":
        formulas, texts = _cells_xlsx(content)
        assert not formulas, f"{name}: formula cells {formulas[:5]}"
    else:
        texts = _cells_csv(content)
    hostile = [t for t in texts if MARK in t]
    unescaped = [t for t in hostile if not t.startswith("'")]
    assert not unescaped, f"{name}: written as a formula: {unescaped[:3]}"
    if must_show:
        assert hostile, f"{name}: no tainted text reached it (is the test still walking it?)"


def _job_file(client, response) -> bytes:
    assert response.status_code == 302, response.content[:300]
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == Job.Status.SELESAI, job.error
    download = client.get(reverse("program:job-download", args=[job.pk]))
    return b"".join(download.streaming_content)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("jenis", sorted(exports.JENIS))
def test_every_export_writes_hostile_text_as_text(
    client, tainted, demo, django_capture_on_commit_callbacks, jenis, fmt
):
    client.force_login(demo["koordinator1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:ekspor-start", args=[jenis]), {"format": fmt})
    _check(f"ekspor {jenis}.{fmt}", _job_file(client, response), fmt)


# Dashboard tables made of counts only: nothing a user typed reaches them.
COUNTS_ONLY = {tables.PMO_LANGKAH, tables.PMO_STATUS, tables.KOMUNITAS}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("nama", sorted(tables.TABEL))
def test_every_dashboard_table_writes_hostile_text_as_text(client, tainted, demo, nama, fmt):
    client.force_login(demo["koordinator1"])
    response = client.get(reverse("reports:tabel-download", args=[nama, fmt]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    _check(f"dasbor {nama}.{fmt}", content, fmt, must_show=nama not in COUNTS_ONLY)


def test_the_pmo_region_table_writes_hostile_text_as_text(
    client, tainted, demo, django_capture_on_commit_callbacks
):
    client.force_login(demo["koordinator1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pmo:wilayah-csv"))
    _check("pmo wilayah.csv", _job_file(client, response), "csv")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_score_sheet_writes_hostile_text_as_text(client, tainted, demo, fmt):
    lokakarya = Lokakarya.objects.filter(
        fasilitator__user=demo["fasilitator1"], peserta__isnull=False
    ).first()
    assert lokakarya is not None
    client.force_login(demo["fasilitator1"])
    response = client.get(reverse("lokakarya:nilai-import", args=[lokakarya.pk]) + f"?unduh={fmt}")
    assert response.status_code == 200
    _check(f"nilai.{fmt}", response.content, fmt)
