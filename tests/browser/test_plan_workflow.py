"""A plan's way from the chair's draft to the public signed PDF, in a real browser."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from plans import services
from plans.models import Revision, Section
from rumo.models import DocumentBuild
from tests.browser.conftest import log_in
from tests.documents import plan_pdf
from tests.rumo import create_certificate, use_certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = 2025


@pytest.fixture
def draft(chair, curator, approver, staff, library) -> Revision:
    revision = services.create_plan(library, year=YEAR, by=chair).revisions.get()
    events = revision.sections.get(kind=Section.Kind.EVENTS)
    services.add_item(
        events,
        by=chair,
        text="Подготовка и проведение республиканского конкурса «Лучший библиотекарь СПО».",
        timing="апрель-май",
        responsible="Председатель РУМО, совет РУМО",
    )
    services.add_item(
        revision.sections.get(kind=Section.Kind.ORGWORK),
        by=chair,
        text="Сбор информации для банка данных (характеристика кадров) по РУМО",
        timing=f"январь – март, {YEAR}",
    )
    revision.refresh_from_db()
    return revision


@pytest.fixture
def as_persona(new_context, shots):
    """Return a function that opens a fresh browser session signed in as a persona."""

    def open_as(member) -> Page:
        page = new_context(accept_downloads=True).new_page()
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm asks before signing
        if member is not None:
            log_in(page, member)
        return page

    return open_as


def panel_shot(page: Page, shots: Path, name: str) -> None:
    panel = page.get_by_test_id("workflow-panel")
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=shots / f"panel-{name}.png")


def test_plan_goes_from_the_chairs_draft_to_the_public_signed_pdf(
    as_persona, shots, settings, tmp_path, draft, chair, curator, approver, staff
):
    use_certificate(settings, create_certificate(tmp_path))
    # The chair checks the draft as a PDF, then sends it.
    page = as_persona(chair)
    page.goto(draft.get_absolute_url())
    panel = page.get_by_test_id("workflow-panel")
    expect(panel).to_contain_text("черновик")
    panel_shot(page, shots, "1-draft")
    panel.get_by_role("button", name="Скачать проект PDF").click()
    with page.expect_download() as draft_pdf:
        panel.get_by_role("link", name="Скачать проект PDF").click()
    assert draft_pdf.value.suggested_filename == f"plan-library-{YEAR}-r1-draft.pdf"
    panel.get_by_role("button", name="Отправить на согласование").click()
    expect(page.get_by_role("alert").first).to_contain_text("План отправлен на согласование.")
    expect(panel).to_contain_text("на согласовании")
    panel_shot(page, shots, "2-on-agreement-chair")
    assert page.errors == []

    # The curator finds it on her dashboard and agrees.
    page = as_persona(curator)
    waiting = page.get_by_test_id("waiting-for-signature")
    expect(waiting).to_contain_text(f"План работы на {YEAR} год")
    page.screenshot(path=shots / "dashboard-curator.png", full_page=True)
    waiting.get_by_role("link", name=f"План работы на {YEAR} год").click()
    panel = page.get_by_test_id("workflow-panel")
    panel_shot(page, shots, "3-on-agreement-curator")
    panel.get_by_role("button", name="Согласовать").click()
    expect(page.get_by_role("alert").first).to_contain_text("План согласован")
    expect(panel).to_contain_text("согласован, на утверждении")
    assert page.errors == []

    # The approver approves from her dashboard.
    page = as_persona(approver)
    page.get_by_test_id("waiting-for-signature").get_by_role("link").first.click()
    panel = page.get_by_test_id("workflow-panel")
    panel_shot(page, shots, "4-agreed-approver")
    panel.get_by_role("button", name="Утвердить").click()
    expect(page.get_by_role("alert").first).to_contain_text("План утверждён.")
    expect(panel).to_contain_text("утверждён")
    assert page.errors == []
    pdf = plan_pdf(draft, draft=False)
    assert pdf.state == DocumentBuild.State.DONE

    # Staff download the signed PDF.
    page = as_persona(staff)
    page.goto(draft.get_absolute_url())
    panel = page.get_by_test_id("workflow-panel")
    expect(panel.get_by_test_id("register-number")).to_have_text(pdf.register_number)
    panel_shot(page, shots, "5-approved-staff")
    with page.expect_download() as signed_pdf:
        panel.get_by_role("link", name="Скачать подписанный PDF").click()
    assert signed_pdf.value.suggested_filename == f"plan-library-{YEAR}-r1.pdf"
    assert Path(signed_pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    assert page.errors == []

    # A visitor reads the published plan without signing in.
    page = as_persona(None)
    page.goto(reverse("home"))
    page.get_by_test_id("published-plans").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))
    panel = page.get_by_test_id("workflow-panel")
    expect(panel).to_contain_text("не квалифицированная электронная подпись (ГОСТ)")
    expect(panel.get_by_role("link", name="Скачать подписанный PDF")).to_be_visible()
    expect(panel.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("button", name="Выйти")).to_have_count(0)
    panel_shot(page, shots, "6-approved-visitor")
    assert page.errors == []


def test_curator_returns_the_plan_and_the_chair_sees_why(as_persona, shots, draft, chair, curator):
    services.send_for_agreement(draft, by=chair)

    page = as_persona(curator)
    page.goto(draft.get_absolute_url())
    page.get_by_role("link", name="Вернуть на доработку").click()
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_text("Обязательное поле.")).to_be_visible()
    page.get_by_label("Что нужно исправить").fill("Уточните сроки конкурса.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_role("alert").first).to_contain_text("возвращён председателю")

    page = as_persona(chair)
    expect(page.get_by_test_id("returned-notice")).to_contain_text("вернули на доработку")
    page.get_by_test_id("returned-notice").get_by_role("link").click()
    expect(page.get_by_test_id("returned")).to_contain_text("Уточните сроки конкурса.")
    panel_shot(page, shots, "7-returned-chair")
    assert page.errors == []


def test_chair_copies_last_years_plan_and_checks_the_moved_years(
    as_persona, shots, draft, chair, curator, approver
):
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=draft.created_at.date())
    services.approve_revision(draft, by=approver, on=draft.created_at.date())

    page = as_persona(chair)
    page.goto(reverse("plans:create"))
    page.get_by_label("Год плана").fill(str(YEAR + 1))
    page.get_by_label(f"Копия: План работы на {YEAR} год").check()
    page.screenshot(path=shots / "plan-create.png", full_page=True)
    page.get_by_role("button", name="Создать план").click()

    notes = page.get_by_test_id("copy-notes")
    expect(notes).to_contain_text("При копировании изменены годы")
    expect(notes).to_contain_text(f"январь – март, {YEAR + 1}")
    page.screenshot(path=shots / "copy-notes-page.png", full_page=True)
    panel_shot(page, shots, "0-copied-draft")

    page.goto(reverse("plans:create"))
    page.get_by_label("Год плана").fill(str(YEAR + 1))
    page.get_by_role("button", name="Создать план").click()
    expect(page.get_by_text(f"План этого объединения на {YEAR + 1} год уже есть.")).to_be_visible()
    expect(page.get_by_label("Год плана")).to_have_value(str(YEAR + 1))
    assert page.errors == []
