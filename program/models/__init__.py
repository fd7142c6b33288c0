from .berkas import Berkas
from .job import Job
from .master import (
    Angkatan,
    JadwalLokakarya,
    Jenjang,
    KabupatenKota,
    KelasDaring,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
    Program,
    Provinsi,
    Sekolah,
    StatusSekolah,
)
from .versioning import VersionedModel

__all__ = [
    "Angkatan",
    "Berkas",
    "JadwalLokakarya",
    "Jenjang",
    "Job",
    "KabupatenKota",
    "KelasDaring",
    "Orang",
    "PenugasanPP",
    "PenugasanSekolah",
    "PenugasanWilayah",
    "Peran",
    "Program",
    "Provinsi",
    "Sekolah",
    "StatusSekolah",
    "VersionedModel",
]
