"""Conflict-safe saves for rows that several people edit.

A form carries the version it was loaded at. `save_versioned` writes only if
the row still has that version (an UPDATE … WHERE version = expected, which
also serialises two concurrent writers) and bumps it; otherwise it raises
`ConflictError` with the current row, and nothing is written. Views catch it
with `conflict_response` and show both texts side by side.

A service refuses a form's data in one of two ways: a conflict, or a
`ValidationError` (from `full_clean` or its own rules). `service_error_response`
answers both the same way in every view; `add_service_errors` is its second
half, for writes that cannot conflict (creating a row).

A record edited together with its children on one page (a PI template and
its steps, a programme version and its calendar) has no single version
column: its form carries a `history_token` of the parent's and children's
histories instead, `check_history` refuses a save over a later one
(`HistoryMoved`), and `show_history_moved` tells the user on the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
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


def _current_value(obj, name: str):
    value = getattr(obj, name, "")
    if hasattr(value, "all") and callable(value.all):  # a many-to-many manager
        return list(value.all())
    return value


def _readable(field: forms.Field, value) -> str:
    """A value as the user typed or chose it: labels, Ya/Tidak, names."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):
        return ", ".join(_readable(field, v) for v in value)
    choices = getattr(field, "choices", None)
    if choices and not hasattr(value, "pk"):
        labels = {str(k): v for k, v in choices if not isinstance(v, (list, tuple))}
        if str(value) in labels:
            return str(labels[str(value)])
    return str(value)


def conflict_response(
    request,
    *,
    form: forms.BaseForm,
    error: ConflictError,
    back_url: str,
    current_values: Mapping[str, object] | None = None,
):
    """Show the user's text beside the current one; nothing has been saved.

    The saved version's values are its attributes of the form's field names,
    or `current_values` for a form whose fields are not (a journal's step
    answers, `langkah_<n>`, live in one JSON field).

    The form is re-offered with the current version, so saving again is a
    deliberate choice to overwrite, made after seeing the other change.
    """
    current = error.current
    rows = []
    for name, field in form.fields.items():
        if name == "version" or isinstance(field.widget, forms.HiddenInput):
            continue
        mine = _readable(field, form.cleaned_data.get(name, form.data.get(name, "")))
        if current_values is not None and name in current_values:
            theirs = _readable(field, current_values[name])
        else:
            theirs = _readable(field, _current_value(current, name))
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


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: errors about fields the
    form shows go on those fields, the others and plain messages on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def service_error_response(
    request, *, form: forms.BaseForm, error: ConflictError | ValidationError, back_url: str
) -> HttpResponse | None:
    """The answer to a service refusing the form's data.

    A conflict gives the conflict page (both versions, nothing saved), which
    the view returns; a ValidationError goes onto the form and gives None, and
    the view shows the form again:

        except (ConflictError, ValidationError) as error:
            if response := service_error_response(request, form=form, error=error, back_url=…):
                return response
    """
    if isinstance(error, ConflictError):
        return conflict_response(request, form=form, error=error, back_url=back_url)
    add_service_errors(form, error)
    return None


def history_token(*histories) -> str:
    """Where some histories (querysets of simple_history rows: a parent's,
    its children's) stand now, as one string a form carries."""
    latest = (qs.order_by("-history_id").values_list("history_id", flat=True) for qs in histories)
    return "-".join(str(ids.first() or 0) for ids in latest)


class HistoryMoved(Exception):
    """Someone else saved since the form was opened: `token` is where the
    histories stand now, `by` who saved last (None when unknown)."""

    def __init__(self, token: str, by):
        super().__init__(token)
        self.token = token
        self.by = by


def check_history(token: str, *histories) -> None:
    """Refuse (HistoryMoved) when the histories moved since `token`. Call it
    inside the saving transaction, after locking the parent row."""
    now = history_token(*histories)
    if token == now:
        return
    rows = (qs.order_by("-history_id").select_related("history_user").first() for qs in histories)
    saved = [row for row in rows if row is not None]
    last = max(saved, key=lambda row: row.history_date, default=None)
    raise HistoryMoved(now, getattr(last, "history_user", None))


def show_history_moved(form: forms.BaseForm, moved: HistoryMoved, *, what: str) -> None:
    """Nothing was saved: the form keeps what the user typed and now carries
    the current token (field `riwayat`), so saving again is a choice."""
    form.data = form.data.copy()
    form.data["riwayat"] = moved.token
    by = moved.by.get_username() if moved.by else _("orang lain")
    form.add_error(
        None,
        _(
            "%(what)s ini sudah diubah oleh %(by)s sejak halaman ini dibuka. "
            "Perubahan Anda belum disimpan: lihat riwayatnya, lalu simpan lagi "
            "bila perubahan Anda tetap yang benar."
        )
        % {"what": what, "by": by},
    )
