"""Texts the PP sends the CGP outside the product (WhatsApp), composed from
the session so that nothing is retyped."""

from __future__ import annotations

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from pendampingan.models import Moda, SesiPI
from program.whatsapp import wa_link


def undangan_sesi(sesi: SesiPI) -> str:
    """The invitation to a scheduled session: CGP, PI, date, time, place or link."""
    parts = [
        _("Yth. %(cgp)s,") % {"cgp": sesi.penugasan.cgp.nama},
        _("pendampingan individu PI %(n)s dijadwalkan %(hari)s")
        % {"n": sesi.urutan, "hari": date_format(sesi.tanggal, "l, j F Y")},
    ]
    if sesi.jam_mulai:
        parts[-1] += " " + _("pukul %(jam)s") % {"jam": time_format(sesi.jam_mulai, "H.i")}
    if sesi.moda == Moda.LURING and sesi.tempat:
        parts[-1] += ", " + _("tatap muka di %(tempat)s") % {"tempat": sesi.tempat}
    elif sesi.moda == Moda.DARING and sesi.tautan:
        parts[-1] += ", " + _("daring melalui %(tautan)s") % {"tautan": sesi.tautan}
    parts[-1] += "."
    if sesi.tema:
        parts.append(_("Tema: %(tema)s.") % {"tema": sesi.tema})
    parts.append(_("Terima kasih. — %(pp)s, Pengajar Praktik") % {"pp": sesi.penugasan.pp.nama})
    return "\n".join(parts)


def undangan_sesi_wa(sesi: SesiPI) -> str:
    return wa_link(undangan_sesi(sesi), sesi.penugasan.cgp.telepon)


def salin_lms(sesi: SesiPI, jurnal, rtl) -> list[dict]:
    """'Salin ke LMS': the submitted journal field by field as plain text, so
    the PP pastes each into the LMS form instead of typing it again; the last
    item is the whole journal as one block."""
    items = []
    for step in sesi.templat.get("langkah", []):
        jawaban = str(jurnal.jawaban.get(str(step["urutan"]), "")).strip()
        if jawaban:
            items.append({"label": step["judul"], "text": jawaban})
    for label, text in (
        (_("Yang sudah baik"), jurnal.sudah_baik),
        (_("Yang perlu ditingkatkan"), jurnal.perlu_ditingkatkan),
        (_("Catatan lain"), jurnal.catatan),
    ):
        if text.strip():
            items.append({"label": label, "text": text.strip()})
    rencana = []
    for item in rtl:
        detail = "; ".join(x for x in (item.target, item.waktu) if x)
        rencana.append(f"- {item.kegiatan}" + (f" ({detail})" if detail else ""))
    if rencana:
        items.append({"label": _("Rencana tindak lanjut"), "text": "\n".join(rencana)})
    if items:
        whole = "\n\n".join(f"{i['label']}:\n{i['text']}" for i in items)
        heading = _("Jurnal PI %(n)s — %(cgp)s") % {
            "n": sesi.urutan,
            "cgp": sesi.penugasan.cgp.nama,
        }
        items.append({"label": _("Seluruh jurnal"), "text": f"{heading}\n\n{whole}", "semua": True})
    return items
