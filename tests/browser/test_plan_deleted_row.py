"""Saving an item a colleague deleted: the chair learns who deleted it and adds the text again."""

import pytest
from playwright.sync_api import expect

from plans import services
from plans.models import Item
from tests.browser.conftest import log_in
from tests.browser.test_plan_editing import draft, watch_errors  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_text_typed_into_a_deleted_item_is_kept_and_added_again(page, draft, chair, shots):  # noqa: F811
    errors = watch_errors(page)
    log_in(page, chair)
    page.goto(draft.get_absolute_url())
    item = Item.objects.get(text="Взаимодействие с институтом образования.")
    row = page.locator(f"#item-{item.pk}")
    row.get_by_role("link", name="Изменить пункт 2").click()
    row.get_by_label("Текст").fill("Взаимодействие с ЧРИО.")
    services.delete_item(Item.objects.get(pk=item.pk), by=chair)  # in another tab

    row.get_by_role("button", name="Сохранить").click()

    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("Этот пункт удалил(а) С.Н. Лоскутова в ")
    expect(notice).to_contain_text("Ваш текст сохранён ниже")
    expect(notice.get_by_label("Ваш текст")).to_have_value("Взаимодействие с ЧРИО.")
    notice.screenshot(path=shots / "plan-deleted-row-desktop.png")
    notice.get_by_role("button", name="Добавить пунктом заново").click()

    expect(page.get_by_test_id("notice")).to_have_text("Пункт добавлен.")
    assert Item.objects.filter(section__revision=draft, text="Взаимодействие с ЧРИО.").exists()
    assert errors == []
