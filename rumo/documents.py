"""The register of issued documents: numbering, storing, signing and checking files."""

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import DocumentCounter, IssuedDocument
from .signing import Validation, sign_pdf, signing_configured, validate_pdf

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a code read off paper is typed back without ambiguity.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
NUMBER_PREFIX = "Р"

Build = Callable[[str, str], bytes]


def verify_url(code: str) -> str:
    """Return the absolute URL of the public page that verifies a document."""
    return settings.SITE_URL + reverse("verify", kwargs={"code": code})


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_by_content(data: bytes) -> IssuedDocument | None:
    """Return the registered document whose file is exactly ``data``."""
    return IssuedDocument.objects.issued().filter(sha256=sha256_hex(data)).order_by("pk").first()


def normalize_code(text: str) -> str:
    """Return a verification code as stored, from what a person typed or pasted."""
    text = text.strip().rstrip("/")
    if "/v/" in text:
        text = text.rsplit("/v/", 1)[1].split("/", 1)[0]
    return "".join(ch for ch in text.upper() if ch.isalnum())


def issue_document(
    *,
    kind: str,
    title: str,
    source: str,
    build: Build,
    signers: Iterable[dict],
    sign: bool,
    document_date: date | None = None,
    content_version: str = "",
    is_draft: bool = False,
) -> IssuedDocument:
    """Register, build, sign when possible, and store a document; return its row.

    ``build(register_number, verify_url)`` returns the PDF bytes, so the
    document can print its own number and QR code. The number, the code and the
    registration time (always now) are *reserved* first, in a short transaction
    under the year counter's lock; the file is built and signed outside it, so
    documents are built in parallel, and then attached (NUMBERING in
    docs/documents.md). ``document_date`` is the document's own date. When
    ``content_version`` is given and the register already holds the same source,
    kind and version, that row is used: an issued one is returned as it is (an
    unchanged document never takes a new number) and a reserved one, left by a
    build that failed, is built now under its number, so a failure leaves no gap.
    A failure leaves no file behind.
    """
    if sign and is_draft:
        raise ValueError("A draft is never signed.")
    document = reserve(
        IssuedDocument(
            kind=IssuedDocument.Kind(kind),
            title=title,
            source=source,
            signers=signer_records(signers),
            document_date=document_date,
            content_version=content_version,
            is_draft=is_draft,
            status=IssuedDocument.Status.RESERVED,
        )
    )
    if document.status == IssuedDocument.Status.ISSUED:
        return document
    data = build(document.register_number, verify_url(document.code))
    data = sign_when_configured(document, data, sign=sign)
    field = IssuedDocument._meta.get_field("file")
    stored = field.storage.save(
        field.generate_filename(document, f"{document.code}.pdf"), ContentFile(data)
    )
    try:
        return attach(document, stored, sha256_hex(data))
    except BaseException:
        field.storage.delete(stored)
        raise


def reserve(document: IssuedDocument) -> IssuedDocument:
    """Return the row of the same content if there is one, else save ``document``
    with the next number, a new code and the time now: all under the counter's lock,
    so numbers follow registration order."""
    with transaction.atomic():
        counter = lock_counter(timezone.localdate().year)
        if document.content_version and (same := registered_version(document)):
            return same
        document.register_number = take_number(counter)
        document.issued_at = timezone.now()
        document.code = new_code()
        document.save()
    return document


@transaction.atomic
def attach(document: IssuedDocument, stored: str, sha256: str) -> IssuedDocument:
    """Attach the stored file to the reserved row and mark it issued; a row another
    process issued meanwhile is returned as it is (the caller deletes its own file)."""
    row = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if row.status == IssuedDocument.Status.ISSUED:
        document.file.storage.delete(stored)
        return row
    row.file.name = stored
    row.sha256 = sha256
    row.signed = document.signed
    row.status = IssuedDocument.Status.ISSUED
    row.save(update_fields=["file", "sha256", "signed", "status"])
    # An earlier reservation of the same document whose content changed before it
    # was built will never be: its number is recorded as not used, not left open.
    IssuedDocument.objects.filter(
        source=row.source,
        kind=row.kind,
        is_draft=row.is_draft,
        status=IssuedDocument.Status.RESERVED,
        pk__lt=row.pk,
    ).update(status=IssuedDocument.Status.UNUSED)
    return row


def registered_version(document: IssuedDocument) -> IssuedDocument | None:
    """Return the issued or reserved row with the same source, kind and content, if any."""
    return (
        IssuedDocument.objects.filter(
            source=document.source,
            kind=document.kind,
            is_draft=document.is_draft,
            content_version=document.content_version,
        )
        .exclude(status=IssuedDocument.Status.UNUSED)
        .order_by("pk")
        .first()
    )


def sign_when_configured(document: IssuedDocument, data: bytes, *, sign: bool) -> bytes:
    document.signed = sign and signing_configured()
    if document.signed:
        return sign_pdf(data, reason=f"{document.get_kind_display()} {document.register_number}")
    if sign:
        logger.warning("%s issued unsigned: signing is not configured", document.register_number)
    return data


def lock_counter(year: int) -> DocumentCounter:
    """Return the counter of ``year``, locked until the caller's transaction ends."""
    DocumentCounter.objects.get_or_create(year=year)
    return DocumentCounter.objects.select_for_update().get(year=year)


def next_register_number(year: int) -> str:
    """Take the next number of ``year``; the caller's transaction holds the counter."""
    return take_number(lock_counter(year))


def take_number(counter: DocumentCounter) -> str:
    year = counter.year
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{NUMBER_PREFIX}-{year}-{counter.last:04d}"


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not IssuedDocument.objects.filter(code=code).exists():
            return code


def signer_records(signers: Iterable[dict]) -> list[dict]:
    """Return signers as JSON-ready {name, position, date} records."""
    records = []
    for signer in signers:
        signed_on = signer.get("date")
        if isinstance(signed_on, datetime):
            signed_on = timezone.localdate(signed_on)
        records.append(
            {
                "name": str(signer["name"]),
                "position": str(signer.get("position") or ""),
                "date": signed_on.isoformat() if isinstance(signed_on, date) else signed_on,
            }
        )
    return records


@dataclass(frozen=True)
class FileCheck:
    """The outcome of checking a file against the register."""

    matched: IssuedDocument | None
    expected: IssuedDocument | None
    validation: Validation

    @property
    def is_expected(self) -> bool:
        return self.matched is not None and (
            self.expected is None or self.matched.pk == self.expected.pk
        )

    @property
    def signature_ok(self) -> bool:
        return self.matched is not None and (not self.matched.signed or self.validation.valid)

    @property
    def genuine(self) -> bool:
        return self.is_expected and self.signature_ok

    @property
    def other(self) -> IssuedDocument | None:
        """Return the registered document the file is, when it is not the expected one."""
        return None if self.is_expected else self.matched


def check_file(data: bytes, *, expected: IssuedDocument | None = None) -> FileCheck:
    """Check whether ``data`` is a registered document (``expected``, if given)."""
    return FileCheck(
        matched=find_by_content(data), expected=expected, validation=validate_pdf(data)
    )
