"""PAdES signing with the configured certificate, and offline validation."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO, StringIO

import pytest
from asn1crypto import tsp
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from rumo.pdf import render_pdf
from rumo.signing import cached_signer, sign_pdf, signing_configured, validate_pdf
from tests.rumo import create_certificate, use_certificate, use_sample_template


@pytest.fixture(scope="session")
def association_cert(tmp_path_factory):
    return create_certificate(tmp_path_factory.mktemp("association"))


@pytest.fixture(scope="session")
def stranger_cert(tmp_path_factory):
    return create_certificate(tmp_path_factory.mktemp("stranger"), cn="Посторонний")


@pytest.fixture
def pdf(settings, tmp_path):
    template = use_sample_template(settings, tmp_path)
    return render_pdf(template, {"title": "Протокол заседания", "number": "Р-2024-0003"})


@pytest.fixture
def signing(settings, association_cert):
    use_certificate(settings, association_cert)


def test_signed_pdf_validates_against_the_configured_certificate(signing, pdf):
    result = validate_pdf(sign_pdf(pdf, reason="Утверждение протокола", location="Чебоксары"))

    assert result.signed and result.intact and result.valid
    assert result.signer == "РУМО библиотекарей"
    assert result.signed_at is not None


def test_the_key_is_parsed_once_for_many_signatures(settings, tmp_path, pdf, monkeypatch):
    use_certificate(settings, create_certificate(tmp_path))
    cached_signer.cache_clear()
    parsed = []
    real = serialization.load_der_private_key
    monkeypatch.setattr(
        serialization,
        "load_der_private_key",
        lambda *args, **kwargs: parsed.append(1) or real(*args, **kwargs),
    )

    signed = [sign_pdf(pdf, reason=f"Документ {n}") for n in range(3)]

    # pyHanko's own signer parsed it twice per signature (the size estimate, the signature).
    assert len(parsed) == 1
    assert all(validate_pdf(data).valid for data in signed)


def test_one_changed_byte_breaks_the_signature(signing, pdf):
    signed = sign_pdf(pdf, reason="Утверждение протокола")
    position = signed.index(b"WeasyPrint")
    altered = signed[:position] + b"w" + signed[position + 1 :]

    result = validate_pdf(altered)

    assert result.signed
    assert not result.intact
    assert not result.valid


def test_bytes_appended_after_signing_are_not_valid(signing, pdf):
    signed = sign_pdf(pdf, reason="Утверждение протокола")

    assert not validate_pdf(signed + b"\n% appended\n").valid


def test_signature_of_another_certificate_is_not_trusted(settings, stranger_cert, signing, pdf):
    signed = sign_pdf(pdf, reason="Утверждение протокола")
    use_certificate(settings, stranger_cert)

    result = validate_pdf(signed)

    assert result.signed and result.intact
    assert not result.valid


def test_former_certificate_stays_trusted_when_listed(settings, stranger_cert, signing, pdf):
    signed = sign_pdf(pdf, reason="Утверждение протокола")
    settings.RUMO_SIGNING_TRUSTED_CERT_FILES = [settings.RUMO_SIGNING_CERT_FILE]
    use_certificate(settings, stranger_cert)

    assert validate_pdf(signed).valid


def test_missing_trusted_certificate_fails_validation_not_the_page(settings, signing, pdf):
    signed = sign_pdf(pdf, reason="Утверждение протокола")
    settings.RUMO_SIGNING_CERT_FILE = "/nonexistent/rumo-cert.pem"

    assert not validate_pdf(signed).valid


def test_unsigned_pdf_is_reported_unsigned(signing, pdf):
    result = validate_pdf(pdf)

    assert not result.signed
    assert not result.valid


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.7\n garbage \n%%EOF"])
def test_garbage_is_not_valid_and_does_not_raise(signing, data):
    result = validate_pdf(data)

    assert not result.valid


def test_signing_is_configured_by_settings(settings, association_cert):
    settings.RUMO_SIGNING_KEY_FILE = ""
    assert not signing_configured()

    use_certificate(settings, association_cert)
    assert signing_configured()


def test_signing_without_configuration_is_an_error(settings, pdf):
    settings.RUMO_SIGNING_KEY_FILE = settings.RUMO_SIGNING_CERT_FILE = ""

    with pytest.raises(ImproperlyConfigured):
        sign_pdf(pdf, reason="Утверждение")


def test_key_protected_by_a_password(settings, tmp_path, pdf):
    settings.RUMO_SIGNING_KEY_PASSWORD = "correct horse"
    use_certificate(settings, create_certificate(tmp_path))

    assert b"ENCRYPTED PRIVATE KEY" in (tmp_path / "key.pem").read_bytes()
    assert validate_pdf(sign_pdf(pdf, reason="Утверждение")).valid

    settings.RUMO_SIGNING_KEY_PASSWORD = "wrong"
    with pytest.raises(ImproperlyConfigured):
        sign_pdf(pdf, reason="Утверждение")


def test_create_signing_certificate_writes_into_the_signing_dir(settings, tmp_path):
    settings.RUMO_SIGNING_DIR = tmp_path / "signing"
    settings.RUMO_SIGNING_KEY_FILE = settings.RUMO_SIGNING_CERT_FILE = ""
    out = StringIO()

    call_command("create_signing_certificate", "--cn", "РУМО библиотекарей", stdout=out)

    key = tmp_path / "signing" / "rumo-key.pem"
    assert key.stat().st_mode & 0o777 == 0o600
    assert b"BEGIN CERTIFICATE" in (tmp_path / "signing" / "rumo-cert.pem").read_bytes()
    assert "Сертификат:" in out.getvalue()


def test_create_signing_certificate_keeps_existing_files_without_force(tmp_path):
    create_certificate(tmp_path)
    before = (tmp_path / "cert.pem").read_bytes()
    files = {"key": str(tmp_path / "key.pem"), "cert": str(tmp_path / "cert.pem")}

    with pytest.raises(CommandError, match="--force"):
        call_command("create_signing_certificate", **files, bits=2048, stdout=StringIO())
    assert (tmp_path / "cert.pem").read_bytes() == before

    call_command("create_signing_certificate", **files, bits=2048, force=True, stdout=StringIO())
    assert (tmp_path / "cert.pem").read_bytes() != before


@pytest.fixture
def tsa(tmp_path):
    """A local RFC 3161 time-stamping authority over HTTP (pyHanko's DummyTimeStamper)."""
    directory = create_certificate(tmp_path / "tsa", cn="Тестовая служба времени")
    stamper = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(directory / "cert.pem")),
        tsa_key=load_private_key_from_pemder(str(directory / "key.pem"), passphrase=None),
    )
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(self.headers["Content-Type"])
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/tsa", requests
    server.shutdown()
    server.server_close()
    thread.join()


def test_configured_tsa_adds_an_rfc3161_timestamp(settings, signing, pdf, tsa):
    url, requests = tsa
    settings.RUMO_TSA_URL = url

    signed = sign_pdf(pdf, reason="Утверждение протокола")
    result = validate_pdf(signed)

    assert requests and set(requests) == {"application/timestamp-query"}
    assert result.valid
    assert result.timestamped_at is not None
    signature = PdfFileReader(BytesIO(signed)).embedded_signatures[-1]
    unsigned = signature.signer_info["unsigned_attrs"].native or []
    assert "signature_time_stamp_token" in [attribute["type"] for attribute in unsigned]


def test_without_a_tsa_the_signature_has_no_timestamp(settings, signing, pdf):
    settings.RUMO_TSA_URL = ""
    signed = sign_pdf(pdf, reason="Утверждение протокола")

    assert validate_pdf(signed).timestamped_at is None
    signature = PdfFileReader(BytesIO(signed)).embedded_signatures[-1]
    assert not signature.signer_info["unsigned_attrs"].native
