"""Roles and logins through the service functions the views and other apps call."""

from datetime import date

import pytest
from django.contrib.auth import authenticate

from members import services
from members.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db
Role = Membership.Role
START = date(2024, 9, 1)


def test_assign_role_is_idempotent_per_start_date(member, library):
    first = services.assign_role(member, association=library, role=Role.COUNCIL, start=START)
    again = services.assign_role(
        member, association=library, role=Role.COUNCIL, start=START, title="Член совета"
    )

    assert again.pk == first.pk
    assert member.memberships.filter(role=Role.COUNCIL).count() == 1
    assert member.memberships.get(role=Role.COUNCIL).title == "Член совета"


def test_assign_role_without_a_start_date_is_idempotent_too(member, library):
    services.assign_role(member, association=library, role=Role.SECRETARY)
    services.assign_role(member, association=library, role=Role.SECRETARY)

    assert member.memberships.filter(role=Role.SECRETARY).count() == 1


def test_a_new_term_of_the_same_role_is_a_new_row(member, library):
    services.assign_role(
        member,
        association=library,
        role=Role.COUNCIL,
        start=date(2022, 1, 1),
        end=date(2023, 12, 31),
    )
    services.assign_role(member, association=library, role=Role.COUNCIL, start=date(2024, 1, 1))

    terms = member.memberships.filter(role=Role.COUNCIL).order_by("start")
    assert [(t.start, t.end) for t in terms] == [
        (date(2022, 1, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), None),
    ]
    assert [t.is_active for t in terms] == [False, True]


def test_end_role_closes_the_term_and_keeps_the_row(chair):
    role = chair.memberships.get(role=Role.CHAIR)

    services.end_role(role, on=date(2025, 8, 31))

    role.refresh_from_db()
    assert role.end == date(2025, 8, 31)
    assert not role.is_active
    assert not Membership.objects.active().filter(pk=role.pk).exists()
    assert Membership.objects.active(on=date(2025, 8, 31)).filter(pk=role.pk).exists()


def test_end_role_never_ends_a_term_before_it_started(member, library):
    role = services.assign_role(member, association=library, role=Role.COUNCIL, start=START)

    services.end_role(role, on=date(2024, 1, 1))

    role.refresh_from_db()
    assert role.end == START


def test_create_login_without_a_password_leaves_it_unusable(db):
    newcomer = factories.MemberFactory(first_name="Дарья", last_name="Новикова")

    user = services.create_login(newcomer, username="novikova")

    newcomer.refresh_from_db()
    assert newcomer.user == user
    assert (user.first_name, user.last_name, user.email) == ("Дарья", "Новикова", newcomer.email)
    assert not user.has_usable_password()


def test_create_login_with_a_password_can_sign_in(rf, db):
    newcomer = factories.MemberFactory()

    services.create_login(newcomer, username="newcomer", password="пароль для входа 2024")

    user = authenticate(rf.post("/"), username="newcomer", password="пароль для входа 2024")
    assert user == newcomer.user
