"""Workshop template names say what they are (issue 17 §4): 'PGP · Lokakarya 2',
'PSP · Komunitas Belajar 1 · luring'. Renames the templates still named as
first loaded; a name an operator changed is left alone."""

from django.db import migrations

RENAMES = {
    "kb1-luring": ("Komunitas Belajar 1 (Luring)", "PSP · Komunitas Belajar 1 · luring"),
    "kb1-daring": ("Komunitas Belajar 1 (Daring)", "PSP · Komunitas Belajar 1 · daring"),
    "fgd-seed000": (
        "FGD Penyusunan Program Sekolah yang Berdampak pada Murid",
        "PGP · FGD Penyusunan Program Sekolah yang Berdampak pada Murid",
    ),
    "pgp-orientasi": ("Lokakarya Orientasi", "PGP · Lokakarya Orientasi"),
    **{f"pgp-lokakarya-{n}": (f"Lokakarya {n}", f"PGP · Lokakarya {n}") for n in range(1, 8)},
}


def rename(apps, schema_editor):
    TemplatLokakarya = apps.get_model("lokakarya", "TemplatLokakarya")
    for kode, (old, new) in RENAMES.items():
        TemplatLokakarya.objects.filter(kode=kode, nama=old).update(nama=new)


def rename_back(apps, schema_editor):
    TemplatLokakarya = apps.get_model("lokakarya", "TemplatLokakarya")
    for kode, (old, new) in RENAMES.items():
        TemplatLokakarya.objects.filter(kode=kode, nama=new).update(nama=old)


class Migration(migrations.Migration):
    dependencies = [("lokakarya", "0003_urutan_daftar")]
    operations = [migrations.RunPython(rename, rename_back)]
