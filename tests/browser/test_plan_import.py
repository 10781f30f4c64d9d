"""Importing a plan from Word in a real browser: upload, preview, create the draft."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import Plan, Revision
from tests.plans import docx_fixtures as fx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BLOCKING = {"critical", "serious"}


def blocking(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in BLOCKING
    ]


def test_chair_uploads_a_docx_sees_the_preview_and_creates_the_draft(
    page, signed_in, chair, library, tmp_path, shots
):
    path = tmp_path / "План мероприятий.docx"
    path.write_bytes(fx.event_plan_docx())
    signed_in(chair)

    page.goto(reverse("plans:list"))
    page.get_by_role("link", name="Импорт из Word").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Импорт плана из Word")
    page.get_by_label("Файл Word (.docx)").set_input_files(str(path))
    page.get_by_role("button", name="Показать, что получится").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Импорт плана: проверка")
    document = page.get_by_test_id("import-document")
    expect(document.get_by_text("мероприятий Года литературы")).to_be_visible()
    expect(document.get_by_text("Работа со студентами")).to_be_visible()
    page.screenshot(path=shots / "import-preview-1280.png", full_page=True)
    assert blocking(page) == []
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=shots / "import-preview-375.png", full_page=True)
    assert blocking(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not Plan.objects.exists()

    page.get_by_role("button", name="Создать черновик").click()

    expect(page.get_by_text("Черновик плана создан из документа.")).to_be_visible()
    revision = Revision.objects.get()
    assert revision.status == Revision.Status.DRAFT
    assert page.url.endswith(revision.get_absolute_url())
    expect(page.get_by_text("Акция «Читаем Маяковского вместе»")).to_be_visible()
