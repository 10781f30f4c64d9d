"""A plan's documents in a real browser: the signed PDF and its public check, paper
signatures and scans, a new revision compared with the old, execution marks."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from members.models import Membership
from plans import services
from plans.models import Item, Revision, Section
from tests import factories, files
from tests.browser.conftest import log_in
from tests.documents import plan_pdf
from tests.rumo import create_certificate, use_certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = 2025
CONTEST = "Подготовка и проведение республиканского конкурса «Лучший библиотекарь СПО»."
DATA_BANK = "Сбор информации для банка данных (характеристика кадров) по РУМО"
# A tiny but well-formed PDF: what a scanner might send, minus the picture.
SCAN = files.PDF


@pytest.fixture
def draft(chair, curator, approver, staff, library) -> Revision:
    """The library association's 2025 draft: one event and one organisational task."""
    revision = services.create_plan(library, year=YEAR, by=chair).revisions.get()
    services.add_item(
        revision.sections.get(kind=Section.Kind.EVENTS),
        by=chair,
        text=CONTEST,
        timing="апрель-май",
        responsible="Председатель РУМО, совет РУМО",
    )
    services.add_item(
        revision.sections.get(kind=Section.Kind.ORGWORK),
        by=chair,
        text=DATA_BANK,
        timing=f"январь – март, {YEAR}",
    )
    revision.refresh_from_db()
    return revision


@pytest.fixture
def approved(draft, chair, curator, approver) -> Revision:
    """The same plan agreed and approved (no signing certificate: the PDF is unsigned)."""
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=draft.created_at.date())
    services.approve_revision(draft, by=approver, on=draft.created_at.date())
    draft.refresh_from_db()
    return draft


@pytest.fixture
def secretary(library):
    """Elena, the association's secretary, who keeps the record of what was done."""
    member = factories.person(
        "elena", last_name="Петрова", first_name="Елена", patronymic="Викторовна"
    )
    factories.MembershipFactory(member=member, association=library, role=Membership.Role.SECRETARY)
    return member


@pytest.fixture
def as_persona(new_context):
    """Return a function that opens a fresh browser session, signed in as a persona or not."""

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


def approve_in_browser(as_persona, revision: Revision, approver) -> None:
    page = as_persona(approver)
    page.goto(revision.get_absolute_url())
    panel = page.get_by_test_id("workflow-panel")
    panel.get_by_role("button", name="Утвердить").click()
    expect(page.get_by_role("alert").first).to_contain_text("План утверждён.")
    expect(panel).to_contain_text("утверждён")
    assert page.errors == []
    page.context.close()


def item_row(page: Page, revision: Revision, text: str):
    item = Item.objects.get(section__revision=revision, text=text)
    return page.locator(f"#item-{item.pk}")


def test_staff_checks_the_signed_pdf_on_the_public_verification_page(
    as_persona, settings, tmp_path, draft, chair, curator, approver, staff
):
    use_certificate(settings, create_certificate(tmp_path / "certificate"))
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=draft.created_at.date())
    # Approved in the browser: the server thread builds and signs the PDF.
    approve_in_browser(as_persona, draft, approver)
    pdf = plan_pdf(draft, draft=False)

    # Staff download the signed PDF from the panel.
    page = as_persona(staff)
    page.goto(draft.get_absolute_url())
    panel = page.get_by_test_id("workflow-panel")
    expect(panel.get_by_test_id("register-number")).to_have_text(pdf.register_number)
    with page.expect_download() as download:
        panel.get_by_role("link", name="Скачать подписанный PDF").click()
    assert download.value.suggested_filename == f"plan-library-{YEAR}-r1.pdf"
    genuine = tmp_path / download.value.suggested_filename
    download.value.save_as(genuine)
    data = genuine.read_bytes()
    assert data.startswith(b"%PDF-")

    # The panel's link opens the public page of that document.
    panel.get_by_role("link", name="Проверить подлинность документа").click()
    expect(page).to_have_url(re.compile(r"/v/[0-9A-Z]+/$"))
    verify_url = page.url
    document = page.get_by_test_id("document")
    expect(document).to_contain_text(pdf.register_number)
    expect(document).to_contain_text("Подписан электронной подписью")

    # The very file she downloaded is genuine.
    page.get_by_label("PDF-файл документа").set_input_files(genuine)
    page.get_by_role("button", name="Проверить файл").click()
    result = page.get_by_test_id("check-result")
    expect(result).to_contain_text("Документ подлинный")
    expect(result).to_contain_text(f"№ {pdf.register_number} байт в байт")
    expect(result).to_contain_text("Электронная подпись действительна.")
    page.screenshot(path="/tmp/verify-genuine.png", full_page=True)

    # One byte changed ("%PDF-1.x" → another version digit) and it no longer is.
    version = data.index(b"%PDF-1.") + len(b"%PDF-1.")
    changed = bytearray(data)
    changed[version] = ord("9") if changed[version] != ord("9") else ord("8")
    page.get_by_label("PDF-файл документа").set_input_files(
        {"name": "plan-edited.pdf", "mimeType": "application/pdf", "buffer": bytes(changed)}
    )
    page.get_by_role("button", name="Проверить файл").click()
    expect(result).to_contain_text("Файл не совпадает с зарегистрированным документом")
    expect(result).to_contain_text("Портал не выдавал такой файл")
    expect(result).to_contain_text("Файл изменён после подписания: подпись нарушена.")
    expect(page.get_by_text("Документ подлинный")).to_have_count(0)
    assert page.errors == []

    # A visitor who scanned the QR code opens the same page without signing in.
    visitor = as_persona(None)
    visitor.goto(verify_url)
    expect(visitor.get_by_role("heading", level=1)).to_be_visible()
    expect(visitor.get_by_test_id("document")).to_contain_text(pdf.register_number)
    expect(visitor.get_by_test_id("sha256")).to_have_text(pdf.sha256)
    visitor.get_by_label("PDF-файл документа").set_input_files(genuine)
    visitor.get_by_role("button", name="Проверить файл").click()
    expect(visitor.get_by_test_id("check-result")).to_contain_text("Документ подлинный")
    expect(visitor.get_by_role("button", name="Выйти")).to_have_count(0)
    assert visitor.errors == []


def test_staff_records_a_paper_signature_and_uploads_the_signed_scan(
    as_persona, draft, chair, approver, staff, member
):
    # The chair sends the draft from the page.
    page = as_persona(chair)
    page.goto(draft.get_absolute_url())
    page.get_by_test_id("workflow-panel").get_by_role(
        "button", name="Отправить на согласование"
    ).click()
    expect(page.get_by_role("alert").first).to_contain_text("План отправлен на согласование.")
    page.context.close()

    # The curator signed the printout; staff record her signature with the scanned page.
    page = as_persona(staff)
    page.goto(draft.get_absolute_url())
    panel = page.get_by_test_id("workflow-panel")
    expect(panel).to_contain_text("на согласовании")
    panel.get_by_role("link", name="Записать подпись на бумаге").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Подпись на бумаге: гриф «СОГЛАСОВАНО»"
    )
    page.get_by_label("Кто подписал (ФИО)").fill("О.Б. Кузнецова")
    page.get_by_label("Дата подписи").fill(f"{YEAR}-01-20")
    page.get_by_label("Скан подписанной страницы").set_input_files(
        {"name": "soglasovano.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    page.get_by_role("button", name="Записать подпись").click()
    expect(page.get_by_role("alert").first).to_contain_text("Подпись на бумаге записана.")
    stamps = panel.get_by_test_id("stamps")
    expect(stamps).to_contain_text("О.Б. Кузнецова")
    expect(stamps).to_contain_text(f"подписано 20.01.{YEAR} · на бумаге")
    expect(panel).to_contain_text("согласован, на утверждении")
    expect(panel).to_contain_text("План ждёт подписи под грифом «УТВЕРЖДЕНО».")
    assert page.errors == []

    approve_in_browser(as_persona, draft, approver)

    # Staff upload the scan of the paper copy with all signatures.
    page.reload()
    panel.get_by_role("link", name="Загрузить скан подписанного экземпляра").click()
    page.get_by_label("Скан подписанного бумажного экземпляра").set_input_files(
        {"name": "plan-2025-podpisan.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    page.get_by_role("button", name="Загрузить").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Скан подписанного экземпляра загружен."
    )
    expect(panel.get_by_role("link", name="Заменить скан")).to_be_visible()
    assert page.errors == []

    # A member of the association downloads it.
    reader = as_persona(member)
    reader.goto(draft.get_absolute_url())
    with reader.expect_download() as download:
        reader.get_by_test_id("paper-scan").get_by_role(
            "link", name="Скан подписанного бумажного экземпляра"
        ).click()
    assert download.value.suggested_filename == f"plan-library-{YEAR}-r1-scan.pdf"
    assert Path(download.value.path()).read_bytes() == SCAN
    expect(reader.get_by_role("link", name="Заменить скан")).to_have_count(0)
    assert reader.errors == []

    # The scan is for insiders: a visitor reads the plan but is not offered it.
    visitor = as_persona(None)
    visitor.goto(draft.get_absolute_url())
    expect(visitor.get_by_test_id("workflow-panel")).to_contain_text("утверждён")
    expect(visitor.get_by_test_id("paper-scan")).to_have_count(0)
    assert visitor.errors == []


def test_chair_edits_a_new_revision_and_compares_it_with_the_approved_one(
    as_persona, approved, chair
):
    page = as_persona(chair)
    page.goto(approved.get_absolute_url())
    page.get_by_test_id("workflow-panel").get_by_role(
        "button", name="Начать новую редакцию"
    ).click()
    expect(page.get_by_role("alert").first).to_contain_text("Открыта редакция 2")
    revision = approved.plan.revisions.get(number=2)

    row = item_row(page, revision, CONTEST)
    row.get_by_role("link", name="Изменить пункт 1").click()
    new_text = "Подготовка и проведение республиканского конкурса «Библиотекарь года»."
    row.get_by_label("Текст").fill(new_text)
    row.get_by_role("button", name="Сохранить").click()
    expect(row).to_contain_text("«Библиотекарь года»")
    expect(row.get_by_label("Текст")).to_have_count(0)

    page.get_by_test_id("revisions").get_by_role("link", name="Сравнить редакции").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Сравнение редакций")
    diff = page.get_by_test_id("diff")
    removed, added = diff.locator("del.diff-removed"), diff.locator("ins.diff-added")
    expect(removed.filter(has_text="Лучший")).to_contain_text(CONTEST[:-1])
    expect(added.filter(has_text="года")).to_contain_text(new_text[:-1])
    expect(removed.filter(has_text="Лучший").locator("mark")).to_contain_text(["Лучший"])
    expect(added.filter(has_text="года").locator("mark")).to_contain_text(["Библиотекарь"])
    assert page.errors == []


@pytest.mark.parametrize("who", ["chair", "secretary"])
def test_an_item_of_the_approved_plan_is_marked_done(as_persona, approved, request, who, member):
    page = as_persona(request.getfixturevalue(who))
    page.goto(approved.get_absolute_url())
    progress = page.get_by_test_id("progress")
    expect(progress).to_contain_text("Выполнено 0 из 2 мероприятий")

    row = item_row(page, approved, CONTEST)
    row.get_by_role("link", name="Отметить выполнение пункта 1").click()
    row.get_by_role("combobox", name="Выполнение").select_option(label="выполнено")
    row.get_by_label("Примечание").fill("Проведён 24 апреля, 18 участников")
    row.get_by_role("button", name="Сохранить отметку").click()

    expect(page.get_by_test_id("notice")).to_contain_text("Отметка о выполнении сохранена.")
    mark = row.get_by_test_id("execution")
    expect(mark).to_contain_text("выполнено")
    expect(mark).to_contain_text("Проведён 24 апреля, 18 участников")
    expect(progress).to_contain_text("Выполнено 1 из 2 мероприятий")
    expect(progress.locator(".badge.text-bg-success")).to_have_text("1")
    assert page.errors == []

    # A member reading the plan later sees the same.
    reader = as_persona(member)
    reader.goto(approved.get_absolute_url())
    expect(reader.get_by_test_id("progress")).to_contain_text("Выполнено 1 из 2 мероприятий")
    expect(item_row(reader, approved, CONTEST).get_by_test_id("execution")).to_contain_text(
        "Проведён 24 апреля"
    )
    expect(reader.get_by_role("link", name=re.compile("Отметить выполнение"))).to_have_count(0)
    assert reader.errors == []
