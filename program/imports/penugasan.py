"""Planning the rows of an assignment import (PP, fasilitator PSP, Fasilitator
PGP of an online class, koordinator of a kabupaten/kota or a Balai, operator
of a Balai)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from program.imports.checks import (
    ANGKATAN_RE,
    NIP_RE,
    NUPTK_RE,
    check_npsn,
    kabupaten_label,
    require,
    sekolah_label,
)
from program.imports.rows import Baris, Konteks, save_with_history
from program.models import (
    Angkatan,
    Balai,
    KabupatenKota,
    KelasDaring,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Peran,
    PeranWilayah,
    Sekolah,
)

TIPE_PENUGASAN = {
    "pp": "pp",
    "pengajar_praktik": "pp",
    "fasilitator": "fasilitator",
    "pelatih_ahli": "fasilitator",
    "fsp": "fasilitator",
    "fasilitator_psp": "fasilitator",
    "fasilitator_pgp": "fasilitator_pgp",
    "koordinator": "koordinator",
    "operator_balai": "operator_balai",
}
KOLOM_TIPE = {
    "pp": {"cgp", "npsn", "angkatan"},
    "fasilitator": {"npsn"},
    "fasilitator_pgp": {"cgp", "angkatan", "kelas"},
    "koordinator": {"kode_kabupaten", "kode_balai"},
    "operator_balai": {"kode_balai"},
}
# Columns of which a type takes exactly one (instead of all).
SALAH_SATU = {"koordinator": ("kode_kabupaten", "kode_balai")}


def _person_key_kind(value: str) -> str:
    if NIP_RE.match(value):
        return "nip"
    if NUPTK_RE.match(value):
        return "nuptk"
    return "username"


def plan_penugasan(rows, cakupan=None) -> list[Baris]:
    keys = {r[c] for _, r in rows for c in ("orang", "cgp") if r[c]}
    by_key: dict[tuple[str, str], list[Orang]] = {}
    nips = {k for k in keys if _person_key_kind(k) == "nip"}
    nuptks = {k for k in keys if _person_key_kind(k) == "nuptk"}
    usernames = keys - nips - nuptks
    for o in Orang.objects.filter(nip__in=nips):
        by_key.setdefault(("nip", o.nip), []).append(o)
    for o in Orang.objects.filter(nuptk__in=nuptks):
        by_key.setdefault(("nuptk", o.nuptk), []).append(o)
    for o in Orang.objects.select_related("user").filter(user__username__in=usernames):
        by_key.setdefault(("username", o.user.username), []).append(o)
    sekolah = {
        s.npsn: s for s in Sekolah.objects.filter(npsn__in={r["npsn"].upper() for _, r in rows})
    }
    kabupaten = {
        k.kode: k
        for k in KabupatenKota.objects.filter(kode__in={r["kode_kabupaten"] for _, r in rows})
    }
    kode_balai = {r.get("kode_balai", "").strip().lower() for _, r in rows} - {""}
    balai = {b.kode: b for b in Balai.objects.filter(kode__in=kode_balai)} if kode_balai else {}
    angkatan = {
        (a.program.kode.upper(), a.nomor): a for a in Angkatan.objects.select_related("program")
    }

    parsed = []
    for nomor, r in rows:
        b = Baris(nomor)
        b.label = " · ".join(
            x
            for x in (
                r["tipe"],
                r["orang"],
                r["cgp"],
                r["npsn"],
                r["angkatan"],
                r.get("kelas", ""),
                r["kode_kabupaten"],
                r.get("kode_balai", ""),
            )
            if x
        )
        tipe = TIPE_PENUGASAN.get(r["tipe"].strip().lower().replace(" ", "_"))
        if require(b, "tipe", r["tipe"]) and tipe is None:
            b.error(
                "tipe",
                _(
                    "Tipe penugasan “%(v)s” tidak dikenal. Pilih: pp, fasilitator, "
                    "fasilitator_pgp, koordinator, operator_balai."
                )
                % {"v": r["tipe"]},
            )
        if tipe is not None:
            salah_satu = SALAH_SATU.get(tipe, ())
            for kolom in ("cgp", "npsn", "angkatan", "kelas", "kode_kabupaten", "kode_balai"):
                if r.get(kolom) and kolom not in KOLOM_TIPE[tipe]:
                    b.error(
                        kolom,
                        _("Kolom %(kolom)s tidak dipakai untuk tipe %(tipe)s; kosongkan.")
                        % {"kolom": kolom, "tipe": tipe},
                    )
                elif not r.get(kolom) and kolom in KOLOM_TIPE[tipe] and kolom not in salah_satu:
                    b.error(
                        kolom,
                        _("Kolom %(kolom)s wajib diisi untuk tipe %(tipe)s.")
                        % {"kolom": kolom, "tipe": tipe},
                    )
            if salah_satu and sum(1 for k in salah_satu if r.get(k)) != 1:
                b.error(
                    salah_satu[0],
                    _("Isi salah satu dari kolom %(kolom)s untuk tipe %(tipe)s, tidak keduanya.")
                    % {"kolom": " atau ".join(salah_satu), "tipe": tipe},
                )

        def person(kolom: str, b=b, r=r) -> Orang | None:
            value = r[kolom]
            if not value:
                return None
            kind = _person_key_kind(value)
            found = by_key.get((kind, value), [])
            if not found:
                b.error(
                    kolom,
                    _("Orang dengan %(kunci)s “%(v)s” tidak ditemukan. Impor orangnya dulu.")
                    % {"kunci": kind.upper() if kind != "username" else "username", "v": value},
                )
                return None
            if len(found) > 1:
                b.error(
                    kolom,
                    _("%(kunci)s %(v)s dimiliki lebih dari satu orang di basis data.")
                    % {"kunci": kind.upper(), "v": value},
                )
                return None
            return found[0]

        orang = person("orang") if require(b, "orang", r["orang"]) else None
        cgp = person("cgp")
        s = None
        npsn = r["npsn"].upper()
        if npsn and check_npsn(b, "npsn", npsn):
            s = sekolah.get(npsn)
            if s is None:
                b.error("npsn", _("Sekolah dengan NPSN %(npsn)s tidak ditemukan.") % {"npsn": npsn})
        kab = None
        if r["kode_kabupaten"]:
            kab = kabupaten.get(r["kode_kabupaten"])
            if kab is None:
                b.error(
                    "kode_kabupaten",
                    _("Kode kabupaten/kota “%(kode)s” tidak dikenal.")
                    % {"kode": r["kode_kabupaten"]},
                )
        bal = None
        if r.get("kode_balai"):
            bal = balai.get(r["kode_balai"].strip().lower())
            if bal is None:
                b.error(
                    "kode_balai",
                    _("Kode balai “%(kode)s” tidak dikenal.") % {"kode": r["kode_balai"]},
                )
        ang = None
        if r["angkatan"]:
            m = ANGKATAN_RE.match(r["angkatan"].strip())
            ang = angkatan.get((m.group(1).upper(), int(m.group(2)))) if m else None
            if ang is None:
                b.error(
                    "angkatan",
                    _("Angkatan “%(v)s” tidak dikenal. Tulis kode program dan nomor, mis. PGP 11.")
                    % {"v": r["angkatan"]},
                )
        if tipe == "pp" and orang is not None and cgp is not None and orang.pk == cgp.pk:
            b.error("cgp", _("PP dan CGP tidak boleh orang yang sama."))
        if tipe == "fasilitator_pgp" and orang is not None and cgp is not None and orang == cgp:
            b.error("cgp", _("Fasilitator PGP dan CGP tidak boleh orang yang sama."))
        nama_kelas = " ".join(r.get("kelas", "").split())
        if len(nama_kelas) > KelasDaring._meta.get_field("nama").max_length:
            b.error("kelas", _("Nama kelas terlalu panjang (paling banyak 100 karakter)."))
        parsed.append((b, tipe, orang, cgp, s, kab or bal, ang, nama_kelas))

    valid = [p for p in parsed if not p[0].galat]
    cgp_pks = {p[3].pk for p in valid if p[1] == "pp"}
    orang_pks = {p[2].pk for p in valid}
    existing_pp = {
        (p.angkatan_id, p.cgp_id): p
        for p in PenugasanPP.objects.select_related("pp", "sekolah").filter(cgp__in=cgp_pks)
    }
    existing_fas = set(
        PenugasanSekolah.objects.filter(orang__in=orang_pks, peran=Peran.FASILITATOR).values_list(
            "orang_id", "sekolah_id"
        )
    )
    existing_wil = {
        (p.orang_id, p.kabupaten_id, p.balai_id): p
        for p in PenugasanWilayah.objects.filter(orang__in=orang_pks)
    }
    kelas_cgp = {p[3].pk for p in valid if p[1] == "fasilitator_pgp"}
    pasangan_kelas = {
        (p.angkatan_id, p.cgp_id): p
        for p in PenugasanPP.objects.select_related("kelas__fasilitator").filter(cgp__in=kelas_cgp)
    }
    kelas_ada = {
        (k.angkatan_id, k.nama.casefold()): k
        for k in KelasDaring.objects.select_related("fasilitator").filter(
            angkatan__in={p[6].pk for p in valid if p[1] == "fasilitator_pgp"}
        )
    }
    # A class named in several rows: one facilitator, the first row's.
    kelas_baris: dict[tuple[int, str], tuple[int, Orang]] = {}

    seen: dict[tuple, int] = {}
    for b, tipe, orang, cgp, s, kab, ang, nama_kelas in parsed:
        if b.galat:
            continue
        if tipe == "pp":
            key = ("pp", ang.pk, cgp.pk)
            b.label = _("PP %(pp)s → CGP %(cgp)s (%(angkatan)s)") % {
                "pp": orang.nama,
                "cgp": cgp.nama,
                "angkatan": ang,
            }
            dup = _("CGP ini sudah ditugaskan di baris %(baris)s untuk angkatan yang sama.")
        elif tipe == "fasilitator_pgp":
            key = ("fasilitator_pgp", ang.pk, cgp.pk)
            b.label = _("Fasilitator PGP %(orang)s → %(kelas)s: CGP %(cgp)s (%(angkatan)s)") % {
                "orang": orang.nama,
                "kelas": nama_kelas,
                "cgp": cgp.nama,
                "angkatan": ang,
            }
            dup = _(
                "CGP ini sudah dimasukkan ke kelas di baris %(baris)s untuk angkatan yang sama."
            )
        elif tipe == "fasilitator":
            key = ("fasilitator", orang.pk, s.pk)
            b.label = _("Fasilitator %(orang)s → %(sekolah)s") % {
                "orang": orang.nama,
                "sekolah": sekolah_label(s),
            }
            dup = _("Penugasan yang sama sudah ada di baris %(baris)s.")
        elif isinstance(kab, Balai):
            # A person holds one assignment per Balai, as coordinator or operator.
            key = ("balai", orang.pk, kab.pk)
            b.label = (
                _("Operator %(orang)s → %(balai)s")
                if tipe == "operator_balai"
                else _("Koordinator %(orang)s → %(balai)s")
            ) % {"orang": orang.nama, "balai": kab.nama}
            dup = _("Orang ini sudah ditugaskan ke balai yang sama di baris %(baris)s.")
        else:
            key = ("koordinator", orang.pk, kab.pk)
            b.label = _("Koordinator %(orang)s → %(kab)s") % {
                "orang": orang.nama,
                "kab": kabupaten_label(kab),
            }
            dup = _("Penugasan yang sama sudah ada di baris %(baris)s.")
        if key in seen:
            b.error("cgp" if tipe == "pp" else "orang", dup % {"baris": seen[key]})
            continue
        seen[key] = b.nomor

        if tipe == "pp":
            b.wilayah[s.kabupaten_id] = "npsn"
            current = existing_pp.get((ang.pk, cgp.pk))
            if current is not None:
                b.wilayah.setdefault(current.sekolah.kabupaten_id, "cgp")
            if current is None:
                b.baru = True
                b.langkah.append(_save_new(PenugasanPP, angkatan=ang, pp=orang, cgp=cgp, sekolah=s))
            else:
                if current.pp_id != orang.pk:
                    b.change(_("Pengajar Praktik"), current.pp.nama, orang.nama)
                if current.sekolah_id != s.pk:
                    b.change(_("Sekolah CGP"), sekolah_label(current.sekolah), sekolah_label(s))
                if b.perubahan:
                    b.langkah.append(_update_pp(current, orang, s))
        elif tipe == "fasilitator_pgp":
            # Online classes are the LMS's, kept for the whole programme.
            b.hanya_pusat = ("kelas", _("Kelas daring diatur oleh operator pusat."))
            _plan_kelas(b, nama_kelas, orang, cgp, ang, pasangan_kelas, kelas_ada, kelas_baris)
        elif tipe == "fasilitator":
            b.wilayah[s.kabupaten_id] = "npsn"
            if (orang.pk, s.pk) not in existing_fas:
                b.baru = True
                b.langkah.append(
                    _save_new(PenugasanSekolah, orang=orang, sekolah=s, peran=Peran.FASILITATOR)
                )
        elif isinstance(kab, Balai):
            b.balai[kab.pk] = "kode_balai"
            _plan_balai(b, orang, kab, tipe, existing_wil.get((orang.pk, None, kab.pk)))
        else:
            b.wilayah[kab.pk] = "kode_kabupaten"
            if (orang.pk, kab.pk, None) not in existing_wil:
                b.baru = True
                b.langkah.append(_save_new(PenugasanWilayah, orang=orang, kabupaten=kab))
    return [p[0] for p in parsed]


def _plan_balai(b: Baris, orang: Orang, balai: Balai, tipe: str, current) -> None:
    """A coordinator or an operator of a Balai; importing the other role for
    the same person and Balai changes it (shown in the preview)."""
    peran = PeranWilayah.OPERATOR if tipe == "operator_balai" else PeranWilayah.KOORDINATOR
    if current is None:
        b.baru = True
        b.langkah.append(_save_new(PenugasanWilayah, orang=orang, balai=balai, peran=peran))
        return
    if current.peran == peran:
        return
    b.change(_("Sebagai"), current.get_peran_display(), PeranWilayah(peran).label)

    def run(ctx: Konteks) -> None:
        current.peran = peran
        save_with_history(current, ctx)

    b.langkah.append(run)


def _plan_kelas(b: Baris, nama, fasilitator, cgp, ang, pasangan, kelas_ada, kelas_baris) -> None:
    """Put a CGP into an online class of their cohort (created if new), whose
    Fasilitator PGP the row names; the preview shows what changes."""
    penugasan = pasangan.get((ang.pk, cgp.pk))
    if penugasan is None:
        b.error(
            "cgp",
            _(
                "CGP ini belum punya Pengajar Praktik di %(angkatan)s. Impor penugasan PP-nya "
                "dulu (tipe pp), lalu kelasnya."
            )
            % {"angkatan": ang},
        )
        return
    key = (ang.pk, nama.casefold())
    nomor, pertama = kelas_baris.setdefault(key, (b.nomor, fasilitator))
    if pertama.pk != fasilitator.pk:
        b.error(
            "orang",
            _(
                "%(kelas)s sudah diberi Fasilitator PGP lain di baris %(baris)s (%(nama)s). "
                "Satu kelas, satu fasilitator."
            )
            % {"kelas": nama, "baris": nomor, "nama": pertama.nama},
        )
        return
    kelas = kelas_ada.get(key)
    if kelas is None:
        b.baru = True
    elif kelas.fasilitator_id != fasilitator.pk and nomor == b.nomor:
        b.change(
            _("Fasilitator PGP %(kelas)s") % {"kelas": kelas.nama},
            kelas.fasilitator.nama,
            fasilitator.nama,
        )
    if kelas is None or penugasan.kelas_id != kelas.pk:
        b.change(_("Kelas daring"), penugasan.kelas.nama if penugasan.kelas_id else "", nama)

    def run(ctx: Konteks) -> None:
        found = KelasDaring.objects.filter(angkatan=ang, nama__iexact=nama).first()
        if found is None:
            found = KelasDaring(angkatan=ang, nama=nama, fasilitator=fasilitator)
            save_with_history(found, ctx)
        elif found.fasilitator_id != fasilitator.pk:
            found.fasilitator = fasilitator
            save_with_history(found, ctx)
        if penugasan.kelas_id != found.pk:
            penugasan.kelas = found
            save_with_history(penugasan, ctx)

    if b.baru or b.perubahan:
        b.langkah.append(run)


def _save_new(model, **values):
    def run(ctx: Konteks) -> None:
        save_with_history(model(**values), ctx)

    return run


def _update_pp(penugasan: PenugasanPP, pp: Orang, sekolah: Sekolah):
    def run(ctx: Konteks) -> None:
        penugasan.pp, penugasan.sekolah = pp, sekolah
        save_with_history(penugasan, ctx)

    return run
