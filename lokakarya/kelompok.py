"""Group work in a workshop, as pure functions (no database): dividing
participants into groups and the rotations the facilitator announces.

Seed 004: four mixed groups "masing-masing kelompok terdapat unsur pengawas,
kepala sekolah dan pendidik"; later one group per role. Presentations rotate
(group 1 presents, group 2 responds; … the last presents, group 1 responds).
In a gallery walk one presenter stays at the group's poster while the other
members, the reporters, visit the other groups, 5 minutes per stop, then
15 minutes to revise.

Group numbers in rotations are positions 1..n in the ordered list of groups.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

# Order in which roles are dealt and role groups are numbered.
URUTAN_PERAN = ("pengawas", "kepala_sekolah", "guru", "lainnya")

MENIT_PER_POS = 5
MENIT_REVISI = 15
MENIT_PRESENTASI = 5
MENIT_TANGGAPAN = 2


def _role_order(roles: Iterable[str]) -> list[str]:
    present = set(roles)
    known = [r for r in URUTAN_PERAN if r in present]
    return known + sorted(present - set(URUTAN_PERAN))


def bagi_campuran(peserta: list[tuple[int, str]], n: int, seed: int) -> list[list[int]]:
    """Divide participants into `n` mixed groups, spreading every role.

    Each role (pengawas, kepala sekolah, guru, others) is shuffled with the
    seed and dealt round-robin; each role starts at the group after the one
    where the previous role stopped, so group sizes differ by at most one and
    a role with at least `n` people reaches every group. The same participants
    and seed always give the same groups, whatever order they are passed in.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    # Not for security: a seed the facilitator can repeat to get the same groups.
    rng = random.Random(seed)  # noqa: S311
    by_role = bagi_per_peran(peserta)
    groups: list[list[int]] = [[] for _ in range(n)]
    position = rng.randrange(n)
    for role in by_role:
        members = sorted(by_role[role])
        rng.shuffle(members)
        for member in members:
            groups[position].append(member)
            position = (position + 1) % n
    return groups


def bagi_per_peran(peserta: list[tuple[int, str]]) -> dict[str, list[int]]:
    """One list per role present, in the order pengawas, kepala sekolah, guru,
    others; members keep the order they were passed in."""
    result: dict[str, list[int]] = {r: [] for r in _role_order(p for _, p in peserta)}
    for pk, peran in peserta:
        result[peran].append(pk)
    return result


def _check(n: int) -> None:
    if n < 2:
        raise ValueError("a rotation needs at least 2 groups")


def rotasi_presentasi(n: int) -> list[tuple[int, int]]:
    """(presenting group, responding group) in order: k presents, k+1
    responds, and group 1 responds to the last."""
    _check(n)
    return [(k, k % n + 1) for k in range(1, n + 1)]


def rotasi_gallery_walk(n: int) -> list[list[int]]:
    """For rounds 1..n-1, the poster each group's reporters visit:
    `table[r-1][k-1]` is the group visited by group k in round r, that is
    k+r wrapping round. Every round is a permutation with no group at its own
    poster, and over n-1 rounds each group sees every other group once."""
    _check(n)
    return [[(k - 1 + r) % n + 1 for k in range(1, n + 1)] for r in range(1, n)]


@dataclass(frozen=True)
class Putaran:
    nomor: int
    mulai: int  # minutes from the start of the activity
    selesai: int
    kunjungan: list[int]  # kunjungan[k-1]: the group visited by group k


@dataclass(frozen=True)
class JadwalGalleryWalk:
    putaran: list[Putaran]
    menit_per_pos: int
    revisi_mulai: int
    menit_revisi: int
    total: int


def jadwal_gallery_walk(
    n: int, menit_per_pos: int = MENIT_PER_POS, menit_revisi: int = MENIT_REVISI
) -> JadwalGalleryWalk:
    """Rounds with their minutes, then the revision time: (n-1)×stop + revision."""
    putaran = [
        Putaran(nomor=r, mulai=(r - 1) * menit_per_pos, selesai=r * menit_per_pos, kunjungan=row)
        for r, row in enumerate(rotasi_gallery_walk(n), start=1)
    ]
    keliling = (n - 1) * menit_per_pos
    return JadwalGalleryWalk(
        putaran=putaran,
        menit_per_pos=menit_per_pos,
        revisi_mulai=keliling,
        menit_revisi=menit_revisi,
        total=keliling + menit_revisi,
    )


@dataclass(frozen=True)
class Giliran:
    penyaji: int
    penanggap: int
    mulai: int
    selesai: int


def jadwal_presentasi(
    n: int, menit_presentasi: int = MENIT_PRESENTASI, menit_tanggapan: int = MENIT_TANGGAPAN
) -> tuple[list[Giliran], int]:
    """Turns with their minutes (seed 004: 5 minutes to present, 2 minutes of
    response) and the total."""
    slot = menit_presentasi + menit_tanggapan
    giliran = [
        Giliran(penyaji=p, penanggap=t, mulai=i * slot, selesai=(i + 1) * slot)
        for i, (p, t) in enumerate(rotasi_presentasi(n))
    ]
    return giliran, n * slot
