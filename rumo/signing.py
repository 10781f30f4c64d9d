"""PAdES signatures with the association's certificate (pyHanko).

The signature proves integrity and origin (RSA, X.509); it is not a Russian
qualified electronic signature (ГОСТ Р 34.10-2012).
"""

import functools
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

logger = logging.getLogger(__name__)

FIELD_NAME = "RumoSignature"


@dataclass(frozen=True)
class Validation:
    """What a PDF's last signature says about the file."""

    signed: bool = False
    intact: bool = False
    valid: bool = False
    signer: str = ""
    signed_at: datetime | None = None


def signing_configured() -> bool:
    """Return whether a signing key and certificate are configured."""
    return bool(settings.RUMO_SIGNING_KEY_FILE and settings.RUMO_SIGNING_CERT_FILE)


def load_signer() -> signers.SimpleSigner:
    """Return a signer with the configured key and certificate, loaded once per process.

    Loading a 3072-bit key costs ~170 ms and signing ~4 ms (issue 7): the signer
    is cached by the settings that name it, so changed settings load anew.
    """
    if not signing_configured():
        raise ImproperlyConfigured("RUMO_SIGNING_KEY_FILE and RUMO_SIGNING_CERT_FILE are not set.")
    return cached_signer(
        str(settings.RUMO_SIGNING_KEY_FILE),
        str(settings.RUMO_SIGNING_CERT_FILE),
        settings.RUMO_SIGNING_KEY_PASSWORD,
    )


@functools.lru_cache(maxsize=4)
def cached_signer(key_file: str, cert_file: str, password: str) -> signers.SimpleSigner:
    try:
        key = load_private_key_from_pemder(key_file, passphrase=password.encode() or None)
        cert = load_cert_from_pemder(cert_file)
    except (OSError, ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"Cannot load the signing key or certificate: {error}"
        ) from error
    return signers.SimpleSigner(
        signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore()
    )


def sign_pdf(
    data: bytes, *, reason: str, location: str = "", field_name: str = FIELD_NAME
) -> bytes:
    """Return ``data`` with an invisible PAdES signature appended."""
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location or None,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
    )
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    return signers.sign_pdf(writer, meta, signer=load_signer()).getvalue()


def trusted_certificates() -> list[x509.Certificate]:
    """Return the certificates whose signatures count as the association's."""
    certificates = []
    names = [settings.RUMO_SIGNING_CERT_FILE, *settings.RUMO_SIGNING_TRUSTED_CERT_FILES]
    for name in filter(None, names):
        try:
            certificates.append(load_cert_from_pemder(name))
        except (OSError, ValueError, TypeError):
            # A public page must still answer; its signatures just do not validate.
            logger.error("Cannot load the trusted certificate %r", name, exc_info=True)
    return certificates


def validate_pdf(data: bytes) -> Validation:
    """Validate the last signature of a PDF offline against the trusted certificates."""
    # Uploaded files are untrusted input and a malformed PDF can fail anywhere
    # inside the parser: whatever the failure, the file is not validly signed.
    try:
        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception:
        logger.info("Cannot read a PDF", exc_info=True)
        return Validation()
    if not signatures:
        return Validation()
    context = ValidationContext(trust_roots=trusted_certificates(), allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except Exception:
        logger.info("Cannot validate a PDF signature", exc_info=True)
        return Validation(signed=True)
    return validation_from_status(status)


def validation_from_status(status: PdfSignatureStatus) -> Validation:
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return Validation(
        signed=True,
        intact=status.intact,
        valid=bool(status.bottom_line and whole_file),
        signer=common_name(status.signing_cert),
        signed_at=status.signer_reported_dt,
    )


def common_name(cert: x509.Certificate) -> str:
    subject = cert.subject.native
    return subject.get("common_name") or subject.get("organization_name") or ""
