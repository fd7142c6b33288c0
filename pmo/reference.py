"""PMO calendar (PMO ke-1…6, months and monitoring topics) from fixtures/pmo_kalender.json.
Created once; afterwards operators own it in the admin."""

from django.db import transaction

from pmo.models import PeriodePMO, TopikPMO
from program.reference import read_fixture


@transaction.atomic
def load() -> list[str]:
    data = read_fixture("pmo_kalender.json")
    created = 0
    for row in data["periode"]:
        periode, was_created = PeriodePMO.objects.get_or_create(
            ke=row["ke"],
            defaults={"nama": row["nama"], "bulan_1": row["bulan"][0], "bulan_2": row["bulan"][1]},
        )
        if not was_created:
            continue
        created += 1
        TopikPMO.objects.bulk_create(
            TopikPMO(
                periode=periode,
                bulan=t["bulan"],
                urutan=i,
                topik=t["topik"],
                perkiraan=t.get("perkiraan", False),
            )
            for i, t in enumerate(row["topik"], start=1)
        )
    return [f"{created} periode PMO baru ({PeriodePMO.objects.count()} seluruhnya)"]


def langkah() -> list[dict]:
    """The four steps with their guidance (read from the fixture; not edited)."""
    return read_fixture("pmo_kalender.json")["langkah"]
