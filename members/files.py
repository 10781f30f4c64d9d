"""Certificate files: PDF, JPEG or PNG up to 10 MB, recognised by their content."""

from rumo.uploads import KIND_OF_EXTENSION, check_upload, extension_of

MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024
EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def check_certificate(upload) -> str:
    """Return the file's kind (pdf, jpeg, png), or raise a ValidationError saying why not."""
    return check_upload(upload, extensions=EXTENSIONS, max_bytes=MAX_CERTIFICATE_BYTES)


def kind_of_name(name: str) -> str:
    """The kind a stored certificate was accepted as, from its (checked) extension."""
    return KIND_OF_EXTENSION.get(extension_of(name), "pdf")
