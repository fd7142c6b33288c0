"""Keeping parsed rows between preview and confirm (server-side, in the session)."""

from __future__ import annotations

import secrets

from program.imports.columns import Jenis
from program.imports.preview import Pratinjau
from program.imports.reading import Tabel

SESSION_KEY = "program_impor"
MAX_PENDING = 3  # previews kept per session; older ones expire


def stash(session, *, jenis: Jenis, tabel: Tabel, pratinjau: Pratinjau) -> str:
    """Keep the parsed rows server-side under a one-time token."""
    token = secrets.token_urlsafe(24)
    pending = dict(session.get(SESSION_KEY, {}))
    pending[token] = {
        "jenis": jenis.kode,
        "baris": [[nomor, values] for nomor, values in tabel.baris],
        "nama_berkas": tabel.nama_berkas,
        "sidik": pratinjau.sidik,
    }
    # Only the newest previews stay (dicts keep insertion order).
    while len(pending) > MAX_PENDING:
        pending.pop(next(iter(pending)))
    session[SESSION_KEY] = pending
    return token


def unstash(session, *, jenis: Jenis, token: str) -> tuple[Tabel, str] | None:
    """Take (and forget) the rows of a preview; None if unknown, used or of another kind."""
    pending = dict(session.get(SESSION_KEY, {}))
    entry = pending.pop(token, None) if token else None
    session[SESSION_KEY] = pending
    if entry is None or entry["jenis"] != jenis.kode:
        return None
    tabel = Tabel(
        baris=[(int(nomor), dict(values)) for nomor, values in entry["baris"]],
        nama_berkas=entry.get("nama_berkas", ""),
    )
    return tabel, entry["sidik"]
