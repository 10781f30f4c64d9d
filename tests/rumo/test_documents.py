"""Issuing documents: register numbers, stored files, signatures and QR codes."""

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from rumo.documents import find_by_content, issue_document, normalize_code, verify_url
from rumo.models import IssuedDocument
from rumo.pdf import approval, render_pdf, signature_mark
from rumo.signing import signing_configured, validate_pdf
from tests.rumo import create_certificate, pdf_text, qr_codes, use_certificate, use_sample_template

Kind = IssuedDocument.Kind
CHAIR = {"name": "Лоскутова С.Н.", "position": "Председатель РУМО", "date": date(2024, 1, 15)}


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return create_certificate(tmp_path_factory.mktemp("signing"))


@pytest.fixture
def signing(settings, certificate):
    use_certificate(settings, certificate)


@pytest.fixture
def unsigned(settings):
    settings.RUMO_SIGNING_KEY_FILE = settings.RUMO_SIGNING_CERT_FILE = ""


@pytest.fixture
def sample(settings, tmp_path):
    return use_sample_template(settings, tmp_path)


def real_pdf(number, url):
    """Build with the sample template; the test sets TEMPLATES before calling."""
    mark = signature_mark(
        register_number=number,
        verify_url=url,
        signed=signing_configured(),
        approvals=[approval("Утверждено", CHAIR["name"], CHAIR["date"])],
    )
    context = {"title": "План работы", "number": number, "rows": [1], "mark": mark}
    return render_pdf("rumo_test/sample.html", context)


def tiny_pdf(number, url):
    return f"%PDF-1.4\n% {number} {url}\n%%EOF\n".encode()


def issue(build=tiny_pdf, **extra):
    options = {
        "kind": Kind.PLAN,
        "title": "План работы РУМО на 2024 год",
        "source": "plans.revision:42",
        "build": build,
        "signers": [CHAIR],
        "sign": False,
    } | extra
    return issue_document(**options)


def content(document):
    with document.file.open("rb") as file:
        return file.read()


def stored_files(settings):
    return sorted(p for p in (settings.MEDIA_ROOT / "documents").rglob("*") if p.is_file())


@pytest.mark.django_db
def test_stored_file_matches_its_sha256(unsigned):
    document = issue()

    data = content(document)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert data.startswith(b"%PDF-1.4")
    assert document.file.name == f"documents/{document.issued_at:%Y}/{document.code}.pdf"


def this_year() -> int:
    return timezone.localdate().year


@pytest.mark.django_db
def test_register_numbers_follow_registration_order_not_the_documents_date(unsigned):
    """An extract of 2024 minutes registered today takes this year's next number."""
    year = this_year()
    before = timezone.now()
    approved_plan = issue(document_date=date(year, 1, 25))
    old_extract = issue(document_date=date(2024, 1, 18), source="meetings.meeting:1:extract:2")

    assert [approved_plan.register_number, old_extract.register_number] == [
        f"Р-{year}-0001",
        f"Р-{year}-0002",
    ]
    assert old_extract.document_date == date(2024, 1, 18)
    assert before <= approved_plan.issued_at <= old_extract.issued_at <= timezone.now()


@pytest.mark.django_db
def test_register_numbers_start_again_each_registration_year(unsigned, monkeypatch):
    year = this_year()
    first = issue().register_number
    real_now = timezone.now
    next_january = timezone.make_aware(datetime(year + 1, 1, 9, 10))
    monkeypatch.setattr(timezone, "now", lambda: next_january)
    next_year = issue(document_date=date(year, 12, 30))
    monkeypatch.setattr(timezone, "now", real_now)

    assert (first, next_year.register_number) == (f"Р-{year}-0001", f"Р-{year + 1}-0001")
    assert next_year.issued_at == next_january
    assert issue().register_number == f"Р-{year}-0002"


@pytest.mark.django_db
def test_an_unchanged_document_takes_no_new_number(unsigned, settings):
    first = issue(content_version="v1")
    again = issue(content_version="v1")
    changed = issue(content_version="v2")
    other_source = issue(content_version="v1", source="plans.revision:43")

    assert again.pk == first.pk
    assert [first.register_number, changed.register_number, other_source.register_number] == [
        f"Р-{this_year()}-000{n}" for n in (1, 2, 3)
    ]
    assert len(stored_files(settings)) == 3


@pytest.mark.django_db
def test_build_prints_the_number_and_the_verification_url(unsigned, settings):
    document = issue()

    text = content(document).decode()
    assert f"% {document.register_number} {settings.SITE_URL}/v/{document.code}/" in text
    assert verify_url(document.code) == f"{settings.SITE_URL}/v/{document.code}/"


@pytest.mark.django_db
def test_codes_are_unambiguous_and_unique(unsigned):
    codes = {issue().code for _ in range(5)}

    assert len(codes) == 5
    assert all(len(code) == 10 and not set(code) & set("01OIL") for code in codes)


@pytest.mark.django_db
def test_signers_are_stored_as_json_and_read_back_with_dates(unsigned):
    document = IssuedDocument.objects.get(pk=issue().pk)

    assert document.signers == [{**CHAIR, "date": "2024-01-15"}]
    assert document.signer_list == [CHAIR]


@pytest.mark.django_db
def test_a_failed_build_keeps_its_reserved_number_for_the_retry(unsigned, settings):
    def broken(number, url):
        raise RuntimeError("template error")

    with pytest.raises(RuntimeError, match="template error"):
        issue(build=broken, document_date=date(2024, 2, 1), content_version="v1")

    reserved = IssuedDocument.objects.get()
    assert (reserved.status, reserved.register_number) == (
        IssuedDocument.Status.RESERVED,
        f"Р-{this_year()}-0001",
    )
    assert (reserved.file.name, reserved.sha256) == ("", "")
    assert not (settings.MEDIA_ROOT / "documents").exists()
    # Nothing is found by the reserved code: no file was ever issued under it.
    assert not IssuedDocument.objects.issued().exists()

    retried = issue(document_date=date(2024, 2, 1), content_version="v1")

    assert (retried.pk, retried.register_number, retried.code) == (
        reserved.pk,
        reserved.register_number,
        reserved.code,
    )
    assert retried.status == IssuedDocument.Status.ISSUED
    assert content(retried) == tiny_pdf(retried.register_number, verify_url(retried.code))
    assert issue(content_version="v2").register_number == f"Р-{this_year()}-0002"


@pytest.mark.django_db
def test_a_reservation_whose_content_changed_is_recorded_as_unused(unsigned):
    def broken(number, url):
        raise RuntimeError("template error")

    with pytest.raises(RuntimeError):
        issue(build=broken, content_version="v1")
    issued = issue(content_version="v2")

    rows = {row.register_number: row.status for row in IssuedDocument.objects.all()}
    assert rows == {
        f"Р-{this_year()}-0001": IssuedDocument.Status.UNUSED,
        issued.register_number: IssuedDocument.Status.ISSUED,
    }
    assert issued.register_number == f"Р-{this_year()}-0002"
    # The unused number is never handed out again, even to its own old content.
    assert issue(content_version="v1").register_number == f"Р-{this_year()}-0003"


@pytest.mark.django_db
def test_a_reserved_code_opens_no_verification_page(unsigned, client):
    def broken(number, url):
        raise RuntimeError("template error")

    with pytest.raises(RuntimeError):
        issue(build=broken, content_version="v1")
    code = IssuedDocument.objects.get().code

    assert client.get(f"/v/{code}/").status_code == 404
    lookup = client.get("/v/", {"code": code})
    assert "Документ с таким кодом не найден" in lookup.content.decode()


@pytest.mark.django_db
def test_failing_save_removes_the_stored_file(unsigned, settings):
    IssuedDocument.objects.create(
        register_number=f"Р-{this_year()}-0001",
        code="IMPORTED22",
        kind=Kind.PLAN,
        title="Импортированный документ",
        file="documents/2024/IMPORTED22.pdf",
        sha256="0" * 64,
        issued_at="2024-01-10T12:00:00+03:00",
    )

    with pytest.raises(IntegrityError):
        issue(document_date=date(2024, 2, 1))

    assert stored_files(settings) == []


@pytest.mark.django_db
def test_document_is_signed_when_signing_is_configured(signing, sample):
    document = issue(sign=True, build=real_pdf)

    assert document.signed
    assert validate_pdf(content(document)).valid


@pytest.mark.django_db
def test_without_a_certificate_the_document_is_issued_unsigned(unsigned, caplog):
    document = issue(sign=True)

    assert not document.signed
    assert f"{document.register_number} issued unsigned" in caplog.text


@pytest.mark.django_db
def test_a_draft_is_never_signed(signing):
    with pytest.raises(ValueError, match="draft"):
        issue(sign=True, is_draft=True)
    assert not IssuedDocument.objects.exists()


@pytest.mark.django_db
def test_find_by_content(unsigned):
    first, second = issue(), issue()

    assert find_by_content(content(second)) == second
    assert find_by_content(content(first)) == first
    assert find_by_content(b"%PDF-1.4 something else") is None


@pytest.mark.parametrize(
    "typed",
    ["7KQ2M9XHRD", " 7kq2m9xhrd ", "7KQ2-M9XH-RD", "https://rumo.example/v/7KQ2M9XHRD/"],
)
def test_codes_are_read_the_way_people_type_them(typed):
    assert normalize_code(typed) == "7KQ2M9XHRD"


@pytest.mark.django_db
def test_qr_code_of_an_issued_pdf_opens_its_verification_page(signing, sample, tmp_path):
    document = issue(sign=True, build=real_pdf)
    data = content(document)

    assert qr_codes(data, tmp_path) == [verify_url(document.code)]
    text = " ".join(pdf_text(data).split())
    assert f"Рег. № {document.register_number}" in text
    assert "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_consecutive_numbers(unsigned):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks need PostgreSQL")
    start = threading.Barrier(4)

    def issue_in_thread():
        try:
            start.wait()
            return issue(document_date=date(2024, 6, 1)).register_number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = sorted(pool.map(lambda _: issue_in_thread(), range(4)))

    assert numbers == [f"Р-{this_year()}-000{n}" for n in range(1, 5)]


@pytest.mark.django_db(transaction=True)
def test_documents_are_built_outside_the_registers_lock(unsigned):
    """A slow build holds no lock: another document is numbered, built and issued
    while the first is still being rendered (a contest's diplomas in parallel)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks need PostgreSQL")
    rendering = threading.Event()
    release = threading.Event()

    def slow(number, url):
        rendering.set()
        assert release.wait(30), "the other document was never issued"
        return tiny_pdf(number, url)

    def issue_slowly():
        try:
            return issue(build=slow, source="contests.diploma:1")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(issue_slowly)
        assert rendering.wait(30)
        try:
            second = issue(source="contests.diploma:2")
        finally:
            release.set()
        first = first.result(timeout=30)

    assert (first.register_number, second.register_number) == (
        f"Р-{this_year()}-0001",
        f"Р-{this_year()}-0002",
    )
    assert second.status == first.status == IssuedDocument.Status.ISSUED
    assert first.issued_at < second.issued_at
