"""'Bagikan lewat WhatsApp': a wa.me link with a prefilled message.

No API and no key: the link opens WhatsApp (app or web) with the text ready,
addressed to the person's number when it is known, otherwise to a contact the
user picks. Numbers are kept as people type them (0812…, +62 812-…, 62812…);
wa.me wants the international form without '+'.
"""

from __future__ import annotations

import re
from urllib.parse import quote


def nomor_internasional(telepon: str) -> str:
    """'0812-3456-7890' → '6281234567890'; '' when it is not a mobile number."""
    digits = re.sub(r"\D", "", telepon or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    # An Indonesian mobile number: 62 8xx, 9 to 12 digits after the 62.
    return digits if re.fullmatch(r"628\d{8,11}", digits) else ""


def wa_link(text: str, telepon: str = "") -> str:
    nomor = nomor_internasional(telepon)
    return f"https://wa.me/{nomor}?text={quote(text, safe='')}"
