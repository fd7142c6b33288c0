import datetime as dt

import pytest

from lokakarya import services
from lokakarya.models import PeranPeserta, TemplatLokakarya
from program.models import KabupatenKota, Orang, PenugasanSekolah, Peran, Sekolah


@pytest.fixture
def workshop(demo):
    """A luring "Komunitas Belajar 1" of fasilitator1 with 12 participants:
    2 pengawas, 4 kepala sekolah and 6 guru from fasilitator1's schools.
    `ks1` and `cgp1` are participants with logins; `ks2` is not."""
    fasilitator = Orang.objects.get(user=demo["fasilitator1"])
    schools = list(
        Sekolah.objects.filter(penugasan__orang=fasilitator, penugasan__peran=Peran.FASILITATOR)
    )
    lok = services.lokakarya_create(
        actor=demo["fasilitator1"],
        templat=TemplatLokakarya.objects.get(kode="kb1-luring"),
        data={
            "nama": "Lokakarya Komunitas Belajar 1",
            "program": TemplatLokakarya.objects.get(kode="kb1-luring").program,
            "kabupaten": KabupatenKota.objects.get(kode="5203"),
            "moda": "luring",
            "tanggal_mulai": dt.date(2026, 11, 20),
            "tanggal_selesai": dt.date(2026, 11, 20),
            "tempat": "Aula SMA Negeri 1 Selong",
            "fasilitator": fasilitator,
        },
    )
    actor = demo["fasilitator1"]
    people = [
        (Orang.objects.get(user=demo["ks1"]), PeranPeserta.KEPALA_SEKOLAH, schools[0]),
        (Orang.objects.get(user=demo["pengawas1"]), PeranPeserta.PENGAWAS, schools[0]),
        (Orang.objects.get(user=demo["cgp1"]), PeranPeserta.GURU, schools[1]),
    ]
    extra = [
        ("Drs. Lalu Ahmad Zaini, M.Pd", PeranPeserta.PENGAWAS),
        ("Hj. Maesarah, S.Pd", PeranPeserta.KEPALA_SEKOLAH),
        ("Muhammad Yusuf, S.Pd", PeranPeserta.KEPALA_SEKOLAH),
        ("Baiq Rina Lestari, S.Pd", PeranPeserta.KEPALA_SEKOLAH),
        ("Haeroni Azizah, S.Pd", PeranPeserta.GURU),
        ("Hizbuddin, S.Pd", PeranPeserta.GURU),
        ("Kamhar, S.Pd", PeranPeserta.GURU),
        ("Sanuardi, S.Pd", PeranPeserta.GURU),
        ("Rusdan, S.Pd", PeranPeserta.GURU),
    ]
    role_at_school = {
        PeranPeserta.PENGAWAS: Peran.PENGAWAS,
        PeranPeserta.KEPALA_SEKOLAH: Peran.KEPALA_SEKOLAH,
        PeranPeserta.GURU: Peran.GURU,
    }
    for i, (nama, peran) in enumerate(extra):
        sekolah = schools[i % len(schools)]
        orang = Orang.objects.create(nama=nama, instansi=sekolah.nama)
        PenugasanSekolah.objects.create(orang=orang, sekolah=sekolah, peran=role_at_school[peran])
        people.append((orang, peran, sekolah))
    for orang, peran, sekolah in people:
        services.peserta_add(actor=actor, lokakarya=lok, orang=orang, peran=peran, sekolah=sekolah)
    return lok
