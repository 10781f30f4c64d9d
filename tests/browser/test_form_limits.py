"""A one-line field's limit does not cut a paste either: the field says how much is over,
the server refuses it with its message, and every error of the form shows at once."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_topic_is_kept_and_refused_with_the_other_errors(page, chair, library):
    log_in(page, chair)
    page.goto(reverse("meetings:create"))
    topic = "Новые форматы работы библиотек. " * 17  # 544 characters, the limit is 500

    field = page.get_by_label("Тема")
    field.fill(topic)

    expect(field).to_have_value(topic)  # not cut to 500
    expect(page.locator("main")).to_contain_text("Текст длиннее 500 знаков на 44")
    page.get_by_role("button", name="Запланировать").click()

    expect(page.get_by_label("Тема")).to_have_value(topic)
    main = page.locator("main")
    expect(main).to_contain_text("не более 500 символов")
    expect(main).to_contain_text("Укажите месяц или точные дату и время.")  # at the same time
    assert not Meeting.objects.exists()
