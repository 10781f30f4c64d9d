"""The member's own data as a PDF through the document pipeline (members/pdf.py)."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from rumo.models import DocumentBuild, IssuedDocument
from tests.members.conftest import CANARY, CANARY_PHONE

pytestmark = pytest.mark.django_db
URLS = ("members:my-data-pdf", "members:my-data-pdf-request", "members:my-data-pdf-file")


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)  # fmt: skip
    return result.stdout.decode()


def build(client, capture):
    with capture(execute=True):
        return client.post(reverse("members:my-data-pdf-request"))


def test_the_member_builds_and_downloads_their_data_as_pdf(
    login, natalia, chair, django_capture_on_commit_callbacks
):
    login(chair).get(reverse("members:profile", args=[natalia.pk]))  # the chair looks: logged
    client = login(natalia)

    requested = build(client, django_capture_on_commit_callbacks)
    page = client.get(reverse("members:me"))
    response = client.get(reverse("members:my-data-pdf-file"))

    assert requested.status_code == 302
    assert "Скачать мои данные (PDF)" in page.text
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert "СВЕДЕНИЯ О ПЕРСОНАЛЬНЫХ ДАННЫХ" in text
    assert "Васильева Наталья Ивановна" in text
    assert CANARY_PHONE in text and f"Грамота {CANARY}" in text
    assert "Цифровые сервисы" in text and "ЧРИО" in text
    assert "Кто просматривал мои данные" in text and chair.full_name in text
    # Kept off the public register: no number, no verification page.
    assert not IssuedDocument.objects.exists()


def test_nobody_else_reads_or_builds_a_members_data(
    login, natalia, chair, staff, client, django_capture_on_commit_callbacks
):
    build(login(natalia), django_capture_on_commit_callbacks)
    mine = DocumentBuild.objects.get(kind="members.personal_data")
    document = f"/documents/members.personal_data/{natalia.pk}/"

    for person in (chair, staff):
        other = login(person)
        # Their own URLs show their own document; the pipeline's URLs refuse hers.
        assert other.get(document).status_code == 403
        assert other.get(document + "file/").status_code == 403
        assert other.post(document + "build/").status_code == 403
    client.logout()
    assert client.get(reverse(URLS[2])).status_code == 302
    assert client.get(document + "file/").status_code == 302
    assert DocumentBuild.objects.get() == mine


def test_erasure_deletes_the_pdf_of_the_erased_data(
    login, natalia, staff, django_capture_on_commit_callbacks
):
    build(login(natalia), django_capture_on_commit_callbacks)
    stored = Path(DocumentBuild.objects.get(kind="members.personal_data").file.path)
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        login(staff).post(reverse("members:erase", args=[natalia.pk]))

    assert not DocumentBuild.objects.filter(kind="members.personal_data").exists()
    assert not stored.exists()
