"""Application files: the types the regulations allow, up to 10 MB, recognised by their content."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
# extension → a test of the first bytes
SIGNATURES = {
    "pdf": lambda head: head.startswith(b"%PDF-"),
    "jpg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "docx": lambda head: head.startswith(b"PK\x03\x04"),
    "pptx": lambda head: head.startswith(b"PK\x03\x04"),
    "mp4": lambda head: head[4:8] == b"ftyp",
    "mov": lambda head: head[4:8] in (b"ftyp", b"moov"),
}


def check_upload(upload, allowed: list[str]) -> str:
    """Return the file's extension, or raise a ValidationError saying what is wrong."""
    name = upload.name or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in allowed or suffix not in SIGNATURES:
        raise ValidationError(
            _("Файл «%(name)s»: такой тип не принимается. Допустимые типы: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(allowed)},
            code="wrong_type",
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("Файл «%(name)s» больше 10 МБ (%(size).1f МБ).")
            % {"name": name, "size": upload.size / 1024 / 1024},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not SIGNATURES[suffix](head):
        raise ValidationError(
            _("Файл «%(name)s»: содержимое не соответствует расширению .%(suffix)s.")
            % {"name": name, "suffix": suffix},
            code="mismatch",
        )
    return suffix
