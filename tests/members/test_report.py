"""The staff characteristics report: numbers from the database, charts, XLSX."""

import io
import subprocess
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members.importing import apply_import
from members.models import AccessLog, Course
from members.reports import cached_characteristics, staff_characteristics
from rumo.models import DocumentBuild, IssuedDocument
from tests import factories

pytestmark = pytest.mark.django_db
ON = date(2025, 2, 1)


def librarian(library, college, **fields):
    member = factories.MemberFactory(organization=college, **fields)
    factories.MembershipFactory(member=member, association=library)
    return member


@pytest.fixture
def colleges(library):
    """Two colleges: ЧЭТК with three librarians, КПК with one; a curator who is not counted."""
    chetk = factories.OrganizationFactory(name="ЧЭТК")
    kpk = factories.OrganizationFactory(name="КПК")
    a = librarian(library, chetk, education="higher", has_library_education=True,
                  category="highest", total_experience=25, library_experience=20)  # fmt: skip
    librarian(library, chetk, education="higher", category="first", total_experience=5,
              library_experience=2)  # fmt: skip
    librarian(library, chetk, education="vocational", total_experience=None)
    b = librarian(library, kpk, education="higher", has_library_education=True,
                  total_experience=12, library_experience=12)  # fmt: skip
    Course.objects.create(member=a, title="Курс", hours=72, year=2023)  # within 3 years of 2025
    Course.objects.create(member=a, title="Ещё курс", hours=16, year=2024)
    Course.objects.create(member=b, title="Старый курс", hours=36, year=2020)
    curator = factories.MemberFactory(organization=kpk)
    factories.MembershipFactory(member=curator, association=library, role="curator")
    return chetk, kpk


def buckets(row, key) -> dict:
    return {b.key: (b.count, b.percent) for b in row.by_dimension[key]}


def test_counts_and_shares_per_college_and_in_total(library, colleges):
    report = staff_characteristics(library, on=ON)

    assert report.total.headcount == 4
    assert [(r.name, r.headcount) for r in report.colleges] == [("КПК", 1), ("ЧЭТК", 3)]
    assert buckets(report.total, "education") == {
        "higher": (3, 75.0), "vocational": (1, 25.0), "secondary": (0, 0.0), "unknown": (0, 0.0),
    }  # fmt: skip
    assert buckets(report.total, "library_education") == {"yes": (2, 50.0), "no": (2, 50.0)}
    assert buckets(report.total, "category")["highest"] == (1, 25.0)
    assert buckets(report.total, "total_experience") == {
        "lt3": (0, 0.0), "3to10": (1, 25.0), "10to20": (1, 25.0), "20plus": (1, 25.0),
        "unknown": (1, 25.0),
    }  # fmt: skip
    # The member with two recent courses counts once; a 2020 course is too old.
    assert buckets(report.total, "courses") == {"yes": (1, 25.0), "no": (3, 75.0)}
    chetk = report.colleges[1]
    assert buckets(chetk, "courses") == {"yes": (1, 33.3), "no": (2, 66.7)}


def test_the_report_is_two_queries_whatever_the_number_of_members(library, colleges):
    with CaptureQueriesContext(connection) as few:
        staff_characteristics(library, on=ON)
    for _ in range(30):
        librarian(library, colleges[0], education="higher", total_experience=3)

    with CaptureQueriesContext(connection) as many:
        report = staff_characteristics(library, on=ON)

    assert len(few) == len(many) == 2
    assert report.total.headcount == 34


def test_the_page_draws_accessible_charts_and_tables(login, chair, library, colleges):
    response = login(chair).get(reverse("members:report", args=[library.slug]))

    assert response.status_code == 200
    text = response.text
    assert text.count('role="img"') == 6
    # Five librarians: the chair herself counts too.
    assert "<desc" in text and "высшее: 3 (60 %)" in text
    assert "<caption" in text and "ЧЭТК" in text
    assert "60 %" in text


def test_the_report_downloads_as_xlsx(login, staff, library, colleges):
    response = login(staff).get(reverse("members:report-xlsx", args=[library.slug]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    assert rows[0][0] == "Характеристика кадров: РУМО по библиотечному направлению"
    education = rows.index(("Образование",) + (None,) * (len(rows[2]) - 1))
    assert rows[education + 1][:4] == ("Организация", "Всего", "высшее", "%")
    assert rows[education + 4][:4] == ("Всего по объединению", 4, 3, 75)


def test_an_association_without_members_says_what_to_do(login, staff):
    empty = factories.AssociationFactory(slug="empty")

    response = login(staff).get(reverse("members:report", args=[empty.slug]))

    assert "В объединении пока нет участников" in response.text


def test_the_cached_report_follows_every_change_of_its_data(
    login, chair, library, colleges, django_capture_on_commit_callbacks
):
    """The report is counted once per content generation (rumo/page_cache.py): a saved
    member, a course and an import's bulk writes (which send no signals) each show at once."""
    client = login(chair)
    url = reverse("members:report", args=[library.slug])
    with CaptureQueriesContext(connection) as cold:
        assert "участников: 5" in client.get(url).text
    with CaptureQueriesContext(connection) as warm:
        assert "участников: 5" in client.get(url).text
    counting = [q for q in cold.captured_queries if "COUNT(" in q["sql"]]
    assert len(counting) == 2  # the two grouped queries, once
    assert not [q for q in warm.captured_queries if "COUNT(" in q["sql"]]

    newcomer = librarian(library, colleges[1], education="higher")
    assert "участников: 6" in client.get(url).text

    def trained() -> int:
        today = timezone.localdate()
        return cached_characteristics(library, on=today).total.by_dimension["courses"][0].count

    before = trained()
    Course.objects.create(member=newcomer, title="Новый курс", hours=16,
                          year=timezone.localdate().year)  # fmt: skip
    assert trained() == before + 1

    csv = "Фамилия;Имя;Отчество;Организация;Должность\nНовикова;Дарья;Петровна;КПК;библиотекарь\n"
    with django_capture_on_commit_callbacks(execute=True):
        apply_import(csv.encode("utf-8"), "list.csv", association=library)
    assert "участников: 7" in client.get(url).text


# The report as a PDF through the document pipeline (members/pdf.py).


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)  # fmt: skip
    return result.stdout.decode()


def request_pdf(client, association, capture):
    with capture(execute=True):
        return client.post(reverse("members:report-pdf-request", args=[association.slug]))


def test_the_report_builds_as_a_registered_pdf_with_tables_and_charts(
    login, chair, library, colleges, django_capture_on_commit_callbacks
):
    client = login(chair)

    requested = request_pdf(client, library, django_capture_on_commit_callbacks)
    page = client.get(reverse("members:report", args=[library.slug]))
    response = client.get(reverse("members:report-pdf-file", args=[library.slug]))

    assert requested.status_code == 302
    assert 'data-testid="doc-report-' in page.text
    assert "Скачать отчёт (PDF)" in page.text
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert "ХАРАКТЕРИСТИКА КАДРОВ" in text
    assert library.name in text
    assert "участников: 5" in text  # the chair counts too
    for heading in ("1. Образование", "2. Библиотечное образование",
                    "3. Квалификационная категория", "4. Общий стаж", "5. Библиотечный стаж",
                    "6. Курсы повышения квалификации"):  # fmt: skip
        assert heading in text
    assert "ЧЭТК 3" in text and "КПК 1" in text
    assert "Всего по объединению 5" in text
    assert "высшее: 3" not in text  # the chart's text alternative stays out of the text
    assert "высшее" in text and "3 · 60 %" in text  # the bar's label and value
    assert "Р-" in text  # the register number in the mark
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT_REPORT_PDF).count() == 1


def pdf_fonts(data: bytes) -> set[str]:
    """The names of the fonts a PDF embeds (pdffonts), without the subset prefix."""
    result = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    lines = result.stdout.decode().splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines if line.strip()}


def test_the_charts_in_the_pdf_use_the_documents_font_not_a_fallback(
    login, chair, library, colleges, django_capture_on_commit_callbacks
):
    client = login(chair)
    request_pdf(client, library, django_capture_on_commit_callbacks)

    response = client.get(reverse("members:report-pdf-file", args=[library.slug]))

    # The chart labels (SVG text) used to fall back to DejaVu Sans.
    assert pdf_fonts(b"".join(response.streaming_content)) == {"Rumo-Serif", "Rumo-Serif-Bold"}


def test_an_unchanged_report_is_not_registered_twice(
    login, chair, library, colleges, django_capture_on_commit_callbacks
):
    client = login(chair)
    request_pdf(client, library, django_capture_on_commit_callbacks)
    request_pdf(client, library, django_capture_on_commit_callbacks)
    assert IssuedDocument.objects.filter(kind=IssuedDocument.Kind.REPORT).count() == 1

    librarian(library, colleges[1], education="higher")
    request_pdf(client, library, django_capture_on_commit_callbacks)
    assert IssuedDocument.objects.filter(kind=IssuedDocument.Kind.REPORT).count() == 2


def test_only_those_who_may_open_the_report_read_its_pdf(
    login, member, other_chair, library, colleges, client, django_capture_on_commit_callbacks
):
    urls = [reverse(f"members:{name}", args=[library.slug])
            for name in ("report-pdf", "report-pdf-file")]  # fmt: skip
    build = reverse("members:report-pdf-request", args=[library.slug])

    for person in (member, other_chair):
        assert [login(person).get(url).status_code for url in urls] == [403, 403]
        assert login(person).post(build).status_code == 403
    client.logout()
    assert client.get(urls[0]).status_code == 302
    assert client.get(reverse("members:report-pdf", args=["no-such"])).status_code == 404
    assert not DocumentBuild.objects.exists()
