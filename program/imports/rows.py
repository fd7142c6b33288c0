"""A row of the preview: its status, changes and errors, and the writes it will run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

BARU = "baru"
BERUBAH = "berubah"
TETAP = "tetap"
GALAT = "galat"


@dataclass
class Perubahan:
    kolom: str
    lama: str
    baru: str


@dataclass
class Galat:
    baris: int
    kolom: str
    pesan: str


@dataclass
class Baris:
    nomor: int
    label: str = ""
    baru: bool = False
    perubahan: list[Perubahan] = field(default_factory=list)
    galat: list[Galat] = field(default_factory=list)
    # Not errors: the operator reads them and decides (e.g. "mungkin sama dengan …").
    peringatan: list[str] = field(default_factory=list)
    # Writes for this row, run in row order inside one transaction.
    langkah: list[Callable[[Konteks], None]] = field(default_factory=list)
    # What the row reaches, for an import limited to a Balai (preview.Cakupan):
    # the kabupaten/kota of every school or region it writes to or moves from,
    # the Balai it assigns people to, the people whose own data it changes,
    # and why only an operator of the whole programme may import it.
    # Each maps an id to the column that names it.
    wilayah: dict[int, str] = field(default_factory=dict)
    balai: dict[int, str] = field(default_factory=dict)
    orang_diubah: dict[int, str] = field(default_factory=dict)
    hanya_pusat: tuple[str, str] | None = None  # (column, why)

    @property
    def status(self) -> str:
        if self.galat:
            return GALAT
        if self.baru:
            return BARU
        return BERUBAH if self.perubahan else TETAP

    def error(self, kolom: str, pesan: str) -> None:
        self.galat.append(Galat(self.nomor, kolom, pesan))

    def change(self, kolom, lama, baru) -> None:
        self.perubahan.append(Perubahan(str(kolom), str(lama or "—"), str(baru or "—")))


@dataclass
class Konteks:
    """What the writes of one apply share: the operator, and the people saved
    by earlier rows (by their key in the file)."""

    actor: object
    orang: dict = field(default_factory=dict)
    # Said by every history row the import writes (file, row, operator, time).
    asal: str = ""
    baris: int | None = None

    def mark(self, obj) -> None:
        obj._history_user = self.actor
        if self.asal:
            # simple-history keeps 100 characters: the row first, the time last.
            obj._change_reason = (
                _("Baris %(baris)s · %(asal)s") % {"baris": self.baris, "asal": self.asal}
                if self.baris is not None
                else self.asal
            )[:100]


def save_with_history(obj, ctx: Konteks) -> None:
    """Validate and save; the history records the operator and the import."""
    obj.full_clean()
    ctx.mark(obj)
    obj.save()
