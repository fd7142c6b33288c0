"""One person, once: finding someone who is probably the person being added.

The same teacher is typed as "Dra. Siti Aminah, M.Pd.", "siti aminah" and
"SITI AMINAH, S.Pd"; each entry used to create a new person. Names are
compared without academic titles, punctuation, case and extra spaces, and
only among people of the same school or instansi: the same name elsewhere
is usually someone else. The user is shown the match and chooses; nothing
is merged silently.
"""

from __future__ import annotations

import re
import unicodedata

from program.models import Orang

# Titles written before or after Indonesian names (gelar akademik and the
# teacher's professional "Gr."), compared without dots and case.
_GELAR = set(
    [
        "dr",
        "drs",
        "dra",
        "ir",
        "prof",
        "hj",
        "h",
        "spd",
        "spdi",
        "spdsd",
        "spdgr",
        "gr",
        "ssi",
        "skom",
        "st",
        "se",
        "sh",
        "sag",
        "sos",
        "ssos",
        "sip",
        "spsi",
        "sst",
        "ssn",
        "sterap",
        "mpd",
        "mpdi",
        "msi",
        "mkom",
        "mm",
        "mt",
        "mag",
        "ma",
        "msc",
        "phd",
        "mhum",
        "amd",
        "apd",
        "sth",
        "sthi",
    ]
)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def normalized_name(nama: str) -> str:
    """'Dra. Siti  Aminah, M.Pd.' → 'siti aminah'."""
    # Titles come after the first comma ("Nama, S.Pd., M.Pd."), which is all
    # titles, or as words of their own ("Dra. Nama", "Nama S.Pd").
    head = _plain(nama).split(",")[0]
    words = [re.sub(r"[^a-z0-9]", "", w) for w in head.split()]
    return " ".join(w for w in words if w and w not in _GELAR)


def normalized_instansi(instansi: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", _plain(instansi)).split())


def mungkin_sama(nama: str, *, instansi: str = "", sekolah=None, exclude_pk=None) -> list[Orang]:
    """People of the same school or instansi whose name matches `nama`
    once titles and punctuation are aside."""
    wanted = normalized_name(nama)
    if not wanted:
        return []
    longest = max(wanted.split(), key=len)
    inst = normalized_instansi(instansi)
    candidates = Orang.objects.filter(nama__icontains=longest)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    found = []
    for orang in candidates.prefetch_related("penugasan_sekolah__sekolah").distinct():
        if normalized_name(orang.nama) != wanted:
            continue
        schools = [p.sekolah for p in orang.penugasan_sekolah.all()]
        same_place = (
            (sekolah is not None and any(s.pk == sekolah.pk for s in schools))
            or (inst and normalized_instansi(orang.instansi) == inst)
            or (inst and any(normalized_instansi(s.nama) == inst for s in schools))
        )
        if same_place:
            found.append(orang)
    return found
