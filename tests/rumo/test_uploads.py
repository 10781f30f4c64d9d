"""Uploads are checked by their content (rumo/uploads.py), through every form that takes files."""

import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import AgendaItem
from rumo.uploads import check_upload
from tests import files
from tests.meetings import planned

MB = 1024 * 1024
HTMX = {"HTTP_HX_REQUEST": "true"}
DOCUMENTS = ("pdf", "docx", "png", "jpg", "zip", "txt")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refusal(name: str, data: bytes, *, extensions=DOCUMENTS, max_bytes=20 * MB) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data), extensions=extensions, max_bytes=max_bytes)
    return caught.value.code


def object_stream_with(names: bytes) -> bytes:
    """A PDF whose extra dictionary hides inside a Flate-compressed object stream."""
    packed = zlib.compress(b"5 0 << /S " + names + b" (app.alert(1)) >>")
    stream = (
        b"/Foo 5 0 R >> endobj\n6 0 obj << /Type /ObjStm /Filter /FlateDecode /Length %d >>"
        % (len(packed))
    )
    return files.pdf(stream + b"\nstream\n" + packed + b"\nendstream\nendobj 7 0 obj <<")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.pdf", files.PDF),
        ("photo.png", files.PNG),
        ("photo.jpg", files.JPEG),
        ("report.docx", files.docx()),
        ("materials.zip", files.zipped({"a.txt": b"hello"})),
        ("notes.txt", "Повестка заседания".encode()),
    ],
)
def test_real_files_are_accepted(name, data):
    assert check_upload(upload(name, data), extensions=DOCUMENTS, max_bytes=20 * MB)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("page.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "content"),
        ("page.png", b"<html><script>alert(1)</script></html>", "content"),
        ("virus.exe", b"MZ\x90\x00", "extension"),
        ("plan.pdf", b"%PDF-1.4\n%%EOF\n", "broken"),
        ("plan.pdf", files.pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "active"),
        # The same action spelled with name escapes (#61 is "a").
        (
            "plan.pdf",
            files.pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
            "active",
        ),
        ("plan.pdf", files.pdf(b"/Names << /EmbeddedFiles 9 0 R >>"), "active"),
        ("plan.pdf", object_stream_with(b"/JavaScript /JS"), "active"),
        ("plan.pdf", files.PDF + b"<html><script>alert(1)</script></html>", "markup"),
        ("photo.png", files.PNG + b"<script>alert(1)</script>", "markup"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken"),
        ("report.docx", b"PK\x03\x04 not really an archive", "broken"),
        ("report.docx", files.docx({"word/vbaProject.bin": b"macro"}), "macros"),
        ("bomb.zip", files.zipped({"zeros.bin": b"\x00" * (30 * MB)}), "zip_bomb"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_files_that_are_not_what_they_say_or_carry_active_content_are_refused(name, data, code):
    assert refusal(name, data) == code


def test_the_size_is_checked_before_the_content_is_read():
    assert refusal("plan.pdf", files.PDF + b"0" * MB, max_bytes=MB) == "too_large"


def test_a_refused_agenda_file_keeps_what_was_typed_and_saves_nothing(login, chair, library):
    meeting = planned(library, agenda=())
    html_as_pdf = upload("materials.pdf", b"<html><script>alert(1)</script></html>")

    response = login(chair).post(
        reverse("meetings:agenda-add", args=[meeting.pk]),
        {"title": "Отчёт о работе за год", "document": html_as_pdf},
        **HTMX,
    )

    text = response.content.decode()
    assert "Содержимое файла не соответствует его имени" in text
    assert "Отчёт о работе за год" in text
    assert not AgendaItem.objects.exists()


def test_replacing_or_deleting_an_agenda_file_removes_the_old_one(
    login, chair, library, django_capture_on_commit_callbacks
):
    meeting = planned(library, agenda=())
    client = login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        first_upload = upload("first.pdf", files.PDF)
        client.post(reverse("meetings:agenda-add", args=[meeting.pk]),
                    {"title": "План", "document": first_upload}, **HTMX)  # fmt: skip
    item = AgendaItem.objects.get()
    first = item.document
    assert first.storage.exists(first.name)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:agenda-edit", args=[item.pk]),
                    {"title": "План", "document": upload("second.pdf", files.pdf(text="v2"))},
                    **HTMX)  # fmt: skip
    item.refresh_from_db()
    assert not first.storage.exists(first.name)
    assert item.document.storage.exists(item.document.name)

    second = item.document
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:agenda-delete", args=[item.pk]), **HTMX)
    assert not AgendaItem.objects.exists()
    assert not second.storage.exists(second.name)


def test_a_request_over_the_limit_is_refused_unread_with_a_russian_page(login, chair, library):
    meeting = planned(library, agenda=())
    client = login(chair)
    url = reverse("meetings:agenda-add", args=[meeting.pk])

    response = client.post(url, {"title": "Архив"}, CONTENT_LENGTH=str(200 * MB),
                           HTTP_REFERER=f"http://testserver{url}")  # fmt: skip

    assert response.status_code == 413
    text = response.content.decode()
    assert "Файл слишком большой" in text
    assert "до 21,0\xa0МБ" in text
    assert url in text
    assert not AgendaItem.objects.exists()
