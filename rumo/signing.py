"""PAdES signatures with the association's certificate (pyHanko).

The signature proves integrity and origin (RSA, X.509); it is not a Russian
qualified electronic signature (ГОСТ Р 34.10-2012).
"""

import asyncio
import functools
import logging
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

from asn1crypto import tsp, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash, process_pss_params

logger = logging.getLogger(__name__)

FIELD_NAME = "RumoSignature"

# What a check of the signature found, as a person reads it.
REASONS = {
    "damaged": _("файл повреждён: его не удаётся прочитать как PDF"),
    "unsigned": _("нет"),
    "modified": _("нарушена: файл изменён после подписания"),
    "untrusted": _("не подтверждается сертификатом портала"),
    "valid": _("действительна"),
}


@dataclass(frozen=True)
class Validation:
    """What a PDF's last signature says about the file."""

    signed: bool = False
    intact: bool = False
    valid: bool = False
    signer: str = ""
    signed_at: datetime | None = None
    # The file cannot be read as a PDF (or its signature cannot be parsed).
    damaged: bool = False
    # The signed bytes are intact but something was added after them.
    modified: bool = False
    timestamped_at: datetime | None = None

    @property
    def reason(self) -> str:
        """Return why the signature is (not) valid: one of the REASONS keys."""
        if self.damaged:
            return "damaged"
        if not self.signed:
            return "unsigned"
        if not self.intact or self.modified:
            return "modified"
        return "valid" if self.valid else "untrusted"

    @property
    def reason_text(self) -> str:
        return str(REASONS[self.reason])


def signing_configured() -> bool:
    """Return whether a signing key and certificate are configured."""
    return bool(settings.RUMO_SIGNING_KEY_FILE and settings.RUMO_SIGNING_CERT_FILE)


def load_signer() -> "KeptKeySigner":
    """Return a signer with the configured key and certificate, loaded once per process.

    Loading a 3072-bit key costs ~100–170 ms and signing ~4 ms (issue 7): the
    signer is cached by the settings that name it, so changed settings load anew,
    and it parses its key once (KeptKeySigner).
    """
    if not signing_configured():
        raise ImproperlyConfigured("RUMO_SIGNING_KEY_FILE and RUMO_SIGNING_CERT_FILE are not set.")
    return cached_signer(
        str(settings.RUMO_SIGNING_KEY_FILE),
        str(settings.RUMO_SIGNING_CERT_FILE),
        settings.RUMO_SIGNING_KEY_PASSWORD,
    )


@functools.lru_cache(maxsize=4)
def cached_signer(key_file: str, cert_file: str, password: str) -> "KeptKeySigner":
    try:
        key = load_private_key_from_pemder(key_file, passphrase=password.encode() or None)
        cert = load_cert_from_pemder(cert_file)
    except (OSError, ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"Cannot load the signing key or certificate: {error}"
        ) from error
    return KeptKeySigner(signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore())


class KeptKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner with its RSA key parsed once, not at every signature.

    SimpleSigner.sign_raw turns the key's DER into a ``cryptography`` key on every
    call, and a PDF signature calls it twice (the size estimate, then the
    signature): ~100 ms each for a 3072-bit RSA key, which ``cryptography``
    checks on every load, against ~4 ms for signing itself. Other keys and
    mechanisms take pyHanko's own path.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.private_key = serialization.load_der_private_key(
            self.signing_key.dump(), password=None
        )
        self._reserved: int | None = None

    def reserved_bytes(self) -> int:
        """Return the room a signature without a timestamp takes in the PDF, measured once.

        pyHanko measures it before every signature with a whole dry-run signature
        (~10 ms); without a timestamp token the container's size is the same each
        time (same certificate, same attributes, the key's fixed signature length).
        The margin is pyHanko's own: +50 %, hex-encoded.
        """
        if self._reserved is None:
            dry_run = self.async_sign(
                hashes.Hash(hashes.SHA256()).finalize(),
                "sha256",
                dry_run=True,
                use_pades=True,
                signed_attr_settings=PdfCMSSignedAttributes(signing_time=datetime.now(UTC)),
            )
            length = len(asyncio.run(dry_run).dump()) * 2
            self._reserved = length + 2 * (length // 4)
        return self._reserved

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if not isinstance(self.private_key, RSAPrivateKey):
            return super().sign_raw(data, digest_algorithm)
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        if algorithm == "rsassa_pkcs1v15":
            return self.private_key.sign(
                data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
            )
        if algorithm == "rsassa_pss":
            padding, hash_algorithm = process_pss_params(mechanism["parameters"])
            return self.private_key.sign(data, padding, hash_algorithm)
        return super().sign_raw(data, digest_algorithm)


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
    signer, stamper = load_signer(), timestamper()
    # A timestamp token's size varies: pyHanko measures that case itself.
    reserved = signer.reserved_bytes() if stamper is None else None
    return signers.sign_pdf(
        writer, meta, signer=signer, timestamper=stamper, bytes_reserved=reserved
    ).getvalue()


@dataclass(frozen=True)
class CertificateInfo:
    """What the mark of an electronic signature says about the certificate (ГОСТ Р 7.0.97)."""

    owner: str
    serial: str
    valid_from: datetime
    valid_to: datetime


def certificate_info() -> CertificateInfo | None:
    """Return the configured signing certificate's owner, serial number and validity."""
    if not signing_configured():
        return None
    try:
        cert = load_cert_from_pemder(settings.RUMO_SIGNING_CERT_FILE)
    except (OSError, ValueError, TypeError):
        logger.error("Cannot load the signing certificate", exc_info=True)
        return None
    validity = cert["tbs_certificate"]["validity"]
    return CertificateInfo(
        owner=common_name(cert),
        serial=format(cert.serial_number, "X"),
        valid_from=validity["not_before"].native,
        valid_to=validity["not_after"].native,
    )


class UrlTimeStamper(TimeStamper):
    """An RFC 3161 client over HTTP with the standard library (pyHanko's needs requests)."""

    def __init__(self, url: str, timeout: float = 10):
        super().__init__()
        self.url = url
        self.timeout = timeout

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        return await asyncio.to_thread(self.post, req.dump())

    def post(self, body: bytes) -> tsp.TimeStampResp:
        request = urllib.request.Request(self.url, data=body, headers=set_tsp_headers({}))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.headers.get("Content-Type") != "application/timestamp-reply":
                    raise TimestampRequestError("The TSA did not answer with a timestamp reply")
                return tsp.TimeStampResp.load(response.read())
        except OSError as error:
            raise TimestampRequestError(f"The TSA at {self.url} failed: {error}") from error


def timestamper() -> TimeStamper | None:
    """Return the configured time-stamping authority's client (PAdES B-T), or None."""
    return UrlTimeStamper(settings.RUMO_TSA_URL) if settings.RUMO_TSA_URL else None


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
        reader = PdfFileReader(BytesIO(data), strict=False)
        reader.root  # noqa: B018 -- a file without a readable catalogue is damaged
        signatures = reader.embedded_signatures
    except Exception:
        logger.info("Cannot read a PDF", exc_info=True)
        return Validation(damaged=True)
    if not signatures:
        return Validation()
    context = ValidationContext(trust_roots=trusted_certificates(), allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except Exception:
        logger.info("Cannot validate a PDF signature", exc_info=True)
        return Validation(signed=True, damaged=True)
    return validation_from_status(status)


def validation_from_status(status: PdfSignatureStatus) -> Validation:
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # A timestamp authority is trusted by whoever configured it, not by the
    # register: its token dates the signature, the certificate proves it.
    timestamp = getattr(status, "timestamp_validity", None)
    return Validation(
        signed=True,
        intact=status.intact,
        valid=bool(status.intact and status.valid and status.trusted and whole_file),
        signer=common_name(status.signing_cert),
        signed_at=timestamp.timestamp if timestamp else status.signer_reported_dt,
        modified=status.intact and not whole_file,
        timestamped_at=timestamp.timestamp if timestamp else None,
    )


def common_name(cert: x509.Certificate) -> str:
    subject = cert.subject.native
    return subject.get("common_name") or subject.get("organization_name") or ""
