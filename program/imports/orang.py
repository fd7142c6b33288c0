"""Planning the rows of an import of people and their roles at schools."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from program.imports.checks import (
    NIP_RE,
    NUPTK_RE,
    check_length,
    check_npsn,
    choice,
    number_hint,
    require,
    sekolah_label,
)
from program.imports.rows import Baris, Konteks, save_with_history
from program.models import Orang, PenugasanSekolah, Peran, Sekolah
from program.models.master import PERAN_SEKOLAH
from program.orang_sama import Pencari
from program.versioning import save_versioned

ORANG_FIELDS = ("nama", "nip", "nuptk", "instansi", "email", "telepon")
PERAN_LEWAT_PENUGASAN = {Peran.PENGAJAR_PRAKTIK, Peran.CGP, Peran.KOORDINATOR}


@dataclass
class _Orang:
    """One person of the file, maybe spread over several rows."""

    ident: tuple
    first: Baris
    orang: Orang | None
    values: dict[str, str] = field(default_factory=dict)
    value_rows: dict[str, int] = field(default_factory=dict)
    username: str = ""
    username_row: Baris | None = None
    akun: str = ""  # "" | "baru" | "tautkan"
    user_pk: int | None = None


def _orang_label(values: dict[str, str]) -> str:
    key = values.get("nip") or values.get("nuptk") or values.get("username") or ""
    return f"{values.get('nama', '')} ({key})" if key else values.get("nama", "")


def _known(o: Orang) -> dict[str, str]:
    return {"nama": o.nama, "nip": o.nip, "nuptk": o.nuptk, "username": ""}


def plan_orang(rows, cakupan=None) -> list[Baris]:
    User = get_user_model()
    username_validator = UnicodeUsernameValidator()
    peran_sekolah = {p.value for p in PERAN_SEKOLAH}

    # Everything the rows refer to, in a fixed number of queries.
    nips = {r["nip"] for _, r in rows if r["nip"]}
    nuptks = {r["nuptk"] for _, r in rows if r["nuptk"]}
    usernames = {r["username"] for _, r in rows if r["username"]}
    by_key: dict[tuple[str, str], list[Orang]] = {}
    for o in Orang.objects.select_related("user").filter(nip__in=nips):
        by_key.setdefault(("nip", o.nip), []).append(o)
    for o in Orang.objects.select_related("user").filter(nuptk__in=nuptks):
        by_key.setdefault(("nuptk", o.nuptk), []).append(o)
    users = {
        u.username: u
        for u in User.objects.select_related("orang__user").filter(username__in=usernames)
    }
    for u in users.values():
        if hasattr(u, "orang"):
            by_key[("username", u.username)] = [u.orang]
    sekolah = {
        s.npsn: s for s in Sekolah.objects.filter(npsn__in={r["npsn"].upper() for _, r in rows})
    }

    persons: dict[tuple, _Orang] = {}
    key_owner: dict[tuple, tuple] = {}
    roles: dict[tuple, int] = {}
    out: list[tuple[Baris, _Orang | None, str | None, Sekolah | None]] = []
    for nomor, r in rows:
        b = Baris(nomor)
        v = {f: r[f] for f in ORANG_FIELDS}
        username = r["username"]
        b.label = _orang_label({**v, "username": username})
        if require(b, "nama", v["nama"]):
            check_length(b, "nama", v["nama"], 200)
        if v["nip"] and not NIP_RE.match(v["nip"]):
            b.error(
                "nip",
                _("NIP “%(v)s” tidak valid: harus 18 angka.") % {"v": v["nip"]}
                + number_hint(v["nip"]),
            )
        if v["nuptk"] and not NUPTK_RE.match(v["nuptk"]):
            b.error(
                "nuptk",
                _("NUPTK “%(v)s” tidak valid: harus 16 angka.") % {"v": v["nuptk"]}
                + number_hint(v["nuptk"]),
            )
        if username and (len(username) > 150 or not _valid(username_validator, username)):
            b.error(
                "username",
                _(
                    "Username “%(v)s” tidak valid: gunakan huruf, angka dan . @ + - _ "
                    "(maksimal 150 karakter)."
                )
                % {"v": username},
            )
        if not (v["nip"] or v["nuptk"] or username):
            b.error(
                "nip",
                _(
                    "Isi minimal salah satu dari NIP, NUPTK atau username agar orang ini "
                    "dikenali pada impor berikutnya."
                ),
            )
        key_ok = not b.galat or all(g.kolom == "nama" for g in b.galat)
        check_length(b, "instansi", v["instansi"], 200)
        check_length(b, "telepon", v["telepon"], 20)
        if v["email"] and not _valid(validate_email, v["email"]):
            b.error("email", _("Email “%(v)s” tidak valid.") % {"v": v["email"]})

        peran, s = None, None
        if r["peran"]:
            peran = choice(r["peran"], Peran.choices)
            if peran in PERAN_LEWAT_PENUGASAN:
                b.error(
                    "peran",
                    _("Peran “%(v)s” diberikan lewat impor penugasan, bukan di sini.")
                    % {"v": r["peran"]},
                )
                peran = None
            elif peran not in peran_sekolah:
                b.error(
                    "peran",
                    _("Peran “%(v)s” tidak dikenal. Pilih: %(pilihan)s.")
                    % {"v": r["peran"], "pilihan": ", ".join(sorted(peran_sekolah))},
                )
                peran = None
            if not r["npsn"]:
                b.error("npsn", _("Isi NPSN sekolah tempat peran ini."))
        npsn = r["npsn"].upper()
        if npsn:
            if not r["peran"]:
                b.error("peran", _("Isi kolom peran untuk NPSN ini."))
            if check_npsn(b, "npsn", npsn):
                s = sekolah.get(npsn)
                if s is None:
                    b.error(
                        "npsn",
                        _("Sekolah dengan NPSN %(npsn)s tidak ditemukan.") % {"npsn": npsn},
                    )

        person = None
        if key_ok:
            person = _resolve_person(
                b, {**v, "username": username}, by_key, persons, key_owner, cakupan
            )
        if person is not None and peran and s is not None:
            role_key = (person.ident, s.pk, peran)
            if role_key in roles:
                b.error(
                    "peran",
                    _("Peran ini untuk orang dan sekolah yang sama sudah ada di baris %(baris)s.")
                    % {"baris": roles[role_key]},
                )
            else:
                roles[role_key] = b.nomor
        out.append((b, person, peran, s))

    existing_pks = [p.orang.pk for p in persons.values() if p.orang is not None]
    existing_roles = set(
        PenugasanSekolah.objects.filter(orang__in=existing_pks).values_list(
            "orang_id", "sekolah_id", "peran"
        )
    )
    for person in persons.values():
        _plan_person(person, users)

    # One person, once: a new person who may be someone already there (same
    # name, titles aside, at the same school or instansi) is pointed out.
    new_people = [(b, p, s) for b, p, _peran, s in out if p is not None and p.orang is None]
    pencari = (
        Pencari(
            sekolah=[s for *_, s in new_people if s is not None],
            instansi=[p.values.get("instansi", "") for _, p, _ in new_people],
        )
        if new_people
        else None
    )
    warned: set[tuple] = set()
    for b, person, s in new_people:
        if person.ident in warned:
            continue
        sama = pencari.cari(
            person.values.get("nama", ""), instansi=person.values.get("instansi", ""), sekolah=s
        )
        if cakupan is not None:
            # Only people the operator may read are named.
            sama = cakupan.terlihat(sama)
        if sama:
            warned.add(person.ident)
            b.peringatan.append(
                _(
                    "Mungkin sama dengan %(orang)s yang sudah ada. Bila memang orang yang "
                    "sama, isi NIP, NUPTK atau username-nya di berkas agar tidak tercatat dua kali."
                )
                % {"orang": ", ".join(_orang_label(_known(o)) for o in sama)}
            )

    for b, person, peran, s in out:
        if person is None:
            continue
        b.label = _orang_label({**person.values, "username": person.username})
        b.baru = person.orang is None
        if peran and s is not None:
            orang_pk = person.orang.pk if person.orang else None
            b.wilayah[s.kabupaten_id] = "npsn"
            if (orang_pk, s.pk, peran) not in existing_roles:
                b.change(_("Peran"), "", f"{Peran(peran).label} — {sekolah_label(s)}")
                b.langkah.append(_add_role(person, s, peran))
    return [b for b, *_ in out]


def _valid(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _names(people: list[Orang], cakupan) -> str:
    """People named in a message: for a Balai operator, only those they may read."""
    shown = people if cakupan is None else cakupan.terlihat(people)
    names = [o.nama for o in shown]
    if hidden := len(people) - len(shown):
        names.append(_("%(n)s orang di luar wilayah Anda") % {"n": hidden})
    return ", ".join(names)


def _resolve_person(b: Baris, v: dict, by_key, persons, key_owner, cakupan) -> _Orang | None:
    """Who a row is about: a person in the database and/or an earlier row of the file.

    A person's data may be spread over several rows (one per role) but must
    not contradict itself.
    """
    keys = [(k, v[k]) for k in ("nip", "nuptk", "username") if v[k]]
    matches: dict[int, Orang] = {}
    for kind, value in keys:
        found = by_key.get((kind, value), [])
        if len(found) > 1:
            b.error(
                kind,
                _(
                    "%(kunci)s %(v)s dimiliki lebih dari satu orang di basis data "
                    "(%(nama)s); rapikan dulu lewat admin."
                )
                % {"kunci": kind.upper(), "v": value, "nama": _names(found, cakupan)},
            )
            return None
        for o in found:
            matches[o.pk] = o
    if len(matches) > 1:
        b.error(
            "nip",
            _("NIP, NUPTK dan username baris ini menunjuk ke orang yang berbeda: %(nama)s.")
            % {"nama": _names(list(matches.values()), cakupan)},
        )
        return None
    existing = next(iter(matches.values()), None)
    candidates = {key_owner[k] for k in keys if k in key_owner}
    if existing is not None:
        candidates.add(("orang", existing.pk))
    if len(candidates) > 1:
        earlier = sorted(persons[c].first.nomor for c in candidates if c in persons)
        b.error(
            "nip",
            _(
                "NIP, NUPTK dan username baris ini menunjuk ke lebih dari satu orang "
                "(lihat baris %(baris)s)."
            )
            % {"baris": ", ".join(map(str, earlier))},
        )
        return None
    ident = next(iter(candidates), ("baru", b.nomor))
    person = persons.get(ident)
    if person is None:
        person = persons[ident] = _Orang(ident=ident, first=b, orang=existing)
    for k in keys:
        key_owner[k] = ident
    for f in ORANG_FIELDS:
        if not v[f]:
            continue
        if person.values.get(f, v[f]) != v[f]:
            b.error(
                f,
                _("Kolom %(kolom)s berbeda dengan baris %(baris)s untuk orang yang sama.")
                % {"kolom": f, "baris": person.value_rows[f]},
            )
        else:
            person.values[f] = v[f]
            person.value_rows.setdefault(f, b.nomor)
    if v["username"]:
        if person.username and person.username != v["username"]:
            b.error(
                "username",
                _("Username berbeda dengan baris %(baris)s untuk orang yang sama.")
                % {"baris": person.username_row.nomor},
            )
        elif not person.username:
            person.username, person.username_row = v["username"], b
    return person


def _plan_person(person: _Orang, users: dict) -> None:
    """Diff one person against the database; changes are shown on their first row."""
    b, orang = person.first, person.orang
    labels = {
        "nama": _("Nama"),
        "nip": "NIP",
        "nuptk": "NUPTK",
        "instansi": _("Instansi"),
        "email": _("Email"),
        "telepon": _("Telepon"),
    }
    changed = False
    if orang is not None:
        for f, new in person.values.items():
            old = getattr(orang, f)
            if old != new:
                b.change(labels[f], old, new)
                b.orang_diubah.setdefault(orang.pk, f)
                changed = True
    user = orang.user if orang is not None else None
    if person.username:
        row = person.username_row
        if user is not None:
            if user.username != person.username:
                row.error(
                    "username",
                    _(
                        "Orang ini sudah memiliki akun “%(lama)s”; "
                        "username tidak diubah lewat impor."
                    )
                    % {"lama": user.username},
                )
        else:
            existing_user = users.get(person.username)
            if existing_user is not None and hasattr(existing_user, "orang"):
                # Not reached while a username finds its person (plan_orang's
                # by_key); kept so that a change there cannot link two people.
                row.error(
                    "username",
                    _("Username “%(v)s” sudah dipakai orang lain.") % {"v": person.username},
                )
            elif existing_user is not None:
                person.akun, person.user_pk = "tautkan", existing_user.pk
                row.hanya_pusat = (
                    "username",
                    _(
                        "Username “%(v)s” milik akun yang sudah ada; hanya operator pusat yang "
                        "dapat menautkannya ke orang."
                    )
                    % {"v": person.username},
                )
                b.change(_("Akun"), "", _("%(v)s (akun yang sudah ada)") % {"v": person.username})
                changed = True
            else:
                person.akun = "baru"
                if orang is not None:
                    b.orang_diubah.setdefault(orang.pk, "username")
                b.change(
                    _("Akun"), "", _("%(v)s (akun baru tanpa kata sandi)") % {"v": person.username}
                )
                changed = True
    if orang is None or changed:
        b.langkah.append(_save_person(person))


def _save_person(person: _Orang):
    version = person.orang.version if person.orang is not None else 1

    def run(ctx: Konteks) -> None:
        User = get_user_model()
        orang = person.orang if person.orang is not None else Orang()
        for f, value in person.values.items():
            setattr(orang, f, value)
        if person.akun == "baru":
            user = User(username=person.username, email=person.values.get("email", ""))
            user.set_unusable_password()
            user.full_clean()
            user.save()
            orang.user = user
        elif person.akun == "tautkan":
            orang.user = User.objects.get(pk=person.user_pk)
        ctx.mark(orang)
        save_versioned(orang, expected_version=version)
        ctx.orang[person.ident] = orang

    return run


def _add_role(person: _Orang, sekolah: Sekolah, peran: str):
    def run(ctx: Konteks) -> None:
        orang = ctx.orang.get(person.ident) or person.orang
        save_with_history(PenugasanSekolah(orang=orang, sekolah=sekolah, peran=peran), ctx)

    return run
