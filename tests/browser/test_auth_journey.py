"""Signing in and out in a real browser, on a desktop and on a phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def console_errors(page):
    """Collect the page's console errors (CSP violations and failed loads show up here)."""
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_chair_signs_in_sees_her_association_and_signs_out(page, chair, base_url, tmp_path):
    errors = console_errors(page)
    page.goto(reverse("home"))
    page.get_by_role("link", name="Войти").first.click()

    expect(page).to_have_title(re.compile("^Вход"))
    expect(page.get_by_role("heading", name="Вход в Rumo")).to_be_visible()
    page.get_by_label("Имя пользователя").fill("svetlana")
    page.get_by_label("Пароль").fill("correct horse battery staple")
    page.get_by_role("button", name="Войти").click()

    expect(page).to_have_url(base_url + reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравствуйте, Светлана!")
    roles = page.get_by_test_id("my-roles")
    expect(roles).to_contain_text("РУМО по библиотечному направлению")
    expect(roles).to_contain_text("председатель")
    expect(page.get_by_test_id("current-user")).to_have_text("С.Н. Лоскутова")
    expect(page.get_by_role("link", name="Люди и роли")).to_have_count(0)
    screenshot = tmp_path / "chair-dashboard.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000

    # Signing out is in the menu under the person's name.
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name="Выйти").click()

    expect(page).to_have_url(base_url + reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rumo — портал учебно-методических объединений"
    )
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    assert errors == []


def test_staff_dashboard_links_to_people_and_admin(signed_in, staff):
    page = signed_in(staff)

    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Люди и роли"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Люди и роли")
    expect(page.get_by_role("cell", name="Григорьева Анна Сергеевна")).to_be_visible()


def test_login_form_fits_a_phone_and_the_menu_collapses(phone_page, chair, base_url):
    page = phone_page
    errors = console_errors(page)
    page.goto(reverse("login"))

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for field in (page.get_by_label("Имя пользователя"), page.get_by_label("Пароль")):
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= 32  # big enough for a finger
    log_in(page, chair)

    menu_button = page.get_by_role("button", name="Открыть меню")
    sign_out = page.get_by_role("button", name="Выйти")
    expect(menu_button).to_be_visible()
    expect(sign_out).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    menu_button.tap()
    expect(page.get_by_role("link", name="Главная")).to_be_visible()
    page.get_by_test_id("current-user").tap()
    expect(sign_out).to_be_visible()
    sign_out.tap()

    expect(page).to_have_url(base_url + reverse("home"))
    expect(page.get_by_role("link", name="Войти").first).to_be_visible()
    assert errors == []
