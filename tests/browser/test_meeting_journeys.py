"""Meetings in a real browser: the chair plans one, a member answers, the chair minutes it.

Screenshots go to $RUMO_SCREENSHOTS when set (to look at them), else to tmp_path.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services
from meetings.models import Meeting, Response
from rumo.models import DocumentBuild
from tests.browser.conftest import PHONE, log_in
from tests.documents import build_of
from tests.meetings import announced, held, minuted, planned, rank_and_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def console_errors(page) -> list[str]:
    """Collect console errors: CSP violations and failed loads show up here."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_chair_plans_a_meeting_and_writes_its_agenda(signed_in, chair, library, shots):
    page = signed_in(chair)
    errors = console_errors(page)
    day = timezone.localdate() + timedelta(days=21)

    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Заседания"
    ).click()
    page.get_by_role("link", name="Запланировать заседание").click()
    page.get_by_label("Дата").fill(day.isoformat())
    page.get_by_label("Время (московское)").fill("14:00")
    page.get_by_label("онлайн").check()
    page.get_by_label("Ссылка на трансляцию").fill("https://meet.example.org/rumo")
    page.get_by_label("Тема").fill("Библиотека и новые форматы")
    page.screenshot(path=shots / "chair-create-desktop.png", full_page=True)
    page.get_by_role("button", name="Запланировать").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Заседание № 1")
    expect(page.get_by_test_id("announce-problems")).to_contain_text("Повестка пуста")
    add = page.get_by_test_id("agenda-add")
    add.get_by_label("Вопрос").fill("Опыт работы библиотеки <ЧПК>")
    add.get_by_label(f"{chair.short_name} ({chair.organization})").check()
    add.get_by_role("button", name="Добавить в повестку").click()
    expect(page.get_by_test_id("agenda")).to_contain_text("Опыт работы библиотеки <ЧПК>")
    expect(page.get_by_test_id("agenda")).to_contain_text("С.Н. Лоскутова")
    # The title field keeps the focus: the next question is typed right away.
    expect(page.get_by_test_id("agenda-add").get_by_label("Вопрос")).to_be_focused()
    page.keyboard.type("Выборы совета РУМО")
    page.get_by_role("button", name="Добавить в повестку").click()
    expect(page.get_by_test_id("agenda").get_by_role("listitem")).to_have_count(2)
    # htmx wires the new fragment when it settles; the focus moves back at the same moment.
    expect(page.get_by_test_id("agenda-add").get_by_label("Вопрос")).to_be_focused()

    page.get_by_role("button", name="Поднять вопрос 2 выше").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("agenda").get_by_role("listitem").first).to_contain_text(
        "Выборы совета"
    )
    expect(page.get_by_role("button", name="Опустить вопрос 1 ниже")).to_be_focused()
    expect(page.get_by_test_id("announce-problems")).to_have_count(0)
    page.screenshot(path=shots / "chair-meeting-desktop.png", full_page=True)

    page.get_by_role("link", name="Изменить вопрос 1").click()
    edit = page.get_by_test_id("agenda-edit")
    expect(edit.get_by_label("Вопрос")).to_be_focused()
    edit.get_by_label("Докладчики (текстом)").fill("М.А. Иванова, член совета")
    page.screenshot(path=shots / "chair-agenda-edit-desktop.png", full_page=True)
    edit.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_test_id("agenda").get_by_role("listitem").first).to_contain_text(
        "М.А. Иванова, член совета"
    )
    expect(page.get_by_test_id("agenda-edit")).to_have_count(0)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Объявить").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.ANNOUNCED
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Выборы совета РУМО",
        "Опыт работы библиотеки <ЧПК>",
    ]
    assert errors == []


def test_member_opens_the_agenda_on_a_phone_and_answers(phone_page, member, library, shots):
    meeting = announced(library, agenda=("Современные подходы к обслуживанию", "Анализ работы"))
    held(library, [member], topic="Анализ работы РУМО за год")
    page = phone_page
    errors = console_errors(page)
    log_in(page, member)

    page.get_by_role("button", name="Открыть меню").tap()
    page.get_by_role("link", name="Заседания", exact=True).tap()
    expect(page.get_by_test_id("upcoming")).to_contain_text("Заседание №")
    assert fits_the_screen(page)
    page.screenshot(path=shots / "member-list-375.png", full_page=True)
    page.get_by_test_id(f"meeting-{meeting.pk}").tap()

    expect(page.get_by_test_id("agenda")).to_contain_text("Современные подходы к обслуживанию")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Буду", exact=True).tap()
    expect(page.get_by_test_id("my-answer")).to_contain_text("Вы ответили: «буду».")
    expect(page.get_by_role("button", name="Буду", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.screenshot(path=shots / "member-meeting-375.png", full_page=True)
    assert Response.objects.get().answer == "yes"

    page.get_by_role("button", name="Повестка в PDF").tap()
    expect(page.get_by_role("link", name="Скачать повестку (PDF)")).to_be_visible()
    assert fits_the_screen(page)
    assert errors == []


def test_member_opens_the_agenda_from_the_dashboard_and_answers(signed_in, member, library):
    meeting = announced(library, agenda=("Обзор профессиональных источников",))
    page = signed_in(member)
    errors = console_errors(page)

    page.get_by_test_id("dashboard-meetings").get_by_test_id(f"meeting-{meeting.pk}").click()
    expect(page.get_by_test_id("agenda")).to_contain_text("Обзор профессиональных источников")
    page.get_by_role("button", name="Не буду", exact=True).click()
    expect(page.get_by_test_id("my-answer")).to_contain_text("«не буду»")
    assert Response.objects.get(meeting=meeting, member=member).answer == "no"
    assert errors == []


def test_chair_records_attendance_and_minutes_then_approves(
    signed_in, chair, council, member, library, shots
):
    rank_and_file(library, 3)  # six members: four make a quorum
    meeting = planned(library, starts_in=-timedelta(hours=1),
                      agenda=("Выборы Совета РУМО", "Положение о конкурсе"))  # fmt: skip
    page = signed_in(chair)
    errors = console_errors(page)
    page.goto(reverse("meetings:detail", args=[meeting.pk]))

    page.get_by_role("link", name="Отметить присутствие").click()
    quorum = page.locator("[data-quorum]")
    expect(quorum).to_contain_text("кворума нет")
    for person in ("Лоскутова", "Иванова", "Васильева"):
        page.get_by_label(re.compile(person)).check()
    expect(quorum).to_contain_text("Отмечено: 3 из 6 — кворума нет")
    page.get_by_role("button", name="Отметить всех").click()
    expect(quorum).to_contain_text("Отмечено: 6 из 6 — кворум есть")
    page.get_by_label("Приглашённые гости").fill("1")
    page.screenshot(path=shots / "chair-attendance-desktop.png", full_page=True)
    page.get_by_role("button", name="Сохранить и перейти к протоколу").click()

    expect(page.get_by_test_id("quorum")).to_contain_text("присутствовали 6 из 6")
    first = page.get_by_test_id("item-minutes-1")
    first.get_by_label("СЛУШАЛИ").fill("Лоскутову С.Н. — о составе Совета.")
    first.get_by_label("РЕШИЛИ").fill("Избрать Совет РУМО.")
    first.get_by_label("За").fill("8")
    first.get_by_role("button", name="Сохранить вопрос 1").click()
    expect(page.get_by_test_id("item-minutes-1")).to_contain_text(
        "Голосов (8) больше, чем присутствовало вместе с гостями (7)."
    )
    page.get_by_test_id("item-minutes-1").get_by_label("За").fill("6")
    page.get_by_test_id("item-minutes-1").get_by_role("button", name="Сохранить вопрос 1").click()
    expect(page.get_by_text("Сохранено")).to_be_visible()
    second = page.get_by_test_id("item-minutes-2")
    second.get_by_label("РЕШИЛИ").fill("Утвердить Положение о конкурсе.")
    second.get_by_role("button", name="Сохранить вопрос 2").click()
    expect(page.get_by_text("Сохранено")).to_have_count(2)
    signers = page.get_by_test_id("minutes-signers")
    expect(signers.get_by_label("Председатель заседания")).to_have_value("С.Н. Лоскутова")
    signers.get_by_label("Секретарь заседания").fill("М.А. Иванова")
    signers.get_by_role("button", name="Сохранить").click()
    page.screenshot(path=shots / "chair-minutes-desktop.png", full_page=True)

    page.get_by_role("link", name="Утвердить протокол…").click()
    page.get_by_role("button", name="Утвердить протокол").click()

    expect(page.locator("#minutes-heading")).to_contain_text("утверждён")
    expect(page.get_by_test_id("minutes")).to_contain_text("РЕШИЛИ: Избрать Совет РУМО.")
    expect(page.get_by_role("link", name="Скачать протокол (PDF)")).to_be_visible()
    page.screenshot(path=shots / "chair-approved-desktop.png", full_page=True)
    meeting.refresh_from_db()
    assert meeting.minutes_approved
    assert build_of("meetings.minutes", meeting).state == DocumentBuild.State.DONE
    assert errors == []


def test_the_approved_minutes_read_well_on_a_phone(phone_page, member, chair, library, shots):
    meeting = minuted(held(library, [member, chair], agenda=("Отчёт о работе за год",)))
    services.approve_minutes(meeting)
    page = phone_page
    log_in(page, member)

    page.goto(reverse("meetings:detail", args=[meeting.pk]))

    expect(page.get_by_test_id("minutes")).to_contain_text("РЕШИЛИ")
    assert fits_the_screen(page)
    assert page.viewport_size["width"] == PHONE["width"]
    page.screenshot(path=shots / "member-minutes-375.png", full_page=True)
