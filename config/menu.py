"""The main menu: every entry and the roles that see it, in one place.

The site's navigation spans the apps, so it lives with the URLs in config/
(outside the layers: it names the apps' URLs and imports none of their code).
A role sees an entry only when the page behind it serves that role; the entry
still checks access itself, the menu only spares people links they cannot use.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from program import access
from program.models import Peran


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    # Roles (program.models.Peran, "operator" included) that see the entry;
    # None: everyone signed in.
    peran: frozenset[str] | None = None


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


# Roles that meet learning communities: the school's people, their
# facilitators and supervisors, coordinators and operators.
PERAN_KOMUNITAS = _roles(
    Peran.KEPALA_SEKOLAH,
    Peran.GURU,
    Peran.PIC_KOMUNITAS,
    Peran.OPERATOR_SEKOLAH,
    Peran.FASILITATOR,
    Peran.PENGAWAS,
    Peran.KOORDINATOR,
    Peran.OPERATOR,
)

MENU: tuple[MenuEntry, ...] = (
    MenuEntry(_("Beranda"), "beranda"),
    MenuEntry(_("Pendampingan"), "pendampingan:beranda-pp", _roles(Peran.PENGAJAR_PRAKTIK)),
    MenuEntry(_("Sesi saya"), "pendampingan:cgp-home", _roles(Peran.CGP)),
    MenuEntry(_("Kelas daring"), "pendampingan:kelas-list", _roles(Peran.FASILITATOR_PGP)),
    MenuEntry(_("Jurnal komunikasi"), "pendampingan:catatan-list", _roles(Peran.FASILITATOR_PGP)),
    MenuEntry(_("Lokakarya"), "lokakarya:list"),
    MenuEntry(
        _("PMO"),
        "pmo:home",
        _roles(
            Peran.FASILITATOR,
            Peran.KEPALA_SEKOLAH,
            Peran.KOORDINATOR,
            Peran.PENGAWAS,
            Peran.OPERATOR_SEKOLAH,
        ),
    ),
    MenuEntry(_("Komunitas"), "komunitas:home", PERAN_KOMUNITAS),
    MenuEntry(_("Dasbor"), "reports:dasbor", _roles(Peran.KOORDINATOR, Peran.OPERATOR)),
    MenuEntry(_("Ekspor"), "reports:ekspor", _roles(Peran.KOORDINATOR, Peran.OPERATOR)),
    MenuEntry(
        _("Kalender"),
        "reports:kalender",
        _roles(Peran.FASILITATOR, Peran.KOORDINATOR, Peran.OPERATOR),
    ),
    MenuEntry(_("Wilayah"), "pmo:wilayah", _roles(Peran.KOORDINATOR, Peran.OPERATOR)),
    MenuEntry(
        _("Coaching"),
        "pendampingan:coaching-home",
        _roles(Peran.FASILITATOR, Peran.KEPALA_SEKOLAH, Peran.KOORDINATOR),
    ),
    MenuEntry(_("Sekolah"), "program:sekolah-list"),
    MenuEntry(_("Impor data"), "program:impor", _roles(Peran.OPERATOR, Peran.OPERATOR_BALAI)),
    MenuEntry(_("Versi program"), "program:versi-list", _roles(Peran.OPERATOR)),
    MenuEntry(_("Templat PI"), "pendampingan:templat-list", _roles(Peran.OPERATOR)),
    MenuEntry(_("Admin data induk"), "admin:index", _roles(Peran.OPERATOR)),
)


def menu_for(peran: frozenset[str]) -> list[dict]:
    """The entries a user with these roles sees, in menu order."""
    return [
        {"label": e.label, "url": reverse(e.url_name)}
        for e in MENU
        if e.peran is None or e.peran & peran
    ]


def menu(request) -> dict:
    """Context processor: the user's roles and their menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    peran = access.roles_of(user)
    return {
        "peran_saya": peran,
        "is_operator": access.is_operator(user),
        "menu_utama": menu_for(peran),
    }
