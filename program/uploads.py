"""The one upload path: validation, storage and serving.

Type is decided by content (magic bytes), never by the file name or the
browser's claim; HTML, SVG and anything scriptable is refused. Files are
stored under MEDIA_ROOT with a random name and served only through
`berkas_response`, called by a view that has already checked access.

Polyglots (a valid image with HTML, ZIP or PHP appended, a GIF that is also a
JAR) are neutralised by content: every JPEG/PNG/WebP/GIF is decoded and
re-encoded with Pillow before it is stored, so only the pixels survive —
trailing payloads, comments and metadata (EXIF GPS included) are dropped. A
PDF that carries JavaScript, launch actions or embedded files is refused.
The name the user gave is only ever shown and offered as a download name,
after `display_name` has cleaned it; it never becomes a path.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
import warnings

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
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

# Images Pillow decodes and re-encodes on upload (format name for saving).
REENCODED_IMAGES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/gif": "GIF",
}
# Extensions a download may keep for each type; anything else gets the type's own.
_EXTENSIONS = {
    "image/jpeg": {"jpg", "jpeg", "jpe"},
    "image/heic": {"heic", "heif"},
    "video/quicktime": {"mov", "qt"},
    "audio/mpeg": {"mp3"},
}
_IMAGE_EXTENSIONS = set().union(
    *(_EXTENSIONS.get(m, {e}) for m, e in ALLOWED_TYPES.items() if m.startswith("image/"))
)
# PDF names that run code or carry other files when the document is opened.
# Names may hide letters as #xx escapes (/J#61vaScript), undone before the search.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Windows device names: a download called "CON.jpg" cannot be saved there.
_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}  # fmt: skip


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
    if kind.mime == "application/pdf":
        try:
            is_active = _pdf_is_active(f)
        except _PdfTidakTerbaca:
            raise ValidationError(
                _(
                    "PDF “%(name)s” rusak, terkunci kata sandi atau tidak dapat diperiksa. "
                    "Cetak ulang dokumen ke PDF biasa, lalu unggah lagi."
                )
                % {"name": f.name},
                code="pdf_unreadable",
            ) from None
        if is_active:
            raise ValidationError(
                _(
                    "PDF “%(name)s” berisi JavaScript, tindakan otomatis atau berkas sisipan dan "
                    "tidak diizinkan. Cetak ulang dokumen ke PDF biasa, lalu unggah lagi."
                )
                % {"name": f.name},
                code="pdf_active",
            )
    return kind.mime


def _pdf_is_active(f: UploadedFile) -> bool:
    """Whether a PDF names JavaScript, a launch action or embedded files,
    in its bytes or in any of its objects (_pdf_objects_active).

    The bytes are read in overlapping chunks so a name split between two
    chunks is still seen.
    """
    f.seek(0)
    tail = b""
    try:
        for chunk in f.chunks():
            window = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), tail + chunk)
            if _PDF_ACTIVE.search(window):
                return True
            tail = chunk[-64:]
    finally:
        f.seek(0)
    try:
        return _pdf_objects_active(f)
    finally:
        f.seek(0)


# Keys of a PDF dictionary, and values of its /S (action type), that run code
# or carry other files.
_PDF_ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/RichMedia",
}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/RichMediaExecute", "/ImportData"}
# More objects than a scanned attendance sheet or a report has: not examined, refused.
_PDF_MAKS_OBJEK = 200_000


class _PdfTidakTerbaca(Exception):
    """The PDF's objects could not be read, so it cannot be judged."""


def _pdf_objects_active(f: UploadedFile) -> bool:
    """Whether any object of the PDF, those packed in (compressed) object
    streams included, is an action that runs code or carries files.
    Raises _PdfTidakTerbaca when the objects cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    def active(obj, depth: int = 0) -> bool:
        if depth > 32:  # direct objects nested this deep: nothing a real PDF has
            raise _PdfTidakTerbaca
        if isinstance(obj, DictionaryObject | StreamObject):
            if _PDF_ACTIVE_KEYS & set(obj.keys()) or obj.get("/S") in _PDF_ACTIVE_ACTIONS:
                return True
            return any(active(v, depth + 1) for v in obj.values())
        if isinstance(obj, ArrayObject):
            return any(active(v, depth + 1) for v in obj)
        return False  # an indirect reference is judged as an object of its own

    f.seek(0)
    try:
        reader = PdfReader(f, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _PdfTidakTerbaca
        numbers = {(n, g) for g, table in reader.xref.items() for n in table}
        numbers |= {(n, 0) for n in reader.xref_objStm}
        if len(numbers) > _PDF_MAKS_OBJEK:
            raise _PdfTidakTerbaca
        for num, gen in sorted(numbers):
            if num == 0:
                continue
            obj = reader.get_object(IndirectObject(num, gen, reader))
            if active(obj):
                return True
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError, OSError) as error:
        raise _PdfTidakTerbaca from error
    return False


def display_name(name: str | None, mime: str | None = None) -> str:
    """The user's file name, safe to show and to offer as a download name.

    Keeps only the last path component (of "/" or a backslash), drops control
    and bidirectional-override characters (U+202E makes "gpj.exe" read
    "exe.jpg"), leading dots and spaces, Windows device names, and ends it with
    an extension that matches the detected type: a wrong one made of letters is
    replaced ("foto.jpg.html" → "foto.jpg", "foto.php" → "foto.jpg"), anything
    else is kept in the name ("Bab 1.2" → "Bab 1.2.pdf").
    """
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in unicodedata.normalize("NFC", name)
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    name = " ".join(name.split()).lstrip(". ").rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if mime in ALLOWED_TYPES:
        allowed = _EXTENSIONS.get(mime, {ALLOWED_TYPES[mime]})
        if mime.startswith("image/"):  # a PNG called .jpg opens as a picture all the same
            allowed = allowed | _IMAGE_EXTENSIONS
        if ext.lower() not in allowed:
            if not (ext.isascii() and ext.isalpha()):
                stem = name
            ext = ALLOWED_TYPES[mime]
            if stem.lower().endswith("." + ext):  # "foto.jpg" + "html": no "foto.jpg.jpg"
                stem = stem[: -len(ext) - 1]
    stem = stem or "berkas"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    suffix = f".{ext}" if ext else ""
    return stem[: 255 - len(suffix)].rstrip(". ") + suffix


# What an image may be before anything decodes it (read from its header): a
# 13000 × 13000 PNG of 657 KB decodes to 676 MB, six 8000 × 8000 GIF frames
# to more. A phone photo is 12–50 MP; 40 MP covers what users send.
MAKS_PIKSEL = 40_000_000
# An animation: its frames together (a short GIF of a class activity fits).
MAKS_PIKSEL_ANIMASI = 60_000_000
MAKS_BINGKAI = 300


def _check_dimensions(image, name: str) -> int:
    """Refuse an image whose header promises too many pixels; its frame count."""
    width, height = image.size
    if width * height > MAKS_PIKSEL:
        raise ValidationError(
            _(
                "Gambar “%(name)s” terlalu besar: %(w)s × %(h)s piksel (maksimal %(maks)s juta "
                "piksel). Perkecil ukuran fotonya, lalu unggah lagi."
            )
            % {"name": name, "w": width, "h": height, "maks": MAKS_PIKSEL // 1_000_000},
            code="too_many_pixels",
        )
    frames = getattr(image, "n_frames", 1)
    if frames > 1 and (frames > MAKS_BINGKAI or width * height * frames > MAKS_PIKSEL_ANIMASI):
        raise ValidationError(
            _(
                "Animasi “%(name)s” terlalu panjang atau terlalu besar (%(n)s bingkai "
                "%(w)s × %(h)s piksel). Unggah satu foto, atau video MP4."
            )
            % {"name": name, "n": frames, "w": width, "h": height},
            code="too_many_frames",
        )
    return frames


def _reencoded(f: UploadedFile, mime: str) -> UploadedFile:
    """The image decoded and encoded again: only its pixels are kept. Its
    size is checked from the header first (_check_dimensions)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    fmt = REENCODED_IMAGES[mime]
    f.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns of large images as it opens them; they are judged here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(f)
        with image:
            frames = _check_dimensions(image, f.name)
            image.load()
            animated = frames > 1 and fmt in ("GIF", "PNG", "WEBP")
            # Pillow writes some of `info` back (a JPEG or GIF comment): keep only
            # what draws the picture, so text hidden in the file is not copied.
            keep = ("icc_profile", "transparency", "duration", "loop", "disposal", "background")
            options = {key: image.info[key] for key in keep if key in image.info}
            out = io.BytesIO()
            if animated:
                # Each frame has its own timing, read as the frame is reached.
                durations = []
                for index in range(frames):
                    image.seek(index)
                    image.load()  # a WebP sets a frame's duration only once it is decoded
                    durations.append(image.info.get("duration", options.get("duration", 0)))
                image.seek(0)
                options["duration"] = durations
                image.info = {}
                image.save(out, fmt, save_all=True, **options)  # animations keep their frames
            else:
                # Phones record the rotation in EXIF, which is dropped: apply it
                # first, while `info` (where a PNG or WebP keeps its EXIF) is whole.
                still = ImageOps.exif_transpose(image)
                image.info = {}
                still.info = {}
                if fmt == "JPEG":
                    options.pop("transparency", None)
                    options["quality"] = 90
                    if still.mode not in ("RGB", "L", "CMYK"):
                        still = still.convert("RGB")
                still.save(out, fmt, **options)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("Gambar “%(name)s” rusak atau tidak dapat dibaca. Simpan ulang fotonya, lalu unggah.")
            % {"name": f.name},
            code="broken_image",
        ) from None
    finally:
        f.seek(0)
    return SimpleUploadedFile(f.name or "berkas", out.getvalue(), content_type=mime)


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
    original = display_name(uploaded_file.name, mime)
    if mime in REENCODED_IMAGES:
        uploaded_file = _reencoded(uploaded_file, mime)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
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
        filename=display_name(berkas.nama_asli, berkas.mime),
        content_type=berkas.mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
