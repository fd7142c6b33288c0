"""What the generators of one run share.

Generators never read back the rows another one loaded, and domain apps never
import each other: the platform's generator records here the first id of each
group of rows it loads (row k of a group has id first + k) and the demo rows
the others build on, and the index arithmetic below turns them into the ids
of a given school, person or assignment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from program.scale.names import JENJANG_SEBARAN, mix
from program.scale.plan import CGP_PER_KELAS, Plan

if TYPE_CHECKING:
    from program.models import Angkatan, Program
    from program.scale.loader import Loader
    from program.scale.text import TextBank


@dataclass
class ScaleContext:
    plan: Plan
    load: Loader
    seed: int
    today: dt.date
    # One text bank for the run: its pools draw from one RNG stream, so the
    # text of a generator depends on what ran before it (see run.py on order).
    text: TextBank

    # Set by the platform's generator (program/scale/platform.py) ------------------
    program_psp: Program | None = None
    angkatan_psp: Angkatan | None = None
    # The demo's current PGP cohort, and the one before it: CGP alternate.
    angkatan_pgp: Angkatan | None = None
    angkatan_lalu: Angkatan | None = None
    # Lokakarya dates of both PGP cohorts: angkatan pk -> lokakarya ke -> date.
    jadwal: dict[int, dict[int, dt.date]] = field(default_factory=dict)
    # (pk, nama) of every kabupaten schools are spread over: the reference
    # kabupaten (NTB, with the demo's Lombok Timur) first, then the new ones.
    kabupaten: list[tuple[int, str]] = field(default_factory=list)
    sch0: int = 0  # school j has id sch0 + j
    pen0: int = 0  # CGP i's PenugasanPP has id pen0 + i
    # First id of each group of people and of logins: "pp", "cgp", "ks",
    # "guru", "fas", "pengawas", "koord" (CGP and teachers have no login).
    orang_base: dict[str, int] = field(default_factory=dict)
    user_base: dict[str, int] = field(default_factory=dict)

    # -- schools ----------------------------------------------------------------------
    def jenjang_sekolah(self, j: int) -> str:
        return JENJANG_SEBARAN[mix(j, 2) % len(JENJANG_SEBARAN)]

    def kab_of_sekolah(self, j: int) -> int:
        """Index in `kabupaten` of school `j`'s kabupaten."""
        return j * len(self.kabupaten) // self.plan.sekolah

    def nama_sekolah(self, j: int) -> str:
        jenjang = self.jenjang_sekolah(j)
        status = "Negeri" if mix(j, 3) % 4 else "Swasta"
        kab = self.kabupaten[self.kab_of_sekolah(j)][1].removeprefix("Kabupaten ")
        return f"{jenjang} {status} {j % 97 + 1} {kab.removeprefix('Kota ')}"

    def psp_sekolah(self, s: int) -> int:
        """Index (among all schools) of PSP school number `s`."""
        return 5 * s

    # -- CGP --------------------------------------------------------------------------
    def sekolah_cgp(self, i: int) -> int:
        return i * self.plan.sekolah // self.plan.cgp

    def pp_of_cgp(self, i: int) -> int:
        return i * self.plan.pp // self.plan.cgp

    def kelas_of_cgp(self, i: int) -> int:
        """Index of CGP i's online class: classes of the current cohort first
        (even i), then the previous one's (odd i, see angkatan_of_cgp)."""
        return (i % 2) * self.plan.kelas_per_angkatan + (i // 2) // CGP_PER_KELAS

    def angkatan_of_cgp(self, i: int) -> int:
        # Alternate so that every PP mentors CGP of both cohorts.
        return self.angkatan_pgp.pk if i % 2 == 0 else self.angkatan_lalu.pk
