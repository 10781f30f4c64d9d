"""A session that ends while the chair types: the login page, not a fragment, and the text kept."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from plans import services
from plans.models import Item
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = (
    "Организация участия библиотекарей в республиканских конкурсах профессионального мастерства."
)


def test_saving_after_the_session_ended_leads_to_login_and_offers_the_text_back(
    page, chair, library, shots
):
    revision = services.create_plan(library, year=2031, by=chair).revisions.get()
    priorities = revision.sections.get(title="Приоритетные направления деятельности:")
    services.add_item(priorities, by=chair, text="Обеспечение единого пространства.")
    log_in(page, chair)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(revision.get_absolute_url())
    item = priorities.items.get()
    row = page.locator(f"#item-{item.pk}")
    row.get_by_role("link", name="Изменить пункт 1").click()
    row.get_by_label("Текст").fill(TYPED)

    Session.objects.all().delete()  # the session ran out (or she signed out in another tab)
    row.get_by_role("button", name="Сохранить").click()

    # The whole page goes to the login form; nothing was saved, nothing swapped in.
    page.wait_for_url("**/login/**")
    expect(page.get_by_role("button", name="Войти")).to_be_visible()
    assert reverse("login") in page.url and "next=" in page.url
    assert not Item.objects.filter(text=TYPED).exists()
    page.get_by_label("Имя пользователя").fill(chair.user.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    # Back on the plan: told that text is waiting; opening the item offers it.
    expect(page).to_have_url(revision.get_absolute_url())
    expect(page.locator("[data-unsaved-notice]").first).to_contain_text("несохранённый текст")
    row.get_by_role("link", name="Изменить пункт 1").click()
    expect(row.get_by_role("button", name="Восстановить текст")).to_be_visible()
    row.screenshot(path=str(shots / "lost-session-offer.png"))
    row.get_by_role("button", name="Восстановить текст").click()
    expect(row.get_by_label("Текст")).to_have_value(TYPED)
    row.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text(TYPED)).to_be_visible()
    assert Item.objects.filter(text=TYPED).exists()
    assert errors == []
