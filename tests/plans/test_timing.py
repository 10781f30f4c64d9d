"""Timings are understood as people write them, as months within the plan's period."""

import pytest

from plans.timing import parse_months

CALENDAR = [
    ("в течение года", set(range(1, 13))),
    ("В течение года", set(range(1, 13))),
    ("в течение 2024–2025 учебного года", set(range(1, 13))),
    ("ежемесячно", set(range(1, 13))),
    ("апрель-май", {4, 5}),
    ("октябрь - ноябрь", {10, 11}),
    ("январь, 2024 г.", {1}),
    ("январь – март, 2024", {1, 2, 3}),
    ("январь – март, 2024 г.", {1, 2, 3}),
    ("с января по март", {1, 2, 3}),
    ("по итогам года", {12}),
    ("ноябрь, 2024 г. онлайн", {11}),
    ("в мае", {5}),
    ("I квартал", {1, 2, 3}),
    ("2 квартал", {4, 5, 6}),
    ("ежеквартально", {3, 6, 9, 12}),
    ("второе полугодие", set(range(7, 13))),
    ("I полугодие", set(range(1, 7))),
    # A range wraps over New Year; a list is a list, not a range.
    ("ноябрь – январь", {11, 12, 1}),
    ("сентябрь–май", {9, 10, 11, 12, 1, 2, 3, 4, 5}),
    ("май, сентябрь", {5, 9}),
    ("март и октябрь", {3, 10}),
]


@pytest.mark.parametrize(("text", "months"), CALENDAR)
def test_timing_is_understood_as_months_of_a_calendar_year(text, months):
    assert parse_months(text) == months


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("I полугодие", {9, 10, 11, 12}),
        ("II полугодие", {1, 2, 3, 4, 5, 6}),
        ("по итогам учебного года", {6}),
        ("сентябрь–май", {9, 10, 11, 12, 1, 2, 3, 4, 5}),
    ],
)
def test_halves_and_the_end_of_an_academic_year_are_counted_from_september(text, months):
    assert parse_months(text, first_month=9) == months


@pytest.mark.parametrize(
    "text",
    ["", "по согласованию", "когда будет готово", "2024", "Маяковский", "Мартынов", "Майкоп"],
)
def test_timing_that_cannot_be_understood_gives_no_months(text):
    """Month names count as whole words only: «Маяковский» is not May."""
    assert parse_months(text) == set()
