"""Workshop templates from fixtures/lokakarya_templates.json.

Created once; afterwards operators own them in the admin, so reloading never
overwrites their edits.
"""

from django.db import transaction

from lokakarya.models import JenisTahap, TahapTemplat, TemplatLokakarya
from program.models import Program
from program.reference import read_fixture


def _jenis(nama: str) -> str:
    return JenisTahap.PMO if nama.lower().startswith("monitoring pmo") else JenisTahap.MATERI


@transaction.atomic
def load() -> list[str]:
    programs = {p.kode: p for p in Program.objects.all()}
    created = 0
    for row in read_fixture("lokakarya_templates.json")["templates"]:
        templat, was_created = TemplatLokakarya.objects.get_or_create(
            kode=row["kode"],
            defaults={
                "nama": row["nama"],
                "program": programs[row["program"]],
                "moda": row["moda"],
                "jp": row["jp"],
                "jumlah_hari": row.get("jumlah_hari", 1),
                "deskripsi": row.get("deskripsi", ""),
            },
        )
        if not was_created:
            continue
        created += 1
        TahapTemplat.objects.bulk_create(
            TahapTemplat(
                templat=templat,
                urutan=t["urutan"],
                hari=t.get("hari", 1),
                nama=t["nama"],
                alur=t.get("alur", ""),
                jenis=_jenis(t["nama"]),
                menit=t["menit"],
                tujuan=t.get("tujuan", ""),
                kegiatan=t.get("kegiatan", ""),
                bahan="\n".join(t.get("bahan", [])),
                persiapan=t.get("persiapan", ""),
            )
            for t in row.get("tahap", [])
        )
    return [f"{created} templat lokakarya baru ({TemplatLokakarya.objects.count()} seluruhnya)"]
