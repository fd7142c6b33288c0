"""Reference data of the platform: programmes, regions, the Operator group.

`manage.py load_reference` calls `load()` of every app's reference module;
each is idempotent (update_or_create on natural keys), so it runs on every
`make run` without duplicating anything.
"""

import json

from django.conf import settings
from django.contrib.auth.models import Group, Permission

from program.access import OPERATOR_GROUP
from program.models import Balai, KabupatenKota, Program, Provinsi, VersiProgram

# Apps whose master data operators manage in the admin.
OPERATOR_APPS = ("program", "pendampingan", "lokakarya", "pmo", "komunitas", "reports", "axes")


def read_fixture(name: str) -> dict:
    with open(settings.BASE_DIR / "fixtures" / name, encoding="utf-8") as fh:
        return json.load(fh)


def load() -> list[str]:
    data = read_fixture("wilayah.json")
    for row in data["program"]:
        program, _ = Program.objects.update_or_create(
            kode=row["kode"], defaults={"nama": row["nama"]}
        )
        # The first version only: later ones are the operators' (Versi program page).
        if not program.versi.exists():
            VersiProgram.objects.create(program=program, **row["versi"])
    n_kab = 0
    for prov in data["provinsi"]:
        provinsi, _ = Provinsi.objects.update_or_create(
            kode=prov["kode"], defaults={"nama": prov["nama"]}
        )
        if "balai" in prov and provinsi.balai_id is None:
            # Once: which Balai serves a province is the operators' afterwards.
            balai, _ = Balai.objects.get_or_create(
                kode=prov["balai"]["kode"],
                defaults={"nama": prov["balai"]["nama"], "jenis": prov["balai"]["jenis"]},
            )
            provinsi.balai = balai
            provinsi.save(update_fields=["balai"])
        for kab in prov["kabupaten"]:
            KabupatenKota.objects.update_or_create(
                kode=kab["kode"], defaults={"nama": kab["nama"], "provinsi": provinsi}
            )
            n_kab += 1
    group, _ = Group.objects.get_or_create(name=OPERATOR_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=OPERATOR_APPS).exclude(
            content_type__model__in=("job", "berkas")
        )
    )
    return [f"{len(data['program'])} program", f"{n_kab} kabupaten/kota", "grup Operator"]
