"""The chair edits a draft in place; a visitor reads the approved plan, on a desktop and a phone."""

import pytest
from playwright.sync_api import Page, expect

from plans import demo, services
from plans.models import Item, Revision, Section
from tests.browser.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(chair, curator, approver, library) -> Revision:
    """A 2030 draft with three priorities and one event."""
    revision = services.create_plan(library, year=2030, by=chair).revisions.get()
    priorities = revision.sections.get(title="Приоритетные направления деятельности:")
    for text in (
        "Обеспечение единого образовательного пространства.",
        "Взаимодействие с институтом образования.",
        "Повышение квалификации библиотекарей.",
    ):
        services.add_item(priorities, by=chair, text=text)
    services.add_item(
        revision.sections.get(kind=Section.Kind.EVENTS),
        by=chair,
        text="Подготовка и проведение республиканского конкурса «Лучший библиотекарь СПО».",
        timing="апрель-май",
        responsible="Председатель РУМО по библиотечному направлению ПОО ЧР, совет РУМО",
    )
    return revision


EXPECTED = ("status of 409 (Conflict)",)  # a conflict is an answer with a form, not a failure


def watch_errors(page: Page) -> list[str]:
    """Collect console errors: CSP violations and failed requests show up there."""
    errors: list[str] = []

    def console(message):
        if message.type == "error" and not message.text.endswith(EXPECTED):
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def numbers(section) -> list[str]:
    return section.locator(".plan-num").all_inner_texts()


def test_chair_adds_edits_reorders_and_deletes_items_in_place(page, draft, chair, shots):
    errors = watch_errors(page)
    log_in(page, chair)
    page.goto(draft.get_absolute_url())
    section = page.locator(
        "section", has=page.get_by_role("heading", name="I. Приоритетные направления деятельности:")
    )
    expect(section.locator(".plan-num")).to_have_text(["1.", "2.", "3."])

    # Add an item: the form opens in place, the new row gets the next number.
    section.get_by_role("link", name="Добавить пункт").click()
    section.get_by_label("Текст").fill("Организация участия библиотекарей в конкурсах.")
    section.get_by_role("button", name="Добавить").click()
    expect(section.locator(".plan-num")).to_have_text(["1.", "2.", "3.", "4."])
    expect(page.get_by_test_id("notice")).to_have_text("Пункт добавлен.")
    new_item = Item.objects.get(text="Организация участия библиотекарей в конкурсах.")
    row = page.locator(f"#item-{new_item.pk}")

    # Edit its text inline; the page does not reload.
    page.evaluate("window.stillHere = true")
    row.get_by_role("link", name="Изменить пункт 4").click()
    row.get_by_label("Текст").fill("Организация участия библиотекарей в республиканских конкурсах.")
    row.screenshot(path=shots / "plan-item-form-desktop.png")
    row.get_by_role("button", name="Сохранить").click()
    expect(row).to_contain_text("в республиканских конкурсах.")
    expect(row.get_by_label("Текст")).to_have_count(0)
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Изменить пункт 4")
    assert page.evaluate("window.stillHere") is True

    # Move it up twice with the keyboard; focus stays on the moved row's button.
    row.get_by_role("button", name="Пункт 4: вверх").focus()
    page.keyboard.press("Enter")
    expect(row.locator(".plan-num")).to_have_text("3.")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Пункт 3: вверх")
    page.keyboard.press("Enter")
    expect(row.locator(".plan-num")).to_have_text("2.")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Пункт 2: вверх")
    page.screenshot(path=shots / "plan-editor-desktop.png", full_page=True)

    # Delete the first item, after confirming.
    section.get_by_role("link", name="Удалить пункт 1").click()
    confirm = section.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Удалить пункт 1 «Обеспечение единого")
    confirm.get_by_role("button", name="Да, удалить пункт").click()
    expect(section.locator(".plan-num")).to_have_text(["1.", "2.", "3."])
    expect(section).not_to_contain_text("Обеспечение единого")
    expect(section.locator(".plan-item-text").first).to_contain_text("в республиканских конкурсах")

    texts = list(
        Item.objects.filter(section__title="Приоритетные направления деятельности:")
        .order_by("position")
        .values_list("text", flat=True)
    )
    assert texts == [
        "Организация участия библиотекарей в республиканских конкурсах.",
        "Взаимодействие с институтом образования.",
        "Повышение квалификации библиотекарей.",
    ]
    assert errors == []


def test_chair_reorders_by_drag_and_drop(page, draft, chair):
    errors = watch_errors(page)
    log_in(page, chair)
    page.goto(draft.get_absolute_url())
    section = page.locator(
        "section", has=page.get_by_role("heading", name="I. Приоритетные направления деятельности:")
    )
    rows = section.locator(".plan-item")

    rows.nth(2).locator(".drag-handle").drag_to(rows.nth(0), target_position={"x": 20, "y": 2})

    expect(section.locator(".plan-item-text").first).to_have_text(
        "Повышение квалификации библиотекарей."
    )
    expect(section.locator(".plan-num")).to_have_text(["1.", "2.", "3."])
    assert errors == []


def test_chair_sees_the_editor_on_a_phone(phone_page, draft, chair, shots):
    page = phone_page
    errors = watch_errors(page)
    log_in(page, chair)
    page.goto(draft.get_absolute_url())

    priorities = page.get_by_role("region", name="I. Приоритетные направления деятельности:")
    expect(priorities.get_by_role("button", name="Пункт 1: вниз")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=shots / "plan-editor-phone.png", full_page=True)
    event = page.get_by_role("region", name="III. Планируемые мероприятия:")
    event.get_by_role("link", name="Изменить пункт 1").click()
    expect(event.get_by_label("Сроки")).to_have_value("апрель-май")
    expect(event.get_by_label("Текст")).to_be_focused()
    event.screenshot(path=shots / "plan-item-form-phone.png")
    assert errors == []


def test_on_a_phone_the_plans_actions_are_one_tap_from_the_top(phone_page, draft, chair):
    """«Отправить на согласование» sits after the whole plan: a link at the top leads there."""
    page = phone_page
    log_in(page, chair)
    page.goto(draft.get_absolute_url())
    jump = page.get_by_test_id("jump-to-actions")
    assert jump.bounding_box()["y"] < 300  # within the first screen
    send = page.get_by_role("button", name="Отправить на согласование")
    jump.click()
    expect(send).to_be_in_viewport()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_visitor_reads_the_approved_seed_plan(page, phone_page, library, philology, shots, device):
    plan = demo.load({"library": library, "philology": philology})
    page = phone_page if device == "phone" else page
    errors = watch_errors(page)

    page.goto(plan.get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_contain_text("ПЛАН РАБОТЫ")
    expect(page.locator("#plan-stamps")).to_contain_text("СОГЛАСОВАНО")
    expect(page.locator("#plan-stamps")).to_contain_text("« 25 » января 2024 года")
    expect(page.get_by_text("Чебоксары, 2024")).to_be_visible()
    expect(page.get_by_role("heading", name="III. Планируемые мероприятия:")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Организаторы ответственные")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_contain_text("Выполнено 3 из 17")
    expect(page.get_by_role("link", name="Изменить")).to_have_count(0)
    page.screenshot(path=shots / f"plan-approved-{device}.png", full_page=True)
    if device == "phone":
        # The page itself does not scroll sideways; wide tables scroll inside their frame.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # «Скачать PDF» and «Проверить» are one tap from the top, not 6,600 px down.
        page.get_by_test_id("jump-to-actions").click()
        expect(page.get_by_test_id("workflow-panel")).to_be_in_viewport()
    assert errors == []


def test_a_colleagues_change_is_shown_and_the_chairs_text_kept(page, draft, chair, curator, shots):
    errors = watch_errors(page)
    log_in(page, chair)
    page.goto(draft.get_absolute_url())
    item = Item.objects.get(text="Взаимодействие с институтом образования.")
    row = page.locator(f"#item-{item.pk}")
    row.get_by_role("link", name="Изменить пункт 2").click()
    row.get_by_label("Текст").fill("Взаимодействие с ЧРИО.")
    services.update_item(item, by=curator, version=item.version, text="Сотрудничество с ЧРИО.")

    row.get_by_role("button", name="Сохранить").click()

    conflict = row.get_by_test_id("conflict")
    expect(conflict).to_contain_text("Пока вы редактировали, этот пункт изменил(а) О.Б. Кузнецова:")
    expect(conflict).to_contain_text("Сотрудничество с ЧРИО.")
    expect(row.get_by_label("Текст")).to_have_value("Взаимодействие с ЧРИО.")
    row.screenshot(path=shots / "plan-conflict-desktop.png")
    row.get_by_role("button", name="Сохранить").click()
    expect(row.locator(".plan-item-text")).to_have_text("Взаимодействие с ЧРИО.")
    item.refresh_from_db()
    assert item.text == "Взаимодействие с ЧРИО."
    assert errors == []
