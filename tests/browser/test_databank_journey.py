"""The data-bank campaign in a real browser: a member answers from the personal link."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from members import services
from members.tokens import campaign_path
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(library, chair, member):
    services.give_consent(member)
    member.confirmed_at = timezone.now() - timedelta(days=200)
    member.save(update_fields=["confirmed_at"])
    return services.open_campaign(
        library, title="Банк данных: характеристика кадров",
        due_date=timezone.localdate() + timedelta(days=30), reminder_interval_days=7,
        by=chair.user,
    )  # fmt: skip


def console_errors(page) -> list:
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_member_opens_the_link_signs_in_and_confirms_unchanged_data(
    page, phone_page, campaign, member, chair
):
    errors = console_errors(phone_page)
    link = campaign_path(campaign.pk, member.pk)

    # On a phone, from the e-mail: the link asks her to sign in, then opens her profile.
    phone_page.goto(link)
    phone_page.get_by_label("Имя пользователя").fill(member.user.username)
    phone_page.get_by_label("Пароль").fill(PASSWORD)
    phone_page.get_by_role("button", name="Войти").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(campaign.title)
    expect(phone_page.get_by_label("Фамилия")).to_have_value("Васильева")
    phone_page.get_by_role("button", name="Данные не изменились").click()

    expect(phone_page.get_by_test_id("answered")).to_contain_text("Спасибо, ваш ответ получен")
    member.refresh_from_db()
    assert member.confirmed_at >= campaign.opened_at
    assert errors == []

    # The chair's live page counts her as answered.
    page.goto(reverse("login"))
    page.get_by_label("Имя пользователя").fill(chair.user.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.goto(campaign.get_absolute_url())
    progress = page.get_by_test_id("campaign-progress")
    expect(progress).to_contain_text("Ответили 1 из 2")
    expect(page.get_by_test_id("unanswered")).not_to_contain_text("Васильева")


def test_someone_elses_link_is_refused_in_the_browser(page, campaign, member, council):
    page.goto(reverse("login"))
    page.get_by_label("Имя пользователя").fill(council.user.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    page.goto(campaign_path(campaign.pk, member.pk))

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Эта ссылка предназначена другому участнику"
    )
    expect(page.get_by_role("button", name="Данные не изменились")).to_have_count(0)
