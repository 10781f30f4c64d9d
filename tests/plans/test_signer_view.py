"""The signers (curator, approver) read the draft PDF they sign and what changed since a return."""

import pytest
from django.urls import reverse

from plans import services
from plans.models import Item, Revision, Section
from tests.documents import build_of
from tests.plans.test_pdf import pdf_text

pytestmark = pytest.mark.django_db
NEW_TEXT = "Конкурс «Лучший библиотекарь СПО» среди студентов 1–2 курсов."


@pytest.fixture
def came_back(chair, curator, draft) -> Revision:
    """The curator returned the plan, the chair changed an item and sent it again."""
    services.send_for_agreement(draft, by=chair)
    services.return_revision(draft, by=curator, comment="Уточните, для кого конкурс.")
    item = Item.objects.get(section__revision=draft, section__kind=Section.Kind.EVENTS)
    services.update_item(item, by=chair, version=item.version, text=NEW_TEXT)
    services.send_for_agreement(Revision.objects.get(pk=draft.pk), by=chair)
    return Revision.objects.get(pk=draft.pk)


def draft_pdf_url(name: str, revision: Revision) -> str:
    return reverse(f"plans:{name}", args=[revision.pk, "draft"])


def test_the_return_keeps_who_when_and_the_text_as_it_was(curator, draft, chair):
    services.send_for_agreement(draft, by=chair)

    services.return_revision(draft, by=curator, comment="Уточните сроки.")

    returned = Revision.objects.get(pk=draft.pk)
    assert returned.returned_by == curator and returned.returned_at is not None
    assert returned.returned_comment == "Уточните сроки."
    assert any("Конкурс «Лучший библиотекарь СПО»." in line for line in returned.returned_lines)


def test_the_curator_sees_the_draft_pdf_and_what_changed_since_the_return(
    client, curator, came_back, django_capture_on_commit_callbacks
):
    client.force_login(curator.user)

    page = client.get(came_back.get_absolute_url()).text

    assert (
        draft_pdf_url("pdf-request", came_back) in page
        or draft_pdf_url("pdf-download", came_back) in page
    )
    section = page[page.index('data-testid="since-return"') :]
    assert "Что изменилось с возврата" in section
    assert "Вернул(а) О.Б. Кузнецова" in section and "Уточните, для кого конкурс." in section
    diff = section[section.index('data-testid="since-return-diff"') :]
    diff = diff[: diff.index("</details>")]
    # The changed line as it was at the return and as it is, changed words marked.
    assert "Конкурс «Лучший библиотекарь <mark>СПО».</mark>" in diff
    assert "<mark>СПО» среди студентов 1–2 курсов.</mark>" in diff

    with django_capture_on_commit_callbacks(execute=True):
        requested = client.post(draft_pdf_url("pdf-request", came_back))
    assert requested.status_code == 302
    download = client.get(draft_pdf_url("pdf-download", came_back))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-")
    assert "среди студентов" in pdf_text(body)
    assert build_of("plans.draft", came_back).state == "done"


def test_the_approver_reads_the_draft_pdf_too(client, approver, came_back):
    client.force_login(approver.user)

    assert client.get(draft_pdf_url("pdf-status", came_back)).status_code == 200


def test_the_chair_sees_the_return_box_with_who_and_when(client, chair, curator, draft):
    services.send_for_agreement(draft, by=chair)
    services.return_revision(draft, by=curator, comment="Уточните сроки.")
    client.force_login(chair.user)

    page = client.get(draft.get_absolute_url()).text

    box = page[page.index('data-testid="returned"') :]
    returned = Revision.objects.get(pk=draft.pk)
    assert f"Вернул(а) О.Б. Кузнецова {returned.returned_at:%d.%m.%Y}" in box
    assert "Уточните сроки." in box
    assert "Текст плана не менялся с возврата." in page


@pytest.mark.parametrize("persona", ["member", "council", "other_chair"])
def test_others_get_neither_the_draft_pdf_nor_the_changes(client, personas, came_back, persona):
    client.force_login(personas[persona].user)

    page = client.get(came_back.get_absolute_url())

    if page.status_code == 200:
        assert 'data-testid="since-return"' not in page.text
        assert draft_pdf_url("pdf-request", came_back) not in page.text
    for name in ("pdf-status", "pdf-download"):
        assert client.get(draft_pdf_url(name, came_back)).status_code in (403, 404)
    assert client.post(draft_pdf_url("pdf-request", came_back)).status_code in (403, 404)
