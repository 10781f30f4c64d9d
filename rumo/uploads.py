"""One home for checking uploaded files: by their content, not by their name.

Every upload form of Rumo (agenda materials, scans of signed plans, course
certificates, a PDF to verify) calls :func:`check_upload`. It refuses, with a
message that says what is wrong:

- a file over the form's size limit (the size is known before the file is read;
  a request over ``RUMO_MAX_REQUEST_BYTES`` is refused before its body is read,
  see :class:`RequestSizeLimitMiddleware`);
- a file whose content is not what its extension says (HTML saved as .pdf);
- a PDF that pyHanko cannot read, or that carries active content (JavaScript,
  launch actions, embedded files, forms that submit) — also inside compressed
  object streams and behind ``#xx`` name escapes;
- an image that Pillow cannot decode;
- an office file or ZIP archive that is not a valid archive, that unpacks to
  far more than it weighs (a ZIP bomb) or that carries macros;
- a polyglot: a PDF or image that also holds an HTML page or a script.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

MB = 1024 * 1024

# Extension → the kind of content it must hold.
KIND_OF_EXTENSION = {
    "pdf": "pdf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "docx": "ooxml",
    "xlsx": "ooxml",
    "pptx": "ooxml",
    "odt": "odf",
    "ods": "odf",
    "odp": "odf",
    "doc": "ole",
    "xls": "ole",
    "ppt": "ole",
    "rtf": "rtf",
    "txt": "text",
    "zip": "zip",
    "mp4": "video",
    "mov": "video",
}
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "ooxml": (b"PK\x03\x04",),
    "odf": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "ole": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "rtf": (b"{\\rtf",),
}
# PDF names that run something or carry something: refused wherever they occur.
ACTIVE_PDF_NAMES = (
    b"/JavaScript",
    b"/JS",
    b"/Launch",
    b"/EmbeddedFile",
    b"/EmbeddedFiles",
    b"/RichMedia",
    b"/XFA",
    b"/SubmitForm",
    b"/ImportData",
    b"/GoToE",
    b"/AA",
)
ACTIVE_PDF = re.compile(
    rb"(?:" + b"|".join(re.escape(name) for name in ACTIVE_PDF_NAMES) + rb")(?![A-Za-z0-9])"
)
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# Markup that turns a PDF or an image into a page a browser would run.
MARKUP = re.compile(rb"<\s*(?:script|html|!doctype\s+html|svg|iframe|object|embed)\b", re.I)
MAX_INFLATED_BYTES = 64 * MB  # per file, over all its streams
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_RATIO = 100  # unpacked ÷ packed
MAX_ZIP_UNPACKED = 200 * MB


@dataclass(frozen=True)
class Refused(Exception):
    code: str
    message: str


def extension_of(name: str) -> str:
    return Path(name or "").suffix.lower().lstrip(".")


def check_upload(upload, *, extensions, max_bytes: int) -> str:
    """Return the content kind of ``upload`` or raise a ValidationError saying why not.

    ``extensions`` are the accepted file name endings without the dot.
    """
    extension = extension_of(upload.name)
    allowed = sorted({e.lower() for e in extensions})
    if extension not in allowed:
        raise ValidationError(
            _("Файлы «.%(ext)s» не принимаются. Можно: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(allowed)},
            code="extension",
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("Файл больше %(limit)s (%(size)s). Уменьшите его или разделите на части.")
            % {"limit": filesizeformat(max_bytes), "size": filesizeformat(upload.size)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data:
        raise ValidationError(_("Файл пуст."), code="empty")
    kind = KIND_OF_EXTENSION[extension]
    try:
        check_content(kind, data)
    except Refused as refused:
        raise ValidationError(refused.message, code=refused.code) from None
    return kind


def check_content(kind: str, data: bytes) -> None:
    signatures = SIGNATURES.get(kind)
    if signatures and not data.startswith(signatures):
        raise Refused("content", not_what_it_says(kind))
    # A legacy Office (OLE) or RTF file is checked by its signature alone.
    CHECKS.get(kind, lambda data: None)(data)


def not_what_it_says(kind: str) -> str:
    names = {
        "pdf": "PDF",
        "jpeg": "JPEG",
        "png": "PNG",
        "ooxml": _("документ Microsoft Office"),
        "odf": _("документ OpenDocument"),
        "ole": _("документ Microsoft Office"),
        "rtf": "RTF",
        "text": _("текстовый файл"),
        "zip": _("ZIP-архив"),
        "video": _("видеофайл MP4 или MOV"),
    }
    return _(
        "Содержимое файла не соответствует его имени: это не %(kind)s "
        "(проверено содержимое, а не только расширение)."
    ) % {"kind": names[kind]}


def check_pdf(data: bytes) -> None:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        PdfFileReader(io.BytesIO(data), strict=False).root  # noqa: B018  (parses the trailer)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        raise Refused("broken", _("PDF-файл повреждён: его не удалось прочитать.")) from None
    if has_active_pdf_content(data):
        raise Refused(
            "active",
            _(
                "PDF-файл содержит активное содержимое (JavaScript, запуск программ, "
                "вложенные файлы или отправку форм). Сохраните документ заново "
                "через «Печать в PDF» и загрузите его."
            ),
        )
    refuse_markup(data)


def has_active_pdf_content(data: bytes) -> bool:
    """Active names in the file or in any of its compressed streams, escapes decoded."""
    if ACTIVE_PDF.search(unescape_names(data)):
        return True
    budget = MAX_INFLATED_BYTES
    for match in PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate (an image, a font): no object dictionaries inside
        budget -= len(inflated)
        if ACTIVE_PDF.search(unescape_names(inflated)):
            return True
        if budget <= 0:
            return True  # a stream that unpacks without end is not a document
    return False


def unescape_names(data: bytes) -> bytes:
    return PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def refuse_markup(data: bytes) -> None:
    if MARKUP.search(data):
        raise Refused(
            "markup",
            _("Файл содержит веб-страницу или сценарий внутри; такие файлы не принимаются."),
        )


def check_image(data: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Refused("broken", _("Изображение повреждено: его не удалось прочитать.")) from None
    refuse_markup(data)


def check_zip(data: bytes, *, required: tuple[str, ...] = ()) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("broken", _("Архив повреждён: его не удалось открыть.")) from None
    unpacked = sum(member.file_size for member in members)
    if (
        len(members) > MAX_ZIP_MEMBERS
        or unpacked > MAX_ZIP_UNPACKED
        or unpacked > MAX_ZIP_RATIO * max(len(data), 1)
    ):
        raise Refused(
            "zip_bomb",
            _("Архив распаковывается в слишком большой объём; загрузите файлы по отдельности."),
        )
    names = {member.filename for member in members}
    if required and not any(name in names for name in required):
        raise Refused("broken", _("Документ повреждён: его не удалось открыть."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Refused(
            "macros", _("Документ содержит макросы. Сохраните его без макросов (.docx, .xlsx).")
        )


def check_ooxml(data: bytes) -> None:
    check_zip(data, required=("[Content_Types].xml",))


def check_odf(data: bytes) -> None:
    check_zip(data, required=("mimetype",))


def check_video(data: bytes) -> None:
    # ISO base media (MP4, QuickTime): a box size, then its type, at the start.
    if data[4:8] not in (b"ftyp", b"moov", b"mdat", b"wide"):
        raise Refused("content", not_what_it_says("video"))


def check_text(data: bytes) -> None:
    if b"\x00" in data[:8192]:
        raise Refused("content", not_what_it_says("text"))


CHECKS = {
    "pdf": check_pdf,
    "jpeg": check_image,
    "png": check_image,
    "ooxml": check_ooxml,
    "odf": check_odf,
    "zip": check_zip,
    "text": check_text,
    "video": check_video,
}


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is over ``RUMO_MAX_REQUEST_BYTES``, unread.

    Forms check each file's own limit and keep what was typed; this is the
    backstop against a 200 MB upload, answered with 413 and a page in Russian.
    The proxy in front should cap the body too (README, "Production").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.RUMO_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                back = ""
            context = {"limit": filesizeformat(limit), "back": back}
            response = render(request, "413.html", context, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def discard_file(field_file) -> None:
    """Delete a stored file once the transaction that stopped using it commits.

    Called when a file is replaced, cleared or its row deleted, so an agenda
    item does not collect every version ever uploaded.
    """
    if not field_file:
        return
    name, storage = field_file.name, field_file.storage
    transaction.on_commit(lambda: storage.delete(name))
