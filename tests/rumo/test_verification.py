"""The public verification pages and the verify_pdf command, as anyone uses them."""

from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from rumo.documents import issue_document
from rumo.forms import MAX_UPLOAD_BYTES
from rumo.models import IssuedDocument
from rumo.pdf import render_pdf
from tests.rumo import create_certificate, use_certificate, use_sample_template

pytestmark = pytest.mark.django_db

CHAIR = {"name": "Лоскутова С.Н.", "position": "Председатель РУМО", "date": date(2024, 1, 15)}


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return create_certificate(tmp_path_factory.mktemp("signing"))


@pytest.fixture
def signed(settings, tmp_path, certificate):
    """A signed plan, as the plans app would issue it."""
    use_certificate(settings, certificate)
    template = use_sample_template(settings, tmp_path)

    def build(number, url):
        return render_pdf(template, {"title": "План работы", "number": number, "rows": [1, 2]})

    return issue_document(
        kind=IssuedDocument.Kind.PLAN,
        title="План работы РУМО на 2024 год",
        source="plans.revision:1",
        build=build,
        signers=[CHAIR],
        sign=True,
    )


@pytest.fixture
def minutes(settings):
    settings.RUMO_SIGNING_KEY_FILE = settings.RUMO_SIGNING_CERT_FILE = ""
    return issue_document(
        kind=IssuedDocument.Kind.MINUTES,
        title="Протокол заседания № 1",
        source="meetings.minutes:1",
        build=lambda number, url: f"%PDF-1.4\n% {number}\n%%EOF\n".encode(),
        signers=[],
        sign=False,
    )


def content(document):
    with document.file.open("rb") as file:
        return file.read()


def upload(data, name="document.pdf"):
    return {"file": SimpleUploadedFile(name, data, content_type="application/pdf")}


def check(client, document, data, name="document.pdf"):
    return client.post(reverse("verify", args=[document.code]), upload(data, name))


def test_anyone_sees_what_was_signed_by_whom_and_when(client, signed):
    response = client.get(reverse("verify", args=[signed.code]))

    assert response.status_code == 200
    page = response.content.decode()
    for expected in [
        "План работы РУМО на 2024 год",
        "План работы",
        signed.register_number,
        signed.sha256,
        "Лоскутова С.Н.",
        "15.01.2024",
        "Подписан электронной подписью",
        reverse("verify-file", args=[signed.code]),
        "не квалифицированная электронная подпись (КЭП)",
        "ГОСТ Р 34.10-2012",
    ]:
        assert expected in page


def test_unsigned_document_says_it_carries_no_signature(client, minutes):
    response = client.get(reverse("verify", args=[minutes.code]))

    assert "Без электронной подписи" in response.content.decode()


def test_genuine_upload_is_confirmed(client, signed):
    response = check(client, signed, content(signed))

    page = response.content.decode()
    assert "Документ подлинный" in page
    assert "Электронная подпись действительна" in page


def test_altered_upload_is_a_mismatch(client, signed):
    data = content(signed)
    position = data.index(b"WeasyPrint")
    altered = data[:position] + b"w" + data[position + 1 :]

    page = check(client, signed, altered).content.decode()

    assert "Документ подлинный" not in page
    assert "Файл не совпадает с зарегистрированным документом" in page
    assert "Файл изменён после подписания" in page


def test_upload_of_another_registered_document_names_it(client, signed, minutes):
    page = check(client, signed, content(minutes)).content.decode()

    assert "Файл не совпадает с зарегистрированным документом" in page
    assert f"№ {minutes.register_number} «Протокол заседания № 1»" in page


def test_unsigned_document_is_genuine_when_the_bytes_match(client, minutes):
    page = check(client, minutes, content(minutes)).content.decode()

    assert "Документ подлинный" in page


def test_signature_not_trusted_any_more_is_not_genuine(client, settings, tmp_path, signed):
    use_certificate(settings, create_certificate(tmp_path / "new"))

    page = check(client, signed, content(signed)).content.decode()

    assert "Документ подлинный" not in page
    assert "не подтверждается сертификатом портала" in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "Файл пуст."),
        (b"PK\x03\x04 a zip, not a pdf", "Это не PDF-файл."),
        (b"%PDF-1.7\n" + b"0" * MAX_UPLOAD_BYTES, "Файл больше 20 МБ"),
    ],
)
def test_bad_upload_gives_a_form_error(client, minutes, data, error):
    response = check(client, minutes, data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert "Документ подлинный" not in response.content.decode()


def test_post_without_a_file_asks_for_one(client, minutes):
    response = client.post(reverse("verify", args=[minutes.code]), {})

    assert "Выберите PDF-файл." in response.content.decode()


def test_unknown_code_is_not_found(client):
    response = client.get(reverse("verify", args=["NOSUCHCODE"]))

    assert response.status_code == 404
    assert "Документ не найден" in response.content.decode()


@pytest.mark.parametrize("name", ["verify", "verify-file"])
def test_unknown_code_is_a_russian_page_even_in_development(client, settings, name):
    """With DEBUG on, Django's English technical 404 must not reach whoever mistyped a code."""
    settings.DEBUG = True

    response = client.get(reverse(name, args=["NOSUCH<i>x"]))

    page = response.content.decode()
    assert response.status_code == 404
    assert "rumo/verify_not_found.html" in [t.name for t in response.templates]
    assert '<html lang="ru">' in page
    assert "Документ не найден" in page
    assert "NOSUCH&lt;i&gt;x" in page  # the code as typed, escaped
    assert "<i>x" not in page
    assert "Page not found" not in page
    assert 'action="/v/"' in page  # the lookup form, to try again


def test_code_typed_in_lowercase_opens_the_document(client, minutes):
    response = client.get(reverse("verify", args=[minutes.code.lower()]))

    assert response.status_code == 200
    assert minutes.register_number in response.content.decode()


def test_registered_file_downloads_as_an_attachment(client, signed):
    response = client.get(reverse("verify-file", args=[signed.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == content(signed)


def test_lookup_by_code_opens_the_document(client, minutes):
    response = client.get(reverse("verify-lookup"), {"code": f" {minutes.code.lower()} "})

    assert response.status_code == 302
    assert response.url == reverse("verify", args=[minutes.code])


def test_lookup_by_unknown_code_explains(client, minutes):
    response = client.get(reverse("verify-lookup"), {"code": "ZZZZZZZZZZ"})

    assert response.status_code == 200
    assert "Документ с таким кодом не найден" in response.content.decode()


def test_lookup_by_file_finds_the_document(client, signed):
    response = client.post(reverse("verify-lookup"), upload(content(signed)))

    page = response.content.decode()
    assert "Документ подлинный" in page
    assert signed.get_absolute_url() in page


def test_lookup_by_unknown_file_says_it_is_not_registered(client, minutes):
    response = client.post(reverse("verify-lookup"), upload(b"%PDF-1.4\n% other\n%%EOF\n"))

    assert "Файла нет в реестре выданных документов" in response.content.decode()


def test_verify_pdf_confirms_a_genuine_document(tmp_path, signed):
    path = tmp_path / "plan.pdf"
    path.write_bytes(content(signed))
    out = StringIO()

    call_command("verify_pdf", str(path), stdout=out)

    report = out.getvalue()
    assert f"Регистрационный номер: {signed.register_number}" in report
    assert "Название: План работы РУМО на 2024 год" in report
    assert "Подписал: Лоскутова С.Н., Председатель РУМО, 15.01.2024" in report
    assert "Электронная подпись: действительна (PAdES, РУМО библиотекарей" in report
    assert "Документ подлинный." in report


def test_verify_pdf_rejects_an_altered_file_with_exit_code_1(tmp_path, signed):
    path = tmp_path / "plan.pdf"
    path.write_bytes(content(signed) + b"\n")
    out = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("verify_pdf", str(path), stdout=out)

    assert failure.value.returncode == 1
    assert "Файла нет в реестре выданных документов портала." in out.getvalue()
    assert "Документ подлинный." not in out.getvalue()


def test_verify_pdf_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Не удалось прочитать файл") as failure:
        call_command("verify_pdf", str(tmp_path / "missing.pdf"), stdout=StringIO())

    assert failure.value.returncode == 1


def updated_after_signing(data: bytes) -> bytes:
    """Return ``data`` with an incremental update appended, as a PDF editor saves it."""
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


DAMAGED = [
    pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
    pytest.param(lambda data: b"%PDF-1.7\n" + bytes(range(256)) * 8, id="garbage"),
    pytest.param(lambda data: data.replace(b"/ByteRange", b"/ByteRanXe", 1), id="signature"),
]


def test_verify_pdf_says_the_file_was_changed_after_signing(tmp_path, signed):
    path = tmp_path / "plan.pdf"
    path.write_bytes(updated_after_signing(content(signed)))
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("verify_pdf", str(path), stdout=out)

    assert "Электронная подпись: нарушена: файл изменён после подписания" in out.getvalue()


@pytest.mark.parametrize("damage", DAMAGED)
def test_verify_pdf_says_a_damaged_file_is_damaged(tmp_path, signed, damage):
    path = tmp_path / "plan.pdf"
    path.write_bytes(damage(content(signed)))
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("verify_pdf", str(path), stdout=out)

    assert "Электронная подпись: файл повреждён" in out.getvalue()
    assert "Электронная подпись: нет" not in out.getvalue()


def test_page_says_the_file_was_changed_after_signing(client, signed):
    response = check(client, signed, updated_after_signing(content(signed)))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Документ подлинный" not in page
    assert "Файл изменён после подписания" in page


@pytest.mark.parametrize("damage", DAMAGED)
def test_page_says_a_damaged_file_is_damaged(client, signed, damage):
    for url in [reverse("verify", args=[signed.code]), reverse("verify-lookup")]:
        response = client.post(url, upload(damage(content(signed))))

        assert response.status_code == 200
        assert "Файл повреждён" in response.content.decode()
