"""Conflict-safe saves for rows that several people edit.

A form carries the version it was loaded at. `save_versioned` writes only if
the row still has that version (an UPDATE … WHERE version = expected, which
also serialises two concurrent writers) and bumps it; otherwise it raises
`ConflictError` with the current row, and nothing is written. Views catch it
with `conflict_response` and show both texts side by side.
"""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.db import transaction
from django.db.models import F
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from program.models import VersionedModel

M = TypeVar("M", bound=VersionedModel)


class ConflictError(Exception):
    def __init__(self, current: VersionedModel):
        super().__init__(f"{type(current).__name__} {current.pk} changed (now v{current.version})")
        self.current = current


@transaction.atomic
def save_versioned(instance: M, *, expected_version: int) -> M:
    """Validate and save `instance` if nobody saved it since `expected_version`."""
    instance.full_clean()
    model = type(instance)
    if instance.pk is None or instance._state.adding:
        instance.version = 1
        instance.save()
        return instance
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise ConflictError(model.objects.get(pk=instance.pk))
    instance.version = expected_version + 1
    instance.save()
    return instance


class VersionedFormMixin(forms.Form):
    """Adds the hidden `version` a conflict-safe save compares against."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version


def conflict_response(request, *, form: forms.BaseForm, error: ConflictError, back_url: str):
    """Show the user's text beside the current one; nothing has been saved.

    The form is re-offered with the current version, so saving again is a
    deliberate choice to overwrite, made after seeing the other change.
    """
    current = error.current
    rows = []
    for name, field in form.fields.items():
        if name == "version" or isinstance(field.widget, forms.HiddenInput):
            continue
        mine = form.cleaned_data.get(name, form.data.get(name, ""))
        theirs = getattr(current, name, "")
        rows.append(
            {
                "label": field.label or name,
                "mine": mine,
                "theirs": theirs,
                "differs": str(mine or "") != str(theirs or ""),
            }
        )
    data = form.data.copy()
    data["version"] = str(current.version)
    retry_form = type(form)(data=data, instance=current) if hasattr(form, "instance") else None
    return render(
        request,
        "program/conflict.html",
        {
            "rows": rows,
            "form": retry_form,
            "back_url": back_url,
            "title": _("Terjadi konflik penyimpanan"),
        },
        status=409,
    )
