"""Certificate files: PDF, JPEG or PNG up to 10 MB, recognised by their content."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {"pdf": {"pdf"}, "jpeg": {"jpg", "jpeg"}, "png": {"png"}}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def sniff(head: bytes) -> str | None:
    """Return the kind the file's first bytes announce, or None."""
    for kind, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return kind
    return None


def kind_of_name(name: str) -> str | None:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return next((kind for kind, suffixes in EXTENSIONS.items() if suffix in suffixes), None)


def check_certificate(upload) -> str:
    """Return the file's kind, or raise a ValidationError saying what is wrong with it."""
    if upload.size > MAX_CERTIFICATE_BYTES:
        raise ValidationError(
            _("Файл больше 10 МБ (%(size).1f МБ). Уменьшите скан или сохраните его в PDF.")
            % {"size": upload.size / 1024 / 1024},
            code="too_large",
        )
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind is None or kind != kind_of_name(upload.name):
        raise ValidationError(
            _("Это не файл PDF, JPEG или PNG (проверено содержимое файла, а не только имя)."),
            code="wrong_type",
        )
    if kind in ("jpeg", "png"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise ValidationError(_("Изображение повреждено."), code="broken") from error
        finally:
            upload.seek(0)
    return kind
