"""Checks and labels the planners share."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from program.imports.rows import Baris
from program.models import KabupatenKota, Sekolah

NIP_RE = re.compile(r"^[0-9]{18}$")
NUPTK_RE = re.compile(r"^[0-9]{16}$")
NPSN_RE = re.compile(r"^[0-9A-Z]{8}$")
ANGKATAN_RE = re.compile(r"^([A-Za-z]+)[\s\-_]*([0-9]+)$")


def check_length(b: Baris, kolom: str, value: str, max_length: int) -> None:
    if len(value) > max_length:
        b.error(
            kolom,
            _("Kolom %(kolom)s terlalu panjang (maksimal %(n)s karakter).")
            % {"kolom": kolom, "n": max_length},
        )


def require(b: Baris, kolom: str, value: str) -> bool:
    if not value:
        b.error(kolom, _("Kolom %(kolom)s wajib diisi.") % {"kolom": kolom})
        return False
    return True


def check_npsn(b: Baris, kolom: str, npsn: str) -> bool:
    if not NPSN_RE.match(npsn):
        b.error(kolom, _("NPSN “%(npsn)s” tidak valid: harus 8 angka/huruf.") % {"npsn": npsn})
        return False
    return True


def number_hint(value: str) -> str:
    if "E+" in value.upper():
        return " " + _(
            "Angka panjang tersimpan sebagai angka dan kehilangan digit; "
            "format kolom sebagai Teks lalu ketik ulang."
        )
    return ""


def sekolah_label(s: Sekolah) -> str:
    return f"{s.nama} ({s.npsn})"


def kabupaten_label(k: KabupatenKota | None) -> str:
    return f"{k.nama} ({k.kode})" if k else ""


def choice(value: str, choices) -> str | None:
    """A choice value from its code or its label, case-insensitively."""
    needle = value.strip().lower().replace(" ", "_")
    for code, label in choices:
        if needle in (str(code).lower(), str(label).lower().replace(" ", "_")):
            return code
    return None
