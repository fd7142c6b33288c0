from django.core.management import call_command

from program.models import Orang, PenugasanPP, PenugasanSekolah, Peran, Sekolah


def test_seed_demo_meets_the_contract_and_is_idempotent(demo):
    counts = (Orang.objects.count(), Sekolah.objects.count(), PenugasanPP.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Orang.objects.count(), Sekolah.objects.count(), PenugasanPP.objects.count()) == counts

    cgp_pp1 = set(PenugasanPP.objects.filter(pp__user=demo["pp1"]).values_list("cgp", flat=True))
    cgp_pp2 = set(PenugasanPP.objects.filter(pp__user=demo["pp2"]).values_list("cgp", flat=True))
    assert len(cgp_pp1) >= 3 and len(cgp_pp2) >= 3 and not cgp_pp1 & cgp_pp2
    assert Orang.objects.get(user=demo["cgp1"]).pk in cgp_pp1

    def schools(username, peran):
        return set(
            PenugasanSekolah.objects.filter(orang__user=demo[username], peran=peran).values_list(
                "sekolah", flat=True
            )
        )

    f1, f2 = schools("fasilitator1", Peran.FASILITATOR), schools("fasilitator2", Peran.FASILITATOR)
    assert f1 and f2 and not f1 & f2
    (ks1_school,) = schools("ks1", Peran.KEPALA_SEKOLAH)
    (ks2_school,) = schools("ks2", Peran.KEPALA_SEKOLAH)
    assert ks1_school in f1 and ks2_school in f2
    assert demo["admin"].is_superuser
    assert demo["pp1"].check_password("demo12345")
    # Two regions, each with its own coordinator, facilitator, head and PP.
    (kab1,) = Orang.objects.get(user=demo["koordinator1"]).penugasan_wilayah.all()
    (kab2,) = Orang.objects.get(user=demo["koordinator2"]).penugasan_wilayah.all()
    assert (kab1.kabupaten.kode, kab2.kabupaten.kode) == ("5203", "5310")
    regions = {kab1.kabupaten_id, kab2.kabupaten_id}
    assert set(Sekolah.objects.values_list("kabupaten", flat=True)) == regions
    f3 = schools("fasilitator3", Peran.FASILITATOR)
    (ks3_school,) = schools("ks3", Peran.KEPALA_SEKOLAH)
    assert ks3_school in f3 and not f3 & (f1 | f2)
    assert set(Sekolah.objects.filter(pk__in=f3).values_list("kabupaten", flat=True)) == {
        kab2.kabupaten_id
    }
    cgp_pp3 = PenugasanPP.objects.filter(pp__user=demo["pp3"])
    assert cgp_pp3.count() == 3 and not set(cgp_pp3.values_list("cgp", flat=True)) & cgp_pp1
    assert {p.sekolah.kabupaten_id for p in cgp_pp3} == {kab2.kabupaten_id}
    # A second cohort, with a pair in each region.
    a11 = PenugasanPP.objects.get(cgp__user=demo["cgp1"]).angkatan
    a12 = PenugasanPP.objects.get(cgp__user=demo["cgp3"]).angkatan
    assert a11 != a12
    assert PenugasanPP.objects.filter(angkatan=a12, sekolah__kabupaten=kab1.kabupaten).exists()
    # koordinator2 holds a second role: facilitator of a school outside their region.
    outside = schools("koordinator2", Peran.FASILITATOR)
    assert outside and outside <= f2
    # One head per school.
    heads = PenugasanSekolah.objects.filter(peran=Peran.KEPALA_SEKOLAH)
    assert heads.count() == heads.values("sekolah").distinct().count()


def test_seed_demo_scale_multiplies_population(db):
    call_command("seed_demo", "--scale", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Lombok Timur is multiplied; Sikka and Angkatan 12 are seeded once.
    assert Sekolah.objects.filter(kabupaten__kode="5203").count() == 24
    assert Sekolah.objects.filter(kabupaten__kode="5310").count() == 4
    assert PenugasanPP.objects.filter(angkatan__nomor=11).count() == 18
    assert PenugasanPP.objects.filter(angkatan__nomor=12).count() == 4


def test_academic_titles_are_kept_exactly(demo):
    assert Orang.objects.filter(nama="Khairul Anwar, S.Pd., M.Pd").exists()
