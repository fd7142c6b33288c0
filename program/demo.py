"""Demo population for `manage.py seed_demo` (idempotent).

At scale 1 it is the documented demo (accounts listed in README); at scale N
it adds N-1 more copies of the Lombok Timur population in further schools, for
benchmarks. Later apps add their records in their own `demo.py`, reading `ctx`.

Two regions and two PGP cohorts, so that what a user must not see exists:
Kabupaten Lombok Timur (NTB) with Angkatan 11, and Kabupaten Sikka (NTT) whose
CGP are in Angkatan 12, as is one more CGP of pp2 in Lombok Timur. koordinator2
coordinates Sikka and is also a facilitator of a Lombok Timur school.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from program.access import OPERATOR_GROUP
from program.models import (
    Angkatan,
    Jenjang,
    KabupatenKota,
    KelasDaring,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
    PeranWilayah,
    Program,
    Sekolah,
    StatusSekolah,
)

User = get_user_model()


@dataclass
class DemoContext:
    password: str
    scale: int = 1
    users: dict[str, object] = field(default_factory=dict)
    orang: dict[str, Orang] = field(default_factory=dict)
    sekolah: dict[str, Sekolah] = field(default_factory=dict)
    angkatan: dict[str, Angkatan] = field(default_factory=dict)
    kabupaten: KabupatenKota | None = None  # Lombok Timur
    kabupaten2: KabupatenKota | None = None  # Sikka
    accounts: list[tuple[str, str]] = field(default_factory=list)


# (username, name with titles, NIP or "", role description shown in README/console)
ACCOUNTS = [
    ("operator1", "Baiq Nurul Aini, S.Kom", "", "Operator program"),
    ("pp1", "Khairul Anwar, S.Pd., M.Pd", "198305122009031004", "Pengajar Praktik"),
    ("pp2", "Lalu Muhammad Zainuddin, S.Pd", "198711032010011002", "Pengajar Praktik"),
    ("cgp1", "Rusdiana, S.Pd", "199002152014022001", "CGP dampingan pp1"),
    ("fasilitator1", "Dr. Hj. Siti Rohmi, M.Pd", "", "Fasilitator / Pelatih Ahli"),
    ("fasilitator2", "Ahmad Fauzan Hadi, S.Pd., M.Si", "", "Fasilitator / Pelatih Ahli"),
    ("ks1", "H. Lalu Suparman, S.Pd., M.M", "197204101998021003", "Kepala SMA Negeri 1 Selong"),
    ("ks2", "Nurhidayati, S.Pd.SD", "197608222000122002", "Kepala SD Negeri 4 Terara"),
    ("pengawas1", "Drs. Muhammad Ridwan, M.Pd", "196805141994031007", "Pengawas sekolah"),
    ("koordinator1", "Dra. Baiq Sri Mulyani, M.Pd", "", "Koordinator Lombok Timur"),
    (
        "koordinatorntb",
        "Lalu Muhammad Azhar, S.Pd., M.Pd",
        "",
        "Koordinator Balai Guru Penggerak NTB (seluruh kabupaten/kota NTB)",
    ),
    (
        "operatorntb",
        "Baiq Hilmiatun, S.Kom",
        "",
        "Operator Balai Guru Penggerak NTB (impor data induk NTB)",
    ),
    ("pp3", "Yohanes Don Bosco Parera, S.Pd., M.Pd", "198104172006041009", "Pengajar Praktik"),
    ("cgp3", "Maria Goreti Wae, S.Pd", "199207302019032011", "CGP dampingan pp3"),
    ("fasilitator3", "Dr. Fransiskus Xaverius Nong, M.Pd", "", "Fasilitator / Pelatih Ahli"),
    ("ks3", "Theresia Lodan, S.Pd., M.Pd", "197509182001122003", "Kepala SMA Negeri 1 Maumere"),
    (
        "koordinator2",
        "Drs. Emanuel Moa Bego, M.Si",
        "",
        "Koordinator Sikka; fasilitator SMP Islam Al-Ikhlas Masbagik",
    ),
    (
        "fasilitatorpgp1",
        "Nurul Hikmah, S.Pd., M.Pd",
        "",
        "Fasilitator PGP, kelas daring Angkatan 11 (CGP pp1 dan pp2)",
    ),
    (
        "fasilitatorpgp2",
        "Yosefina Dua Lodang, S.Pd",
        "",
        "Fasilitator PGP, kelas daring Angkatan 12",
    ),
]

# (NPSN, name, jenjang, status, alamat) — schools of Kabupaten Lombok Timur
SCHOOLS = [
    ("50203101", "SMA Negeri 1 Selong", Jenjang.SMA, StatusSekolah.NEGERI, "Jl. Pahlawan, Selong"),
    ("50203102", "SD Negeri 4 Terara", Jenjang.SD, StatusSekolah.NEGERI, "Terara"),
    ("50203103", "SD Negeri 2 Jerowaru", Jenjang.SD, StatusSekolah.NEGERI, "Jerowaru"),
    ("50203104", "SMP Negeri 4 Jerowaru", Jenjang.SMP, StatusSekolah.NEGERI, "Jerowaru"),
    ("50203105", "SD Negeri 2 Sekaroh", Jenjang.SD, StatusSekolah.NEGERI, "Sekaroh, Jerowaru"),
    ("50203106", "SMA Negeri 1 Sikur", Jenjang.SMA, StatusSekolah.NEGERI, "Sikur"),
    ("50203107", "SMK Negeri 1 Kotaraja", Jenjang.SMK, StatusSekolah.NEGERI, "Kotaraja, Sikur"),
    ("50203108", "SMP Islam Al-Ikhlas Masbagik", Jenjang.SMP, StatusSekolah.SWASTA, "Masbagik"),
]

# (NPSN, name, jenjang, status, alamat) — schools of Kabupaten Sikka (NTT)
SCHOOLS_SIKKA = [
    ("50310101", "SMA Negeri 1 Maumere", Jenjang.SMA, StatusSekolah.NEGERI, "Jl. Sudirman"),
    ("50310102", "SMP Negeri 1 Maumere", Jenjang.SMP, StatusSekolah.NEGERI, "Jl. Ahmad Yani"),
    ("50310103", "SD Inpres Kota Uneng", Jenjang.SD, StatusSekolah.NEGERI, "Kota Uneng, Alok"),
    ("50310104", "SMP Katolik Frateran Maumere", Jenjang.SMP, StatusSekolah.SWASTA, "Maumere"),
]

# Angkatan 12: (key, name, PP key, NPSN); cgp-pp2-4 is pp2's CGP of the new cohort.
CGP_ANGKATAN_12 = [
    ("cgp3", "Maria Goreti Wae, S.Pd", "pp3", "50310103"),
    ("cgp-pp3-2", "Agustinus Rangga, S.Pd", "pp3", "50310102"),
    ("cgp-pp3-3", "Kristina Nona Lusi, S.Pd.Gr", "pp3", "50310104"),
    ("cgp-pp2-4", "Baiq Yuni Marlina, S.Pd", "pp2", "50203106"),
]

# CGP of pp1 and pp2: (key, name, NIP, school index)
CGP = [
    ("cgp1", "Rusdiana, S.Pd", 2),
    ("cgp-pp1-2", "Junaidi Hamzani, S.Pd", 3),
    ("cgp-pp1-3", "Sarniwati, S.Pd.Gr", 4),
    ("cgp-pp2-1", "Edy Prasetyo, S.Pd.Gr", 5),
    ("cgp-pp2-2", "Rika Ningsih, S.Pd", 6),
    ("cgp-pp2-3", "Sri Nurdianti, S.Pd", 7),
]


def _user(ctx: DemoContext, username: str, *, superuser: bool = False):
    user, created = User.objects.get_or_create(username=username)
    if created or not user.check_password(ctx.password):
        user.set_password(ctx.password)
    user.is_superuser = superuser
    user.is_staff = superuser or username == "operator1"
    user.save()
    ctx.users[username] = user
    return user


def _orang(ctx: DemoContext, key: str, nama: str, *, user=None, nip: str = "", instansi: str = ""):
    if user is not None:
        orang, _ = Orang.objects.update_or_create(
            user=user, defaults={"nama": nama, "nip": nip, "instansi": instansi}
        )
    else:
        orang, _ = Orang.objects.get_or_create(
            nama=nama, instansi=instansi, user=None, defaults={"nip": nip}
        )
    ctx.orang[key] = orang
    return orang


def seed(ctx: DemoContext) -> None:
    ctx.kabupaten = KabupatenKota.objects.get(kode="5203")
    pgp = Program.objects.get(kode="PGP")
    psp = Program.objects.get(kode="PSP")
    today = timezone.localdate()
    # Both cohorts are running whatever the date: PGP's lokakarya 0 was ten
    # weeks ago and its last is in twenty (pendampingan/demo.py), PSP is in
    # the fifth of its twelve months. Dates move with today, as the rest of the demo.
    ctx.angkatan["pgp"], _ = Angkatan.objects.update_or_create(
        program=pgp,
        nomor=11,
        defaults={
            "nama": "Angkatan 11",
            "tanggal_mulai": today - dt.timedelta(days=77),
            "tanggal_selesai": today + dt.timedelta(days=193),
        },
    )
    ctx.angkatan["psp"], _ = Angkatan.objects.update_or_create(
        program=psp,
        nomor=4,
        defaults={
            "nama": "Angkatan 4",
            "tanggal_mulai": today - dt.timedelta(days=142),
            "tanggal_selesai": today + dt.timedelta(days=210),
        },
    )

    admin = _user(ctx, "admin", superuser=True)
    _orang(ctx, "admin", "Administrator Sistem", user=admin)
    ctx.accounts.append(("admin", "Superuser"))
    for username, nama, nip, role in ACCOUNTS:
        user = _user(ctx, username)
        _orang(ctx, username, nama, user=user, nip=nip, instansi="")
        ctx.accounts.append((username, role))
    Group.objects.get(name=OPERATOR_GROUP).user_set.add(ctx.users["operator1"])

    for i in range(ctx.scale):
        _seed_population(ctx, copy=i)
    _seed_sikka(ctx, pgp)


def _seed_population(ctx: DemoContext, *, copy: int) -> None:
    """One copy of the schools and assignments; copy 0 is the documented demo."""
    suffix = "" if copy == 0 else f" ({copy + 1})"
    schools = []
    for npsn, nama, jenjang, status, alamat in SCHOOLS:
        code = npsn if copy == 0 else f"{int(npsn) + copy * 1000:08d}"
        sekolah, _ = Sekolah.objects.update_or_create(
            npsn=code,
            defaults={
                "nama": nama + suffix,
                "jenjang": jenjang,
                "status": status,
                "kabupaten": ctx.kabupaten,
                "alamat": alamat,
            },
        )
        schools.append(sekolah)
        ctx.sekolah[f"{copy}:{npsn}"] = sekolah
        if copy == 0:
            ctx.sekolah[npsn] = sekolah

    o = ctx.orang
    if copy == 0:
        pp = {"pp1": o["pp1"], "pp2": o["pp2"]}
        fas = {"fasilitator1": o["fasilitator1"], "fasilitator2": o["fasilitator2"]}
        ks = {"ks1": o["ks1"], "ks2": o["ks2"]}
        PenugasanWilayah.objects.get_or_create(orang=o["koordinator1"], kabupaten=ctx.kabupaten)
        if ctx.kabupaten.provinsi.balai_id:
            PenugasanWilayah.objects.get_or_create(
                orang=o["koordinatorntb"], balai_id=ctx.kabupaten.provinsi.balai_id
            )
            PenugasanWilayah.objects.get_or_create(
                orang=o["operatorntb"],
                balai_id=ctx.kabupaten.provinsi.balai_id,
                defaults={"peran": PeranWilayah.OPERATOR},
            )
    else:
        pp = {k: _orang(ctx, f"{k}#{copy}", f"{o[k].nama}{suffix}") for k in ("pp1", "pp2")}
        fas = {
            k: _orang(ctx, f"{k}#{copy}", f"{o[k].nama}{suffix}")
            for k in ("fasilitator1", "fasilitator2")
        }
        ks = {k: _orang(ctx, f"{k}#{copy}", f"{o[k].nama}{suffix}") for k in ("ks1", "ks2")}

    # Facilitators: fasilitator1 has the even schools, fasilitator2 the odd ones.
    for idx, sekolah in enumerate(schools):
        key = "fasilitator1" if idx % 2 == 0 else "fasilitator2"
        PenugasanSekolah.objects.get_or_create(
            orang=fas[key], sekolah=sekolah, peran=Peran.FASILITATOR
        )
    PenugasanSekolah.objects.get_or_create(
        orang=ks["ks1"], sekolah=schools[0], peran=Peran.KEPALA_SEKOLAH
    )
    PenugasanSekolah.objects.get_or_create(
        orang=ks["ks2"], sekolah=schools[1], peran=Peran.KEPALA_SEKOLAH
    )
    if copy == 0:
        for sekolah in schools[:4]:
            PenugasanSekolah.objects.get_or_create(
                orang=o["pengawas1"], sekolah=sekolah, peran=Peran.PENGAWAS
            )

    # The cohort's online class in the LMS, with its Fasilitator PGP.
    kelas, _ = KelasDaring.objects.update_or_create(
        angkatan=ctx.angkatan["pgp"],
        nama=f"Kelas A{suffix}",
        defaults={"fasilitator": ctx.orang["fasilitatorpgp1"]},
    )
    for n, (key, nama, school_idx) in enumerate(CGP):
        pp_key = "pp1" if n < 3 else "pp2"
        if copy == 0 and key == "cgp1":
            cgp = o["cgp1"]
        else:
            cgp = _orang(ctx, f"{key}#{copy}", f"{nama}{suffix}", instansi=schools[school_idx].nama)
        o[key if copy == 0 else f"{key}#{copy}"] = cgp
        PenugasanPP.objects.update_or_create(
            angkatan=ctx.angkatan["pgp"],
            cgp=cgp,
            defaults={"pp": pp[pp_key], "sekolah": schools[school_idx], "kelas": kelas},
        )
        PenugasanSekolah.objects.get_or_create(
            orang=cgp, sekolah=schools[school_idx], peran=Peran.GURU
        )


def _seed_sikka(ctx: DemoContext, pgp: Program) -> None:
    """The second region and cohort (never multiplied by --scale)."""
    ctx.kabupaten2 = KabupatenKota.objects.get(kode="5310")
    today = timezone.localdate()
    # A cohort that started two months ago and runs nine months (dates move with today).
    mulai = today - dt.timedelta(days=63)
    ctx.angkatan["pgp12"], _ = Angkatan.objects.update_or_create(
        program=pgp,
        nomor=12,
        defaults={
            "nama": "Angkatan 12",
            "tanggal_mulai": mulai,
            "tanggal_selesai": mulai + dt.timedelta(days=270),
        },
    )
    for npsn, nama, jenjang, status, alamat in SCHOOLS_SIKKA:
        ctx.sekolah[npsn], _ = Sekolah.objects.update_or_create(
            npsn=npsn,
            defaults={
                "nama": nama,
                "jenjang": jenjang,
                "status": status,
                "kabupaten": ctx.kabupaten2,
                "alamat": alamat,
            },
        )
    o = ctx.orang
    PenugasanWilayah.objects.get_or_create(orang=o["koordinator2"], kabupaten=ctx.kabupaten2)
    for npsn, *_rest in SCHOOLS_SIKKA:
        PenugasanSekolah.objects.get_or_create(
            orang=o["fasilitator3"], sekolah=ctx.sekolah[npsn], peran=Peran.FASILITATOR
        )
    PenugasanSekolah.objects.get_or_create(
        orang=o["ks3"], sekolah=ctx.sekolah["50310101"], peran=Peran.KEPALA_SEKOLAH
    )
    # koordinator2's second role: facilitator of a school outside their region.
    PenugasanSekolah.objects.get_or_create(
        orang=o["koordinator2"], sekolah=ctx.sekolah["50203108"], peran=Peran.FASILITATOR
    )
    kelas, _ = KelasDaring.objects.update_or_create(
        angkatan=ctx.angkatan["pgp12"],
        nama="Kelas A",
        defaults={"fasilitator": o["fasilitatorpgp2"]},
    )
    for key, nama, pp_key, npsn in CGP_ANGKATAN_12:
        sekolah = ctx.sekolah[npsn]
        cgp = o[key] if key in ctx.users else _orang(ctx, key, nama, instansi=sekolah.nama)
        PenugasanPP.objects.update_or_create(
            angkatan=ctx.angkatan["pgp12"],
            cgp=cgp,
            defaults={"pp": o[pp_key], "sekolah": sekolah, "kelas": kelas},
        )
        PenugasanSekolah.objects.get_or_create(orang=cgp, sekolah=sekolah, peran=Peran.GURU)
