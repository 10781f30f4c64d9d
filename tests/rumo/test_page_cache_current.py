"""page_cache.cached_current: a value read with the current generations in one round trip."""

from unittest import mock

import pytest

from rumo import page_cache


@pytest.fixture
def built():
    calls = []

    def build():
        calls.append(1)
        return f"file {len(calls)}"

    build.calls = calls
    return build


def test_the_value_is_built_once_then_renewed_after_a_write(built):
    assert page_cache.cached_current(("docx", 1), built) == "file 1"
    assert page_cache.cached_current(("docx", 1), built) == "file 1"

    page_cache.bump()  # what any write to a shown table does

    assert page_cache.cached_current(("docx", 1), built) == "file 2"
    assert page_cache.cached_current(("docx", 2), built) == "file 3"  # other parts
    assert len(built.calls) == 3


def test_a_value_built_while_a_write_happened_is_not_served_after_it(built):
    def build_during_a_write():
        page_cache.bump()
        return built()

    assert page_cache.cached_current(("docx", 1), build_during_a_write) == "file 1"
    assert page_cache.cached_current(("docx", 1), built) == "file 2"


def test_a_cache_that_does_not_answer_means_building_every_time(built, settings):
    with mock.patch.object(page_cache.cache, "get_many", side_effect=ConnectionError):
        assert page_cache.cached_current(("docx", 1), built) == "file 1"
    page_cache._backend()._rumo_down_until = 0.0
    assert page_cache.cached_current(("docx", 1), built) == "file 2"
    assert page_cache.cached_current(("docx", 1), built) == "file 2"
