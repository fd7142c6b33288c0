"""The preview: every row planned against the database, then applied all or nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from program.imports.columns import Jenis
from program.imports.orang import plan_orang
from program.imports.penugasan import plan_penugasan
from program.imports.reading import Tabel
from program.imports.rows import BARU, BERUBAH, GALAT, TETAP, Baris, Galat, Konteks
from program.imports.sekolah import plan_sekolah
from program.versioning import ConflictError


@dataclass
class Pratinjau:
    jenis: Jenis
    baris: list[Baris]

    @property
    def galat(self) -> list[Galat]:
        return sorted((g for b in self.baris for g in b.galat), key=lambda g: g.baris)

    @property
    def peringatan(self) -> list[tuple[int, str]]:
        return [(b.nomor, w) for b in self.baris for w in b.peringatan]

    def jumlah(self, status: str) -> int:
        return sum(1 for b in self.baris if b.status == status)

    @property
    def ringkasan(self) -> dict[str, int]:
        return {s: self.jumlah(s) for s in (BARU, BERUBAH, TETAP, GALAT)}

    @property
    def ada_perubahan(self) -> bool:
        return any(b.status in (BARU, BERUBAH) for b in self.baris)

    @property
    def dapat_diterapkan(self) -> bool:
        return not self.galat and self.ada_perubahan

    @property
    def sidik(self) -> str:
        """Fingerprint of what the operator saw; confirm refuses if it moved."""
        payload = [
            [b.nomor, b.status, [[p.kolom, p.lama, p.baru] for p in b.perubahan]]
            for b in self.baris
        ]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Cakupan:
    """Where an operator of a Balai may import: the kabupaten/kota of its
    provinces, the Balai itself, and the people they may read. A row that
    writes outside it (a school elsewhere, a school moved from elsewhere, a
    coordinator of another region, the data of a person they cannot read) is
    an error of that row; so is what only an operator of the whole programme
    keeps (online classes, linking an existing login)."""

    nama: str
    kabupaten: frozenset[int]
    balai: frozenset[int]
    orang: QuerySet

    @classmethod
    def of(cls, *, kabupaten: QuerySet, balai: QuerySet, orang: QuerySet) -> Cakupan:
        balai = list(balai)
        return cls(
            nama=", ".join(b.nama for b in balai),
            kabupaten=frozenset(kabupaten.values_list("pk", flat=True)),
            balai=frozenset(b.pk for b in balai),
            orang=orang,
        )

    def periksa(self, baris: list[Baris]) -> None:
        diubah = {pk for b in baris for pk in b.orang_diubah}
        terlihat = (
            set(self.orang.filter(pk__in=diubah).values_list("pk", flat=True)) if diubah else set()
        )
        balai = self.nama or _("Balai Anda")
        for b in baris:
            if b.hanya_pusat is not None:
                kolom, pesan = b.hanya_pusat
                b.error(kolom, pesan)
            for kolom in dict.fromkeys(
                [k for pk, k in b.wilayah.items() if pk not in self.kabupaten]
                + [k for pk, k in b.balai.items() if pk not in self.balai]
            ):
                b.error(
                    kolom,
                    _(
                        "Sekolah atau wilayah ini di luar %(balai)s; hanya operator pusat yang "
                        "dapat mengimpornya."
                    )
                    % {"balai": balai},
                )
            if any(pk not in terlihat for pk in b.orang_diubah):
                # What the database holds of someone they may not read is
                # not shown, only what the file says.
                for p in b.perubahan:
                    p.lama = _("(tersembunyi)")
            for kolom in dict.fromkeys(k for pk, k in b.orang_diubah.items() if pk not in terlihat):
                b.error(
                    kolom,
                    _(
                        "Orang ini tercatat di luar %(balai)s; hanya operator pusat yang dapat "
                        "mengubah datanya."
                    )
                    % {"balai": balai},
                )

    def terlihat(self, orang: list) -> list:
        """The people of `orang` the operator may read (for "mungkin sama dengan …")."""
        if not orang:
            return []
        pks = set(self.orang.filter(pk__in=[o.pk for o in orang]).values_list("pk", flat=True))
        return [o for o in orang if o.pk in pks]


def plan_import(jenis: Jenis, tabel: Tabel, cakupan: Cakupan | None = None) -> Pratinjau:
    """Compare every row with the database. Reads only; writes nothing.
    With a `cakupan`, rows that reach outside it are errors."""
    planner = {"sekolah": plan_sekolah, "orang": plan_orang, "penugasan": plan_penugasan}
    baris = planner[jenis.kode](tabel.baris, cakupan)
    if cakupan is not None:
        cakupan.periksa(baris)
    return Pratinjau(jenis=jenis, baris=baris)


class ImporGagal(Exception):
    """Applying failed; the transaction was rolled back and nothing was written."""

    def __init__(self, baris: int | None, pesan: str):
        super().__init__(pesan)
        self.baris = baris
        self.pesan = pesan


def apply_import(*, actor, pratinjau: Pratinjau, nama_berkas: str = "") -> dict[str, int]:
    """Write every row of an error-free preview, all or nothing. Every history
    row says it came from this import: file, row, operator and time."""
    if pratinjau.galat:
        raise ImporGagal(None, _("Pratinjau masih berisi galat; tidak ada yang disimpan."))
    berkas = nama_berkas if len(nama_berkas) <= 40 else nama_berkas[:37] + "…"
    asal = _("impor %(jenis)s “%(berkas)s” oleh %(operator)s, %(waktu)s") % {
        "jenis": str(pratinjau.jenis.label).lower(),
        "berkas": berkas or _("berkas"),
        "operator": actor.get_username() if actor is not None else _("sistem"),
        "waktu": date_format(timezone.localtime(), "j M Y H.i"),
    }
    ctx = Konteks(actor=actor, asal=asal)
    nomor = None
    try:
        with transaction.atomic():
            for baris in pratinjau.baris:
                nomor = ctx.baris = baris.nomor
                for langkah in baris.langkah:
                    langkah(ctx)
    except ValidationError as exc:
        raise ImporGagal(nomor, "; ".join(exc.messages)) from exc
    except ConflictError as exc:
        raise ImporGagal(
            nomor, _("Data “%(obj)s” diubah orang lain sejak pratinjau.") % {"obj": exc.current}
        ) from exc
    except ObjectDoesNotExist as exc:
        raise ImporGagal(nomor, _("Data yang dirujuk sudah dihapus sejak pratinjau.")) from exc
    except DatabaseError as exc:
        raise ImporGagal(
            nomor, _("Basis data menolak perubahan (data bentrok dengan data lain).")
        ) from exc
    return pratinjau.ringkasan
