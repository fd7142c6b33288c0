"""Planning the rows of a school import."""

from __future__ import annotations

from django.utils.translation import gettext as _

from program.imports.checks import check_length, check_npsn, choice, kabupaten_label, require
from program.imports.rows import Baris, Konteks, save_with_history
from program.models import Jenjang, KabupatenKota, Sekolah, StatusSekolah


def plan_sekolah(rows, cakupan=None) -> list[Baris]:
    npsns = {r["npsn"].upper() for _, r in rows}
    existing = {
        s.npsn: s for s in Sekolah.objects.select_related("kabupaten").filter(npsn__in=npsns)
    }
    kabupaten = {
        k.kode: k
        for k in KabupatenKota.objects.filter(kode__in={r["kode_kabupaten"] for _, r in rows})
    }
    seen: dict[str, int] = {}
    out = []
    for nomor, r in rows:
        b = Baris(nomor)
        out.append(b)
        npsn, nama = r["npsn"].upper(), r["nama"]
        b.label = f"{npsn} — {nama}"
        if require(b, "npsn", npsn) and check_npsn(b, "npsn", npsn):
            if npsn in seen:
                b.error(
                    "npsn",
                    _("NPSN %(npsn)s sudah muncul di baris %(baris)s.")
                    % {"npsn": npsn, "baris": seen[npsn]},
                )
            else:
                seen[npsn] = nomor
        if require(b, "nama", nama):
            check_length(b, "nama", nama, 200)
        jenjang = choice(r["jenjang"], Jenjang.choices)
        if require(b, "jenjang", r["jenjang"]) and jenjang is None:
            b.error(
                "jenjang",
                _("Jenjang “%(v)s” tidak dikenal. Pilih: %(pilihan)s.")
                % {"v": r["jenjang"], "pilihan": ", ".join(Jenjang.values)},
            )
        status = choice(r["status"], StatusSekolah.choices)
        if require(b, "status", r["status"]) and status is None:
            b.error(
                "status",
                _("Status “%(v)s” tidak dikenal. Pilih: negeri atau swasta.") % {"v": r["status"]},
            )
        kab = kabupaten.get(r["kode_kabupaten"])
        if require(b, "kode_kabupaten", r["kode_kabupaten"]) and kab is None:
            b.error(
                "kode_kabupaten",
                _("Kode kabupaten/kota “%(kode)s” tidak dikenal.") % {"kode": r["kode_kabupaten"]},
            )
        check_length(b, "alamat", r["alamat"], 255)
        if b.galat:
            continue

        values = {"nama": nama, "jenjang": jenjang, "status": status, "kabupaten": kab}
        if r["alamat"]:
            values["alamat"] = r["alamat"]
        sekolah = existing.get(npsn)
        b.wilayah[kab.pk] = "kode_kabupaten"
        if sekolah is not None:
            b.wilayah.setdefault(sekolah.kabupaten_id, "npsn")
        if sekolah is None:
            b.baru = True
            b.langkah.append(_create_sekolah(npsn, values))
            continue
        labels = {
            "nama": _("Nama"),
            "jenjang": _("Jenjang"),
            "status": _("Status"),
            "kabupaten": _("Kabupaten/kota"),
            "alamat": _("Alamat"),
        }
        for attr, new in values.items():
            old = getattr(sekolah, attr)
            if old != new:
                if attr == "kabupaten":
                    b.change(labels[attr], kabupaten_label(old), kabupaten_label(new))
                elif attr == "status":
                    b.change(labels[attr], sekolah.get_status_display(), StatusSekolah(new).label)
                else:
                    b.change(labels[attr], old, new)
        if b.perubahan:
            b.langkah.append(_update_sekolah(sekolah, values))
    return out


def _create_sekolah(npsn: str, values: dict):
    def run(ctx: Konteks) -> None:
        save_with_history(Sekolah(npsn=npsn, **values), ctx)

    return run


def _update_sekolah(sekolah: Sekolah, values: dict):
    def run(ctx: Konteks) -> None:
        for attr, value in values.items():
            setattr(sekolah, attr, value)
        save_with_history(sekolah, ctx)

    return run
