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
    # Every demo school lies in the coordinator's kabupaten.
    kab = Orang.objects.get(user=demo["koordinator1"]).penugasan_wilayah.get().kabupaten
    assert set(Sekolah.objects.values_list("kabupaten", flat=True)) == {kab.pk}


def test_seed_demo_scale_multiplies_population(db):
    call_command("seed_demo", "--scale", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Sekolah.objects.count() == 24
    assert PenugasanPP.objects.count() == 18


def test_academic_titles_are_kept_exactly(demo):
    assert Orang.objects.filter(nama="Khairul Anwar, S.Pd., M.Pd").exists()
