"""Keyboard and long-list use: focus after an answer, Ctrl+Enter and Esc in the editor,
a searchable list of speakers, and a long paste that is not cut silently."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Response
from plans import services
from tests.browser.conftest import log_in
from tests.meetings import announced, planned, rank_and_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answering_by_keyboard_keeps_the_focus_on_the_answer(page, member, library):
    meeting = announced(library, agenda=("Обзор профессиональных источников",))
    log_in(page, member)
    page.goto(reverse("meetings:detail", args=[meeting.pk]))

    page.get_by_role("button", name="Буду", exact=True).focus()
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("my-answer")).to_contain_text("«буду»")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("value", "yes")
    expect(focused).to_have_attribute("aria-pressed", "true")
    assert Response.objects.get(meeting=meeting, member=member).answer == "yes"


def plan_with_one_item(library, chair):
    revision = services.create_plan(library, year=2031, by=chair).revisions.get()
    priorities = revision.sections.get(title="Приоритетные направления деятельности:")
    item = services.add_item(priorities, by=chair, text="Обеспечение единого пространства.")
    return revision, item


def test_ctrl_enter_saves_and_escape_cancels_in_the_plan_editor(page, chair, library):
    revision, item = plan_with_one_item(library, chair)
    log_in(page, chair)
    page.goto(revision.get_absolute_url())
    row = page.locator(f"#item-{item.pk}")

    row.get_by_role("link", name="Изменить пункт 1").click()
    row.get_by_label("Текст").fill("Обеспечение единого образовательного пространства.")
    page.keyboard.press("Control+Enter")
    expect(row).to_contain_text("единого образовательного пространства.")
    expect(row.get_by_label("Текст")).to_have_count(0)

    row.get_by_role("link", name="Изменить пункт 1").click()
    row.get_by_label("Текст").fill("Этот текст не сохранится.")
    page.keyboard.press("Escape")
    expect(row.get_by_label("Текст")).to_have_count(0)
    expect(row).to_contain_text("единого образовательного пространства.")
    item.refresh_from_db()
    assert item.text == "Обеспечение единого образовательного пространства."


def test_a_long_paste_is_kept_and_refused_with_a_message(page, chair, library):
    revision, item = plan_with_one_item(library, chair)
    log_in(page, chair)
    page.goto(revision.get_absolute_url())
    row = page.locator(f"#item-{item.pk}")
    row.get_by_role("link", name="Изменить пункт 1").click()
    long_text = "Очень длинный пункт плана. " * 200  # 5,400 characters

    field = row.get_by_label("Текст")
    field.fill(long_text)

    expect(field).to_have_value(long_text)  # not cut to 5,000
    expect(row).to_contain_text("Текст длиннее 5000 знаков на 400")
    row.get_by_role("button", name="Сохранить").click()
    expect(row.get_by_label("Текст")).to_have_value(long_text)
    expect(row).to_contain_text("не более 5000")
    item.refresh_from_db()
    assert item.text == "Обеспечение единого пространства."


def test_speakers_are_ticked_in_a_searchable_list(page, chair, library):
    people = rank_and_file(library, 26)
    meeting = planned(library, agenda=())
    log_in(page, chair)
    page.goto(reverse("meetings:detail", args=[meeting.pk]))
    add = page.get_by_test_id("agenda-add")
    wanted = people[17]

    add.get_by_role("searchbox", name="Поиск по фамилии").fill(wanted.last_name)
    visible = add.locator(".form-check:visible")
    expect(visible.first).to_contain_text(wanted.last_name)
    add.get_by_label("Вопрос").fill("Отчёт о работе")
    visible.first.get_by_role("checkbox").check()
    add.get_by_role("button", name="Добавить в повестку").click()

    expect(page.get_by_test_id("agenda")).to_contain_text(wanted.short_name)
    assert list(meeting.agenda_items.get().speaker_members.all()) == [wanted]
