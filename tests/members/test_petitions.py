"""The award petition's data: what round two's PDF template will print."""

from datetime import date

import pytest

from members.petitions import award_petition
from tests.members.conftest import CANARY

pytestmark = pytest.mark.django_db


def test_the_petition_lists_the_selected_members_with_awards_and_recent_courses(
    natalia, chair, django_assert_num_queries
):
    with django_assert_num_queries(3):
        rows = award_petition([chair.pk, natalia.pk], on=date(2025, 11, 1))

    assert [(r.number, r.full_name) for r in rows] == [
        (1, "Васильева Наталья Ивановна"), (2, "Лоскутова Светлана Николаевна"),
    ]  # fmt: skip
    assert rows[0].awards == [f"Грамота {CANARY} (2023)"]
    assert rows[0].recent_courses == ["Цифровые сервисы, 36 ч., 2024"]
    assert (rows[0].total_experience, rows[0].library_experience) == (12, 7)
