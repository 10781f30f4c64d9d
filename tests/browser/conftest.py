"""Browser harness: pytest-playwright drives the system Chromium against ``live_server``.

Browser tests are marked ``@pytest.mark.browser`` and need committed rows the
server thread can see, so they use ``transactional_db`` (``live_server`` asks
for it too). Playwright's sync API runs an event loop in the test thread;
tests/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE so the ORM still works there.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium: ``playwright install`` cannot download browsers here."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


# pytest-playwright starts Playwright once per session. While it runs, its sync API
# keeps an asyncio loop running in the main thread, and every later test that calls
# asyncio.run() (pyHanko signs PDFs that way) fails. So Playwright, the browser and
# the context arguments live only as long as this package's tests.


@pytest.fixture(scope="package")
def playwright():
    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def browser(browser_type, browser_type_launch_args):
    browser = browser_type.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def base_url(live_server):
    """Let ``page.goto(reverse(...))`` take paths relative to the live server."""
    return live_server.url


@pytest.fixture(scope="package")
def browser_context_args(base_url):
    # Russian users: Accept-Language ru, dates shown as дд.мм.гггг, Moscow time.
    return {"base_url": base_url, "locale": "ru-RU", "timezone_id": "Europe/Moscow"}


@pytest.fixture
def phone_page(new_context) -> Page:
    """A page in a 375 px wide viewport with touch, as on a small phone."""
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    return context.new_page()


def log_in(page: Page, member, password: str = PASSWORD) -> Page:
    """Sign in through the real login form as the member; wait for the dashboard."""
    page.goto(reverse("login"))
    page.get_by_label("Имя пользователя").fill(member.user.username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Здравствуйте")
    return page


@pytest.fixture
def signed_in(page):
    """Return a function that signs ``page`` in as a persona: ``signed_in(chair)``."""

    def sign_in(member, password: str = PASSWORD) -> Page:
        return log_in(page, member, password)

    return sign_in


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: $RUMO_SCREENSHOTS to keep them, else the test's tmp dir."""
    folder = Path(os.environ.get("RUMO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
