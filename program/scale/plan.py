"""The plan of a national seed: how many rows of each kind, from one factor.

At factor 1 the plan is the size of the programmes nationwide: 100k CGP with
15k Pengajar Praktik and 600k PI sessions, 10k PSP schools with a year of PMO
and a learning community each, 2k workshops of 40 participants, in ~500
kabupaten/kota. `--factor F` builds the same shape at a fraction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Codes of the generated regions start with this letter: reference codes are
# numeric, so the two never collide and a second run can be detected.
KODE_PREFIX = "N"
NPSN_PREFIX = "9"
USERNAME_PREFIX = "nas-"

SEKOLAH_PER_FASILITATOR = 5
SEKOLAH_PER_PENGAWAS = 10
GURU_PER_SEKOLAH_PSP = 2
# An online (LMS) class of a cohort, with its Fasilitator PGP.
CGP_PER_KELAS = 25


class ScaleError(Exception):
    """The database is not in a state the national seed can be added to."""


@dataclass(frozen=True)
class Plan:
    """Row counts of one run, all derived from the factor."""

    factor: float
    provinsi: int
    kabupaten: int
    cgp: int
    pp: int
    sekolah_psp: int
    sekolah: int
    lokakarya: int

    @classmethod
    def for_factor(cls, factor: float) -> Plan:
        def n(full: int, low: int = 1) -> int:
            return max(low, round(full * factor))

        psp = n(10_000, 20)
        return cls(
            factor=factor,
            provinsi=n(37),
            kabupaten=n(504, 2),
            cgp=n(100_000, 12),
            pp=n(15_000, 2),
            sekolah_psp=psp,
            # Four in five schools only have CGP; every fifth is a PSP school.
            sekolah=5 * psp,
            lokakarya=n(2_000, 4),
        )

    # People derived from the plan ------------------------------------------------
    @property
    def fasilitator(self) -> int:
        return math.ceil(self.sekolah_psp / SEKOLAH_PER_FASILITATOR)

    @property
    def pengawas(self) -> int:
        return math.ceil(self.sekolah_psp / SEKOLAH_PER_PENGAWAS)

    @property
    def kelas_per_angkatan(self) -> int:
        """Online classes of each of the two cohorts (half the CGP each)."""
        return math.ceil(math.ceil(self.cgp / 2) / CGP_PER_KELAS)

    @property
    def kelas_daring(self) -> int:
        """Both cohorts' classes: one Fasilitator PGP each."""
        return 2 * self.kelas_per_angkatan
