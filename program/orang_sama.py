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

from django.db.models.functions import Lower

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


def _same_place(orang: Orang, schools: dict[int, str], *, sekolah, inst: str) -> bool:
    """Whether a person is at the school, or of the instansi (which may be
    written as the name of one of their schools). `schools`: id → name."""
    if sekolah is not None and sekolah.pk in schools:
        return True
    return bool(inst) and (
        normalized_instansi(orang.instansi) == inst
        or any(normalized_instansi(nama) == inst for nama in schools.values())
    )


def mungkin_sama(nama: str, *, instansi: str = "", sekolah=None) -> list[Orang]:
    """People of the same school or instansi whose name matches `nama`
    once titles and punctuation are aside."""
    wanted = normalized_name(nama)
    if not wanted:
        return []
    longest = max(wanted.split(), key=len)
    inst = normalized_instansi(instansi)
    candidates = Orang.objects.filter(nama__icontains=longest).prefetch_related(
        "penugasan_sekolah__sekolah"
    )
    return [
        orang
        for orang in candidates
        if normalized_name(orang.nama) == wanted
        and _same_place(
            orang,
            {p.sekolah_id: p.sekolah.nama for p in orang.penugasan_sekolah.all()},
            sekolah=sekolah,
            inst=inst,
        )
    ]


class Pencari:
    """mungkin_sama for many names at once (an import): the people of the
    given schools and instansi are read in two queries, then every name is
    looked up in memory, by the same rule."""

    def __init__(self, *, sekolah=(), instansi=()):
        from program.models import PenugasanSekolah

        self._by_name: dict[str, list[tuple[Orang, dict[int, str]]]] = {}
        schools_of: dict[int, dict[int, str]] = {}
        for orang_id, sekolah_id, nama in PenugasanSekolah.objects.filter(
            sekolah__in=list(sekolah)
        ).values_list("orang_id", "sekolah_id", "sekolah__nama"):
            schools_of.setdefault(orang_id, {})[sekolah_id] = nama
        lowered = {i.strip().lower() for i in instansi if i and i.strip()}
        people = Orang.objects.filter(pk__in=list(schools_of)) | Orang.objects.annotate(
            instansi_lower=Lower("instansi")
        ).filter(instansi_lower__in=lowered)
        for orang in people.distinct():
            entry = (orang, schools_of.get(orang.pk, {}))
            self._by_name.setdefault(normalized_name(orang.nama), []).append(entry)

    def cari(self, nama: str, *, instansi: str = "", sekolah=None) -> list[Orang]:
        inst = normalized_instansi(instansi)
        return [
            orang
            for orang, schools in self._by_name.get(normalized_name(nama), [])
            if _same_place(orang, schools, sekolah=sekolah, inst=inst)
        ]
