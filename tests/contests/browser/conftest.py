"""The browser harness of tests/browser, for the contest journeys."""

from tests.browser.conftest import *  # noqa: F403 (fixtures)
