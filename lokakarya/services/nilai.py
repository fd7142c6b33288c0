"""Pre/post-test scores and products of a workshop: their writes (services) and the
few reads that belong with them (summary of scores, import preview).

Every write is all or nothing: a facilitator who saves 12 scores with one typo,
or imports a file with one unknown name, finds nothing changed and every
problem listed, rather than a half-updated class.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lokakarya import selectors
from lokakarya.models import Kelompok, Lokakarya, Peserta, Produk
from lokakarya.resources import BarisBerkas
from program.models import Sekolah
from program.softdelete import soft_delete, soft_restore
from program.uploads import berkas_create

NILAI_MIN = Decimal(0)
NILAI_MAKS = Decimal(100)
_SEN = Decimal("0.01")

# --- scores: parsing and display --------------------------------------------------


def parse_nilai(raw) -> Decimal | None:
    """A score as typed ("85", "85,5", "85.5") or read from a spreadsheet cell.

    Blank is None. More than two decimals (a percentage exported by a quiz
    tool) are rounded half up to the two the model keeps.
    """
    if raw is None:
        return None
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        text = str(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if "," in text and "." not in text:
            text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(
            _("“%(v)s” bukan angka.") % {"v": str(raw).strip()}, code="bukan_angka"
        )
    if value < NILAI_MIN or value > NILAI_MAKS:
        raise ValidationError(
            _("%(v)s di luar rentang 0–100.") % {"v": str(raw).strip()}, code="rentang"
        )
    return value.quantize(_SEN, rounding=ROUND_HALF_UP)


def angka(value, places: int = 2) -> str:
    """Indonesian notation without trailing zeros: 85.50 → "85,5"; None → "—"."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",")


def angka_bertanda(value) -> str:
    """A gain with its sign: "+12,5", "-5", "0"."""
    if value is None:
        return "—"
    text = angka(value)
    return f"+{text}" if Decimal(value) > 0 and text != "0" else text


def _rata(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(_SEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ringkasan:
    """Means of a class. The gain counts only participants with both scores."""

    n_peserta: int
    n_pre: int
    n_post: int
    n_pasangan: int
    rata_pre: Decimal | None
    rata_post: Decimal | None
    rata_pre_pasangan: Decimal | None
    rata_post_pasangan: Decimal | None
    rata_kenaikan: Decimal | None

    @property
    def rata_pre_teks(self) -> str:
        return angka(self.rata_pre)

    @property
    def rata_post_teks(self) -> str:
        return angka(self.rata_post)

    @property
    def rata_kenaikan_teks(self) -> str:
        return angka_bertanda(self.rata_kenaikan)


def ringkasan_nilai(peserta: Iterable[Peserta]) -> Ringkasan:
    peserta = list(peserta)
    pre = [p.nilai_pre for p in peserta if p.nilai_pre is not None]
    post = [p.nilai_post for p in peserta if p.nilai_post is not None]
    pasangan = [p for p in peserta if p.nilai_pre is not None and p.nilai_post is not None]
    return Ringkasan(
        n_peserta=len(peserta),
        n_pre=len(pre),
        n_post=len(post),
        n_pasangan=len(pasangan),
        rata_pre=_rata(pre),
        rata_post=_rata(post),
        rata_pre_pasangan=_rata([p.nilai_pre for p in pasangan]),
        rata_post_pasangan=_rata([p.nilai_post for p in pasangan]),
        rata_kenaikan=_rata([p.nilai_post - p.nilai_pre for p in pasangan]),
    )


# --- scores: writes -----------------------------------------------------------------


@dataclass(frozen=True)
class NilaiBaris:
    """The scores one participant should have after the save (None = no score)."""

    peserta_id: int
    pre: Decimal | None
    post: Decimal | None


_NILAI_FIELDS = ("nilai_pre", "nilai_post")
_OTHER_FIELDS = [f.name for f in Peserta._meta.fields if f.name not in _NILAI_FIELDS]


@transaction.atomic
def nilai_set_bulk(*, actor, lokakarya: Lokakarya, rows: Iterable[NilaiBaris]) -> int:
    """Set the pre/post scores of many participants of one workshop at once.

    All or nothing: if any row is invalid, raises ValidationError whose
    `message_dict` maps str(peserta_id) to that row's messages and saves
    nothing. Returns how many participants changed.
    """
    rows = list(rows)
    current = {
        p.pk: p
        for p in Peserta.objects.select_for_update()
        .select_related("orang")
        .filter(lokakarya=lokakarya, pk__in=[r.peserta_id for r in rows])
    }
    errors: dict[str, list[str]] = {}
    changed: list[Peserta] = []
    seen: set[int] = set()
    for row in rows:
        key = str(row.peserta_id)
        peserta = current.get(row.peserta_id)
        if peserta is None:
            errors[key] = [_("Peserta tidak terdaftar di lokakarya ini.")]
            continue
        if row.peserta_id in seen:
            errors[key] = [_("%(nama)s muncul lebih dari sekali.") % {"nama": peserta.orang.nama}]
            continue
        seen.add(row.peserta_id)
        if (peserta.nilai_pre, peserta.nilai_post) == (row.pre, row.post):
            continue
        peserta.nilai_pre, peserta.nilai_post = row.pre, row.post
        try:
            # Only the two score fields: validating the foreign keys and the
            # uniqueness constraint again would cost three queries per row.
            peserta.full_clean(
                exclude=_OTHER_FIELDS, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors[key] = [m for messages in error.message_dict.values() for m in messages]
            continue
        changed.append(peserta)
    if errors:
        raise ValidationError(errors)
    for peserta in changed:
        peserta._history_user = actor
        peserta.save(update_fields=list(_NILAI_FIELDS))
    return len(changed)


# --- scores: import from a spreadsheet ------------------------------------------------


def _kunci_nama(nama: str) -> str:
    return " ".join(str(nama).split()).casefold()


def _tanpa_gelar(nama: str) -> str:
    """Academic titles follow the first comma: "Khosiah, S.Pd., M.Si" → "khosiah"."""
    return _kunci_nama(str(nama).split(",", 1)[0])


def _nilai_teks(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


@dataclass(frozen=True)
class Perubahan:
    """One participant whose scores the import would change."""

    baris: int
    peserta_id: int
    nama: str
    pre_lama: Decimal | None
    pre_baru: Decimal | None
    post_lama: Decimal | None
    post_baru: Decimal | None

    @property
    def pre_berubah(self) -> bool:
        return self.pre_lama != self.pre_baru

    @property
    def post_berubah(self) -> bool:
        return self.post_lama != self.post_baru

    @property
    def teks(self) -> dict[str, str]:
        return {
            "pre_lama": angka(self.pre_lama),
            "pre_baru": angka(self.pre_baru),
            "post_lama": angka(self.post_lama),
            "post_baru": angka(self.post_baru),
        }

    def as_session(self) -> dict:
        """Plain values kept in the server-side session between preview and confirm."""
        return {
            "baris": self.baris,
            "peserta": self.peserta_id,
            "nama": self.nama,
            "pre_lama": _nilai_teks(self.pre_lama),
            "pre": _nilai_teks(self.pre_baru),
            "post_lama": _nilai_teks(self.post_lama),
            "post": _nilai_teks(self.post_baru),
        }

    @classmethod
    def from_session(cls, data: dict) -> Perubahan:
        def dec(v):
            return None if v is None else Decimal(v)

        return cls(
            baris=int(data["baris"]),
            peserta_id=int(data["peserta"]),
            nama=str(data["nama"]),
            pre_lama=dec(data["pre_lama"]),
            pre_baru=dec(data["pre"]),
            post_lama=dec(data["post_lama"]),
            post_baru=dec(data["post"]),
        )


@dataclass
class Pratinjau:
    """What an import would do. Nothing has been written."""

    perubahan: list[Perubahan] = field(default_factory=list)
    galat: list[tuple[int, str]] = field(default_factory=list)
    tidak_berubah: int = 0
    kolom: tuple[str, ...] = ()

    @property
    def bisa_diterapkan(self) -> bool:
        return not self.galat and bool(self.perubahan)


def _pencocok(peserta: list[Peserta]):
    """name in file → participants: whole name first, then the part before the comma."""
    utuh: dict[str, list[Peserta]] = {}
    depan: dict[str, list[Peserta]] = {}
    for p in peserta:
        utuh.setdefault(_kunci_nama(p.orang.nama), []).append(p)
        depan.setdefault(_tanpa_gelar(p.orang.nama), []).append(p)

    def cocokkan(nama: str) -> list[Peserta]:
        return utuh.get(_kunci_nama(nama)) or depan.get(_tanpa_gelar(nama)) or []

    return cocokkan


def nilai_import_preview(*, lokakarya: Lokakarya, baris: list[BarisBerkas]) -> Pratinjau:
    """Dry run of an import: match each row to a participant and validate its scores.

    `baris` comes from `resources.baca_nilai` (spreadsheet row numbers kept).
    A blank cell leaves that score unchanged.
    """
    peserta = list(selectors.peserta_list(lokakarya))
    cocokkan = _pencocok(peserta)
    hasil = Pratinjau()
    dipakai: dict[int, int] = {}  # peserta id → first row naming them
    for row in baris:
        nama = " ".join(str(row.nama or "").split())
        if not nama:
            if row.pre not in (None, "") or row.post not in (None, ""):
                hasil.galat.append((row.nomor, _("nama peserta kosong.")))
            continue
        found = cocokkan(nama)
        if not found:
            hasil.galat.append(
                (
                    row.nomor,
                    _("“%(nama)s” tidak ditemukan di daftar peserta lokakarya ini.")
                    % {"nama": nama},
                )
            )
            continue
        if len(found) > 1:
            hasil.galat.append(
                (
                    row.nomor,
                    _(
                        "“%(nama)s” cocok dengan lebih dari satu peserta (%(daftar)s); "
                        "tulis nama lengkap."
                    )
                    % {"nama": nama, "daftar": "; ".join(p.orang.nama for p in found)},
                )
            )
            continue
        p = found[0]
        if p.pk in dipakai:
            hasil.galat.append(
                (
                    row.nomor,
                    _("%(nama)s sudah ada di baris %(baris)s (peserta ganda dalam berkas).")
                    % {"nama": p.orang.nama, "baris": dipakai[p.pk]},
                )
            )
            continue
        dipakai[p.pk] = row.nomor
        values = {}
        ok = True
        for label, raw, lama in (
            ("pre", row.pre, p.nilai_pre),
            ("post", row.post, p.nilai_post),
        ):
            try:
                baru = parse_nilai(raw)
            except ValidationError as error:
                hasil.galat.append(
                    (
                        row.nomor,
                        _("nilai %(kolom)s %(pesan)s")
                        % {"kolom": label, "pesan": error.messages[0]},
                    )
                )
                ok = False
                continue
            values[label] = lama if baru is None else baru
        if not ok:
            continue
        change = Perubahan(
            baris=row.nomor,
            peserta_id=p.pk,
            nama=p.orang.nama,
            pre_lama=p.nilai_pre,
            pre_baru=values["pre"],
            post_lama=p.nilai_post,
            post_baru=values["post"],
        )
        if change.pre_berubah or change.post_berubah:
            hasil.perubahan.append(change)
        else:
            hasil.tidak_berubah += 1
    hasil.galat.sort(key=lambda item: item[0])
    return hasil


@transaction.atomic
def nilai_import_apply(*, actor, lokakarya: Lokakarya, perubahan: list[Perubahan]) -> int:
    """Apply a previewed import, all or nothing.

    Refused if any of these scores changed since the preview (someone saved the
    score table meanwhile): the facilitator uploads again and sees fresh values.
    """
    if not perubahan:
        raise ValidationError(_("Tidak ada perubahan untuk diterapkan."))
    current = {
        p.pk: p
        for p in Peserta.objects.select_for_update()
        .select_related("orang")
        .filter(lokakarya=lokakarya, pk__in=[c.peserta_id for c in perubahan])
    }
    stale = [
        c.nama
        for c in perubahan
        if c.peserta_id not in current
        or (current[c.peserta_id].nilai_pre, current[c.peserta_id].nilai_post)
        != (c.pre_lama, c.post_lama)
    ]
    if stale:
        raise ValidationError(
            _(
                "Nilai %(nama)s berubah atau pesertanya dihapus sejak pratinjau. "
                "Tidak ada yang disimpan; unggah ulang berkas."
            )
            % {"nama": ", ".join(stale)}
        )
    try:
        return nilai_set_bulk(
            actor=actor,
            lokakarya=lokakarya,
            rows=[NilaiBaris(c.peserta_id, c.pre_baru, c.post_baru) for c in perubahan],
        )
    except ValidationError as error:
        raise ValidationError(
            _("Berkas tidak dapat diterapkan: %(pesan)s")
            % {"pesan": " ".join(m for ms in error.message_dict.values() for m in ms)}
        ) from error


# --- products -------------------------------------------------------------------------


def sekolah_pilihan(lokakarya: Lokakarya) -> QuerySet[Sekolah]:
    """Schools a product may belong to: the participants' and the facilitators'."""
    return Sekolah.objects.filter(
        Q(pk__in=lokakarya.peserta.values("sekolah_id"))
        | Q(pk__in=selectors.sekolah_of_facilitators(lokakarya).values("pk"))
    ).order_by("nama")


@transaction.atomic
def produk_create(
    *,
    actor,
    lokakarya: Lokakarya,
    jenis: str,
    judul: str,
    kelompok: Kelompok | None = None,
    sekolah: Sekolah | None = None,
    isi: str = "",
    berkas_file=None,
) -> Produk:
    """Record a product of a group or a school, with an optional upload."""
    if kelompok is not None and kelompok.lokakarya_id != lokakarya.pk:
        raise ValidationError({"kelompok": _("Kelompok bukan dari lokakarya ini.")})
    if sekolah is not None and not sekolah_pilihan(lokakarya).filter(pk=sekolah.pk).exists():
        raise ValidationError({"sekolah": _("Sekolah tidak terkait dengan lokakarya ini.")})
    produk = Produk(
        lokakarya=lokakarya,
        jenis=jenis,
        judul=(judul or "").strip(),
        kelompok=kelompok,
        sekolah=sekolah,
        isi=(isi or "").strip(),
    )
    produk.full_clean(exclude=["berkas"])
    if berkas_file is not None:
        produk.berkas = berkas_create(actor=actor, uploaded_file=berkas_file)
    produk._history_user = actor
    produk.save()
    return produk


@transaction.atomic
def produk_delete(*, actor, produk: Produk) -> None:
    """To the trash (program.softdelete); the facilitator can restore it."""
    soft_delete(actor=actor, obj=produk)


@transaction.atomic
def produk_restore(*, actor, produk: Produk) -> Produk:
    return soft_restore(actor=actor, obj=produk)
