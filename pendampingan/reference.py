"""PI 1–6 templates of PGP's first version, from fixtures/pi_templates.json.

A template is created once; after that it belongs to the operators (edited on
the Versi program pages), so loading again never overwrites their changes.
Later versions get their templates from the operators, copied from a version.
"""

from django.db import transaction

from pendampingan.models import LangkahPI, TemplatPI
from pendampingan.services import templat_check_minutes
from program.models import VersiProgram
from program.reference import read_fixture


@transaction.atomic
def load() -> list[str]:
    created = 0
    versi = VersiProgram.objects.filter(program__kode="PGP").order_by("pk").first()
    for row in read_fixture("pi_templates.json")["templates"]:
        templat, was_created = TemplatPI.objects.get_or_create(
            versi=versi,
            urutan=row["urutan"],
            defaults={
                "tema": row["tema"],
                "lokakarya_ke": row["lokakarya_ke"],
                "waktu": row["waktu"],
                "tujuan": row.get("tujuan", ""),
                "fokus": "\n".join(row.get("fokus", [])),
                "menit_awal": row.get("menit_awal"),
                "menit_inti": row.get("menit_inti"),
                "menit_akhir": row.get("menit_akhir"),
            },
        )
        if not was_created:
            continue
        created += 1
        steps = [
            LangkahPI(
                templat=templat,
                urutan=i,
                bagian=step["bagian"],
                judul=step["judul"],
                menit=step["menit"],
                kegiatan=step.get("kegiatan", ""),
                pertanyaan="\n".join(step.get("pertanyaan", [])),
            )
            for i, step in enumerate(row.get("langkah", []), start=1)
        ]
        templat_check_minutes(templat, steps)
        LangkahPI.objects.bulk_create(steps)
    return [f"{created} templat PI baru ({TemplatPI.objects.count()} seluruhnya)"]
