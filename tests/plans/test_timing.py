"""Timings are understood as people write them, and never rejected."""

import pytest

from plans.timing import parse_months


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("в течение года", (1, 12)),
        ("В течение года", (1, 12)),
        ("апрель-май", (4, 5)),
        ("октябрь - ноябрь", (10, 11)),
        ("январь, 2024 г.", (1, 1)),
        ("январь – март, 2024", (1, 3)),
        ("январь – март, 2024 г.", (1, 3)),
        ("по итогам года", (12, 12)),
        ("ноябрь, 2024 г. онлайн", (11, 11)),
        ("в мае", (5, 5)),
        ("I квартал", (1, 3)),
        ("2 квартал", (4, 6)),
        ("второе полугодие", (7, 12)),
        ("ноябрь – январь", (11, 12)),
    ],
)
def test_timing_is_understood_as_a_month_range(text, months):
    assert parse_months(text) == months


@pytest.mark.parametrize("text", ["", "по согласованию", "когда будет готово", "2024"])
def test_timing_that_cannot_be_understood_gives_no_range(text):
    assert parse_months(text) is None
