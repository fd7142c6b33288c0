"""The invitation a facilitator sends a participant over WhatsApp, composed
from the workshop so that nothing is retyped."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lokakarya.models import Lokakarya, Moda
from program.whatsapp import wa_link


def _tanggal(lok: Lokakarya) -> str:
    if lok.tanggal_selesai and lok.tanggal_selesai != lok.tanggal_mulai:
        return _("%(mulai)s sampai %(selesai)s") % {
            "mulai": date_format(lok.tanggal_mulai, "l, j F Y"),
            "selesai": date_format(lok.tanggal_selesai, "l, j F Y"),
        }
    return date_format(lok.tanggal_mulai, "l, j F Y")


def undangan(lok: Lokakarya, nama: str) -> str:
    tempat = ""
    if lok.moda == Moda.DARING and lok.tautan:
        tempat = _(", daring melalui %(tautan)s") % {"tautan": lok.tautan}
    elif lok.tempat:
        tempat = _(", di %(tempat)s") % {"tempat": lok.tempat}
    return "\n".join(
        [
            _("Yth. %(nama)s,") % {"nama": nama},
            _("Bapak/Ibu diundang mengikuti %(lokakarya)s pada %(tanggal)s%(tempat)s.")
            % {"lokakarya": lok.nama, "tanggal": _tanggal(lok), "tempat": tempat},
            _("Terima kasih. — %(fasilitator)s") % {"fasilitator": lok.fasilitator.nama},
        ]
    )


def undangan_wa(lok: Lokakarya, orang) -> str:
    return wa_link(undangan(lok, orang.nama), orang.telepon)
