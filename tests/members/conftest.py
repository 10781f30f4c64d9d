"""Data-bank rows for the members tests: consented profiles with canary values."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members import services
from tests import files

# A value that only Natalia, the chair of her association and staff may ever see.
CANARY = "Канарейка-7731"
CANARY_PHONE = "+7 (8352) 77-31-00"


@pytest.fixture
def natalia(member):
    """Natalia's consented profile holding the canary in her awards and her phone."""
    services.give_consent(member)
    services.update_profile(member, changes={"phone": CANARY_PHONE, "total_experience": 12,
                                             "library_experience": 7})  # fmt: skip
    services.add_award(member, title=f"Грамота {CANARY}", year=2023)
    services.add_course(member, title="Цифровые сервисы", organizer="ЧРИО", hours=36, year=2024)
    return member


def pdf_upload(name="certificate.pdf", size=None) -> SimpleUploadedFile:
    content = files.PDF
    if size:
        content += b"0" * (size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name="certificate.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def exe_upload() -> SimpleUploadedFile:
    """A Windows executable under a PDF name."""
    return SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00" + b"\x00" * 100)
