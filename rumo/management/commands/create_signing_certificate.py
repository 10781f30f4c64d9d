"""Create the self-signed certificate and key that sign issued documents."""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

DEFAULT_CN = "Rumo: реестр выданных документов"


class Command(BaseCommand):
    help = "Создать самоподписанный сертификат и ключ для подписи выдаваемых документов."

    def add_arguments(self, parser):
        parser.add_argument("--cn", default=DEFAULT_CN, help="Имя владельца сертификата (CN).")
        parser.add_argument("--org", default="", help="Организация (O).")
        parser.add_argument(
            "--bits", type=int, default=3072, choices=[2048, 3072, 4096], help="Длина ключа RSA."
        )
        parser.add_argument("--days", type=int, default=3650, help="Срок действия в днях.")
        parser.add_argument("--key", help="Файл ключа (по умолчанию RUMO_SIGNING_KEY_FILE).")
        parser.add_argument(
            "--cert", help="Файл сертификата (по умолчанию RUMO_SIGNING_CERT_FILE)."
        )
        parser.add_argument("--force", action="store_true", help="Перезаписать существующие файлы.")

    def handle(self, *args, cn, org, bits, days, key, cert, force, **options):
        if days < 1:
            raise CommandError(_("Срок действия должен быть не меньше одного дня."))
        directory = Path(settings.RUMO_SIGNING_DIR)
        key_path = Path(key or settings.RUMO_SIGNING_KEY_FILE or directory / "rumo-key.pem")
        cert_path = Path(cert or settings.RUMO_SIGNING_CERT_FILE or directory / "rumo-cert.pem")
        existing = [str(p) for p in (key_path, cert_path) if p.exists()]
        if existing and not force:
            message = _(
                "Файлы уже есть: %(files)s. Добавьте --force, чтобы заменить их; документы, "
                "подписанные старым ключом, останутся действительными, только если старый "
                "сертификат указан в RUMO_SIGNING_TRUSTED_CERT_FILES."
            )
            raise CommandError(message % {"files": ", ".join(existing)})
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        certificate = build_certificate(private_key, cn=cn, org=org, days=days)
        write_private(key_path, key_pem(private_key, settings.RUMO_SIGNING_KEY_PASSWORD))
        cert_path.parent.mkdir(parents=True, exist_ok=True)
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        self.stdout.write(_("Ключ: %s") % key_path)
        self.stdout.write(_("Сертификат: %s") % cert_path)
        until = f"{certificate.not_valid_after_utc:%d.%m.%Y}"
        self.stdout.write(_("Действует до %s.") % until)


def build_certificate(private_key, *, cn: str, org: str, days: int) -> x509.Certificate:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    name = x509.Name(attributes)
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False
        )
        .sign(private_key, hashes.SHA256())
    )


def key_pem(private_key, password: str) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
