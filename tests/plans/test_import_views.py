"""Import from Word through the pages: upload or paste, preview, create the draft; export."""

import io
import zipfile
from dataclasses import asdict
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from plans import services
from plans.docx_import import read_docx
from plans.models import Item, Plan, Revision
from plans.services.importing import spec_of
from tests import files
from tests.plans import docx_fixtures as fx
from tests.plans.test_import_reading import RENUMBERED, docx_of

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMPORT = "plans:import"


def upload(data: bytes, name: str = "План.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=DOCX)


def send(client, member, association, **fields):
    client.force_login(member.user)
    return client.post(reverse(IMPORT), {"association": association.pk, **fields})


def preview_of(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def create_draft(client, preview_url: str, form: dict) -> Revision:
    response = client.post(preview_url, {**form, "create": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Revision.objects.get(plan__pk=Plan.objects.latest("pk").pk)


def form_of(response) -> dict:
    form = response.context["form"]
    return {
        name: ("" if value is None else value)
        for name, value in ((f.name, f.value()) for f in form)
        if value is not None
    }


# Who may import


def test_the_chair_sees_the_import_page_a_member_and_a_visitor_do_not(client, chair, member):
    client.force_login(chair.user)
    assert client.get(reverse(IMPORT)).status_code == 200
    client.force_login(member.user)
    assert client.get(reverse(IMPORT)).status_code == 403
    client.logout()
    assert client.get(reverse(IMPORT)).status_code == 302


def test_the_import_page_is_cached_for_its_reader_and_shows_a_new_role_at_once(
    client, chair, library, django_assert_max_num_queries
):
    from members.models import Association, Membership

    client.force_login(chair.user)
    first = client.get(reverse(IMPORT))
    with django_assert_max_num_queries(2):  # the session and the user: the page is kept
        again = client.get(reverse(IMPORT))
    assert again.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in again.content.decode()
    assert "РУМО филологов" not in first.content.decode()

    philology = Association.objects.create(
        name="Объединение филологов", short_name="РУМО филологов", slug="philology-x"
    )
    Membership.objects.create(member=chair, association=philology, role=Membership.Role.CHAIR)

    assert "РУМО филологов" in client.get(reverse(IMPORT)).content.decode()


def test_a_chair_cannot_import_into_another_association(client, other_chair, library):
    response = send(client, other_chair, library, file=upload(fx.event_plan_docx()))

    assert response.status_code == 200
    assert "association" in response.context["form"].errors
    assert not Plan.objects.filter(association=library).exists()


# Upload → preview → draft


def test_upload_preview_saves_nothing_then_the_draft_is_created(client, chair, library):
    response = preview_of(client, send(client, chair, library, file=upload(fx.event_plan_docx())))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Создать черновик" in page
    assert "мероприятий Года литературы" in page  # the document, as it will print
    assert "ежеквартально" in page and "Маяковского" in page
    assert not Plan.objects.exists()
    assert not Revision.objects.exists()

    revision = create_draft(client, response.request["PATH_INFO"], form_of(response))

    assert revision.status == Revision.Status.DRAFT
    assert revision.plan.association == library
    spec = spec_of(revision)
    expected = read_docx(fx.event_plan_docx())
    assert spec.title_lines == expected.title_lines
    assert [s.title for s in spec.sections] == [s.title for s in expected.sections]
    assert [r.cells.get("timing") for r in spec.sections[0].rows if not r.is_group] == [
        "ежеквартально",
        "I полугодие",
        "май, сентябрь",
        "сентябрь–май",
    ]
    # The import is used up: the preview address no longer creates anything.
    again = client.post(response.request["PATH_INFO"], {**form_of(response), "create": "1"})
    assert again.status_code == 302 and again["Location"] == reverse(IMPORT)
    assert Plan.objects.count() == 1


def test_pasted_seed_text_goes_through_the_same_preview(client, chair, library):
    from tests.plans.test_import_reading import SEED_TEXT

    if not SEED_TEXT.exists():
        pytest.skip("the seed file lives beside the project")
    response = preview_of(client, send(client, chair, library, text=SEED_TEXT.read_text()))

    page = response.content.decode()
    assert "Приоритетные направления деятельности:" in page
    assert "Лоскутова" in page
    assert response.context["spec"].warnings == [RENUMBERED]


def test_the_period_can_be_changed_in_the_preview(client, chair, library):
    response = preview_of(client, send(client, chair, library, file=upload(fx.passport_docx())))
    form = form_of(response)
    assert (form["period"], str(form["year"])) == ("academic", "2024")

    revision = create_draft(client, response.request["PATH_INFO"], {**form, "year": "2025"})

    assert spec_of(revision).year == 2025
    assert spec_of(revision).period == "academic"


# Bad input: a form error, never a 500, nothing saved


def zip_of(entries: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docm() -> bytes:
    """A macro-enabled document renamed .docx: the real parts plus vbaProject.bin."""
    source = zipfile.ZipFile(io.BytesIO(fx.event_plan_docx()))
    entries = {name: source.read(name) for name in source.namelist()}
    entries["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\x00" * 64
    return zip_of(entries)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.PNG, "не соответствует его имени"),
        (zip_of({"[Content_Types].xml": "<Types/>", "a.txt": "a"}), "word/document.xml"),
        (docm(), "макросы"),
        (b"", "пуст"),
    ],
    ids=["png", "zip-without-document", "docm", "empty-file"],
)
def test_a_file_that_is_not_a_word_document_is_refused_with_a_message(
    client, chair, library, data, message
):
    response = send(client, chair, library, file=upload(data))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get("file", [])) + " ".join(
        response.context["form"].non_field_errors()
    )
    assert not Plan.objects.exists()


def test_a_file_over_the_cap_is_a_form_error(client, chair, library):
    big = fx.event_plan_docx() + b"\x00" * (20 * 1024 * 1024)

    response = send(client, chair, library, file=upload(big))

    assert response.status_code == 200
    assert "больше" in " ".join(response.context["form"].errors["file"])


@override_settings(RUMO_MAX_REQUEST_BYTES=1024 * 1024)
def test_a_request_over_the_request_cap_is_refused_unread(client, chair, library):
    response = send(client, chair, library, file=upload(b"PK\x03\x04" + b"\x00" * 2 * 1024 * 1024))

    assert response.status_code == 413


def test_nothing_chosen_is_a_form_error(client, chair, library):
    response = send(client, chair, library)

    assert response.status_code == 200
    assert "Выберите файл" in response.content.decode()


def test_an_empty_document_previews_with_a_warning(client, chair, library):
    response = preview_of(client, send(client, chair, library, file=upload(docx_of())))

    assert "Документ пуст" in response.content.decode()


def test_a_document_without_structure_previews_as_one_text_section(client, chair, library):
    data = docx_of("Коллеги, добрый день!", "План пришлём позже.")
    response = preview_of(client, send(client, chair, library, file=upload(data)))

    page = response.content.decode()
    assert "весь текст помещён в один раздел" in page
    assert "План пришлём позже." in page


def test_script_in_a_cell_is_escaped_in_the_preview_and_on_the_page(client, chair, library):
    data = docx_of(
        "ПЛАН РАБОТЫ на 2025 год",
        "I. Мероприятия",
        table=[["№", "Мероприятие", "Сроки"], ["1.", "<script>alert(1)</script>", "май"]],
    )
    response = preview_of(client, send(client, chair, library, file=upload(data)))

    assert "<script>alert(1)</script>" not in response.content.decode()
    revision = create_draft(client, response.request["PATH_INFO"], form_of(response))
    page = client.get(revision.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_thirty_column_table_previews_with_a_warning(client, chair, library):
    header = ["№", "Мероприятие", "Сроки"] + [f"Графа {n}" for n in range(4, 31)]
    values = ["1.", "Семинар", "май"] + [f"значение {n}" for n in range(4, 31)]
    data = docx_of("ПЛАН РАБОТЫ на 2025 год", "I. Мероприятия", table=[header, values])
    response = preview_of(client, send(client, chair, library, file=upload(data)))

    page = response.content.decode()
    assert "Графа 4" in page and "значение 30" in page


# Export to Word


def test_any_reader_downloads_a_revision_as_docx_with_a_russian_name(
    client, chair, member, library
):
    response = preview_of(client, send(client, chair, library, file=upload(fx.passport_docx())))
    revision = create_draft(client, response.request["PATH_INFO"], form_of(response))
    client.force_login(member.user)

    response = client.get(reverse("plans:docx", args=[revision.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert quote("ПАСПОРТ районного") in response["Content-Disposition"]
    assert quote("2024-2025, редакция 1.docx") in response["Content-Disposition"]
    data = response.content
    assert asdict(read_docx(data)) == asdict(spec_of(revision)) | {
        "warnings": read_docx(data).warnings
    }
    client.logout()
    assert client.get(reverse("plans:docx", args=[revision.pk])).status_code == 302


def test_the_preview_carries_no_inline_styles_the_pages_csp_would_block(client, chair, library):
    """Column widths of the printed tables live in the PDF's stylesheet, not in style=""."""
    response = preview_of(client, send(client, chair, library, file=upload(fx.event_plan_docx())))
    assert response.status_code == 200
    assert "<colgroup><col><col>" in response.text  # the tables are there ...
    assert ' style="' not in response.text  # ... and nothing for the CSP to refuse


def test_the_docx_of_a_draft_follows_its_edits(client, chair, library):
    """The file is cached per version of the content: an edit gives a new file."""
    response = preview_of(client, send(client, chair, library, file=upload(fx.passport_docx())))
    revision = create_draft(client, response.request["PATH_INFO"], form_of(response))
    url = reverse("plans:docx", args=[revision.pk])
    first = client.get(url).content
    assert client.get(url).content == first  # unchanged: the same file

    item = Item.objects.filter(section__revision=revision, is_group=False).first()
    services.update_item(item, by=chair, version=item.version, text="Новый текст пункта")
    revision.refresh_from_db()
    texts = [
        row.cells.get("text")
        for section in read_docx(client.get(url).content).sections
        for row in section.rows
    ]
    assert "Новый текст пункта" in texts


def test_text_too_long_for_one_plan_is_a_form_error(client, chair, library, monkeypatch):
    from plans.views import importing

    monkeypatch.setattr(importing, "MAX_SPEC_CHARS", 1000)
    response = send(client, chair, library, file=upload(fx.seed_docx()))

    assert response.status_code == 200
    assert "слишком много текста" in response.content.decode()
    assert importing.SESSION_KEY not in client.session
