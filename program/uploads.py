"""The one upload path: validation, storage and serving.

Type is decided by content (magic bytes), never by the file name or the
browser's claim; HTML, SVG and anything scriptable is refused. Files are
stored under MEDIA_ROOT with a random name and served only through
`berkas_response`, called by a view that has already checked access.
"""

from __future__ import annotations

import hashlib
import os
import uuid

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from program.models import Berkas

# Detected MIME type → extension used for storage.
ALLOWED_TYPES: dict[str, str] = {
    # images
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/heic": "heic",
    # documents
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    # video and recordings
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "video/3gpp": "3gp",
    "video/x-matroska": "mkv",
    "audio/mpeg": "mp3",
    "audio/x-m4a": "m4a",
    "audio/m4a": "m4a",
    "audio/ogg": "ogg",
    "audio/x-wav": "wav",
    "audio/amr": "amr",
}
# Served inline (shown in the browser); everything else is an attachment.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}

_MARKUP_PREFIXES = (b"<", b"\xef\xbb\xbf<")
_HEAD_BYTES = 8192


def _read_head(f: UploadedFile) -> bytes:
    f.seek(0)
    head = f.read(_HEAD_BYTES)
    f.seek(0)
    return head


def detect_type(f: UploadedFile) -> str:
    """The MIME type of an upload as decided by its content, or raise ValidationError."""
    max_bytes = settings.UPLOAD_MAX_BYTES
    if f.size is not None and f.size > max_bytes:
        raise ValidationError(
            _("Berkas “%(name)s” terlalu besar (%(size)s). Ukuran maksimal %(max)s.")
            % {"name": f.name, "size": filesizeformat(f.size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    if not f.size:
        raise ValidationError(_("Berkas “%(name)s” kosong.") % {"name": f.name}, code="empty")
    head = _read_head(f)
    stripped = head.lstrip()
    if stripped.startswith(_MARKUP_PREFIXES) or b"<svg" in head[:1024].lower():
        raise ValidationError(
            _("Berkas “%(name)s” berisi HTML/SVG/XML dan tidak diizinkan.") % {"name": f.name},
            code="markup",
        )
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "Isi berkas “%(name)s” bukan jenis yang diizinkan. Unggah foto (JPG/PNG/WebP), "
                "PDF, dokumen Office/ODF, video (MP4/MOV/WebM) atau rekaman suara."
            )
            % {"name": f.name},
            code="type",
        )
    return kind.mime


class UploadField(forms.FileField):
    """A form field that refuses what `detect_type` refuses."""

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if f and f is not initial:
            detect_type(f)
        return f


@transaction.atomic
def berkas_create(*, actor, uploaded_file: UploadedFile) -> Berkas:
    """Validate (again: services never trust the form) and store an upload."""
    mime = detect_type(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    original = os.path.basename(uploaded_file.name or "berkas")[:255]
    berkas = Berkas(
        nama_asli=original,
        mime=mime,
        ukuran=uploaded_file.size,
        sha256=digest.hexdigest(),
        diunggah_oleh=actor,
    )
    berkas.file.save(f"{uuid.uuid4().hex}.{ALLOWED_TYPES[mime]}", uploaded_file, save=False)
    berkas.save()
    return berkas


def berkas_response(berkas: Berkas, *, download: bool = False) -> FileResponse:
    """Stream a stored file. Call only after the owning object's access check."""
    inline = not download and berkas.mime in INLINE_TYPES
    response = FileResponse(
        berkas.file.open("rb"),
        as_attachment=not inline,
        filename=berkas.nama_asli,
        content_type=berkas.mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
