import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from program.models import (
    Angkatan,
    Jenjang,
    KabupatenKota,
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "rahasia123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrangFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Orang

    user = factory.SubFactory(UserFactory)
    nama = factory.Sequence(lambda n: f"Guru Nomor {n}, S.Pd")


class ProvinsiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provinsi
        django_get_or_create = ("kode",)

    kode = "52"
    nama = "Nusa Tenggara Barat"


class KabupatenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KabupatenKota
        django_get_or_create = ("kode",)

    provinsi = factory.SubFactory(ProvinsiFactory)
    # Six digits: never one of the reference data's four-digit codes (5201…5272).
    kode = factory.Sequence(lambda n: f"52{n + 1000}")
    nama = factory.Sequence(lambda n: f"Kabupaten Uji {n}")


class SekolahFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sekolah

    npsn = factory.Sequence(lambda n: f"{60000000 + n}")
    nama = factory.Sequence(lambda n: f"SD Negeri {n} Uji")
    jenjang = Jenjang.SD
    status = StatusSekolah.NEGERI
    kabupaten = factory.SubFactory(KabupatenFactory)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("kode",)

    kode = "PGP"
    nama = "Program Guru Penggerak"


class AngkatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Angkatan
        django_get_or_create = ("program", "nomor")

    program = factory.SubFactory(ProgramFactory)
    # Not the demo's cohort (PGP Angkatan 11): the demo is in every test's database.
    nomor = 91
    nama = "Angkatan 91"
    # Running on any date, like the demo's cohorts.
    tanggal_mulai = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=77))
    tanggal_selesai = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=193))


class PenugasanPPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PenugasanPP

    angkatan = factory.SubFactory(AngkatanFactory)
    pp = factory.SubFactory(OrangFactory)
    cgp = factory.SubFactory(OrangFactory)
    sekolah = factory.SubFactory(SekolahFactory)


class PenugasanSekolahFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PenugasanSekolah

    orang = factory.SubFactory(OrangFactory)
    sekolah = factory.SubFactory(SekolahFactory)
    peran = Peran.FASILITATOR


class PenugasanWilayahFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PenugasanWilayah

    orang = factory.SubFactory(OrangFactory)
    kabupaten = factory.SubFactory(KabupatenFactory)
