"""Application files: the types the regulations allow, up to 10 MB, checked by rumo/uploads.py."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rumo.uploads import KIND_OF_EXTENSION, extension_of
from rumo.uploads import check_upload as check_content

MAX_BYTES = 10 * 1024 * 1024
# The types a regulation may allow for applications.
EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "pptx", "mp4", "mov")


def check_upload(upload, allowed: list[str]) -> str:
    """Return the file's extension, or raise a ValidationError naming the file and the fault."""
    accepted = [e for e in allowed if e in EXTENSIONS and e in KIND_OF_EXTENSION]
    try:
        check_content(upload, extensions=accepted, max_bytes=MAX_BYTES)
    except ValidationError as error:
        raise ValidationError(
            _("Файл «%(name)s»: %(problem)s") % {"name": upload.name, "problem": error.messages[0]},
            code=error.code,
        ) from None
    return extension_of(upload.name)
