"""The chair shapes a real plan in the browser: columns, numbering, group rows and stamps."""

import pytest
from playwright.sync_api import Page, expect

from plans import services
from plans.models import Item, Revision, Section, Stamp
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(chair, curator, approver, library) -> Revision:
    revision = services.create_plan(library, year=2030, by=chair).revisions.get()
    events = revision.sections.get(kind=Section.Kind.EVENTS)
    services.add_item(events, by=chair, text="Открытие сессии", timing="июнь", place="Актовый зал")
    services.add_item(events, by=chair, text="Мастер-класс", timing="июнь", place="Ауд. 204")
    return revision


def test_chair_shapes_columns_numbering_group_rows_and_stamps(page: Page, draft, chair):
    log_in(page, chair)
    page.goto(draft.get_absolute_url())
    events = draft.sections.get(kind=Section.Kind.EVENTS)
    section = page.locator(f"#section-{events.pk}")

    # Columns and numbering: «Место» gets its own column, the heading an Arabic numeral.
    section.get_by_role("link", name="Изменить раздел «Планируемые мероприятия:»").click()
    section.get_by_label("Номер раздела").select_option("arabic")
    section.get_by_label("Столбец «Место проведения»").check()
    section.get_by_label("Заголовок столбца «Место проведения»").fill("Место")
    section.get_by_label("Заголовок столбца «Сроки проведения»").fill("Дата")
    section.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", name="3. Планируемые мероприятия:")).to_be_visible()
    header = section.locator("thead th")
    expect(header.filter(has_text="Место")).to_have_count(1)
    expect(header.filter(has_text="Дата")).to_have_count(1)
    row = section.locator(f"#item-{Item.objects.get(text='Мастер-класс').pk}")
    expect(row.locator("td").nth(3)).to_have_text("Ауд. 204")  # its own cell

    # A group row «День 1» spans the table; numbering goes on 1, 2 around it.
    section.get_by_role("link", name="Добавить пункт").click()
    section.get_by_label("Текст").fill("День 1")
    section.get_by_label("Строка-группа").check()
    section.get_by_role("button", name="Добавить").click()
    expect(section.locator(".plan-group-cell")).to_have_text("День 1")
    expect(section.locator("td.plan-num")).to_have_text(["1.", "2."])

    # Stamps: remove «СОГЛАСОВАНО», add «ПРИНЯТО» by a protocol in its place.
    agreed = draft.stamps.get(kind=Stamp.Kind.AGREED)
    page.get_by_role("link", name="Удалить гриф «СОГЛАСОВАНО»").click()
    page.get_by_role("button", name="Да, удалить гриф").click()
    expect(page.locator(f"#stamp-{agreed.pk}")).to_have_count(0)
    page.get_by_role("link", name="Добавить гриф").click()
    page.locator("#stamp-add select[name=kind]").select_option("accepted")
    page.get_by_label("Основание").fill("на заседании совета РУМО (протокол № 1 от 15.01.2030)")
    page.get_by_role("button", name="Добавить гриф").click()
    stamps = page.locator("#plan-stamps")
    expect(stamps).to_contain_text("ПРИНЯТО")
    expect(stamps).to_contain_text("протокол № 1 от 15.01.2030")
    assert draft.stamps.filter(kind=Stamp.Kind.ACCEPTED, side="left").exists()
