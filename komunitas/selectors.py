"""Reads for komunitas views, built on the scopes in program.access."""

from __future__ import annotations

from komunitas.models import KomunitasBelajar
from program import access


def komunitas_for_reading(user, pk: int) -> KomunitasBelajar:
    return access.get_visible_or_404(access.komunitas_visible_to(user), pk=pk)


def komunitas_for_editing(user, pk: int) -> KomunitasBelajar:
    return access.get_visible_or_404(access.komunitas_editable_by(user), pk=pk)


def komunitas_for_members(user, pk: int) -> KomunitasBelajar:
    """Members (and editors) write good practice and meeting notes."""
    return access.get_visible_or_404(access.komunitas_member_of(user), pk=pk)


def can_edit(user, komunitas: KomunitasBelajar) -> bool:
    return access.komunitas_editable_by(user).filter(pk=komunitas.pk).exists()


def can_review(user, komunitas: KomunitasBelajar) -> bool:
    return access.komunitas_reviewed_by(user).filter(pk=komunitas.pk).exists()
