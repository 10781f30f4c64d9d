"""Personas: the people whose eyes the tests look through."""

import os

import pytest

from members.models import Membership
from tests import factories

pytest_plugins = ["tests.celery_support"]

Role = Membership.Role
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered pages cached by one test must not show up in the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library(db):
    parent = factories.AssociationFactory(
        slug="pedagogy", name="РУМО педагогических работников", short_name="РУМО ПР"
    )
    return factories.AssociationFactory(
        slug="library",
        name="РУМО по библиотечному направлению",
        short_name="РУМО библиотекарей",
        parent=parent,
    )


@pytest.fixture
def philology(db):
    return factories.AssociationFactory(
        slug="philology", name="РУМО филологов", short_name="РУМО филологов"
    )


def holding(member, association, *roles, title=""):
    for role in roles:
        factories.MembershipFactory(member=member, association=association, role=role, title=title)
    return member


@pytest.fixture
def chair(library):
    """Svetlana, chair of the library association."""
    member = factories.person(
        "svetlana", last_name="Лоскутова", first_name="Светлана", patronymic="Николаевна"
    )
    return holding(
        member, library, Role.CHAIR, title="Председатель РУМО по библиотечному направлению"
    )


@pytest.fixture
def council(library):
    """Marina, elected to the council."""
    member = factories.person(
        "marina", last_name="Иванова", first_name="Марина", patronymic="Алексеевна"
    )
    return holding(member, library, Role.COUNCIL, Role.MEMBER)


@pytest.fixture
def member(library):
    """Natalia, an ordinary librarian."""
    member = factories.person(
        "natalia", last_name="Васильева", first_name="Наталья", patronymic="Ивановна"
    )
    return holding(member, library, Role.MEMBER)


@pytest.fixture
def curator(library):
    """Olga, curator who agrees the plan."""
    member = factories.person(
        "olga", last_name="Кузнецова", first_name="Ольга", patronymic="Борисовна"
    )
    return holding(
        member, library, Role.CURATOR, title="Куратор, член Координационного Совета РУМО"
    )


@pytest.fixture
def approver(library):
    """Lyudmila, chair of the parent body, who approves the plan."""
    member = factories.person(
        "lyudmila", last_name="Рудакова", first_name="Людмила", patronymic="Петровна"
    )
    return holding(
        member, library, Role.APPROVER, title="Председатель РУМО педагогических работников"
    )


@pytest.fixture
def staff(db):
    """Anna, office staff acting across associations."""
    return factories.person(
        "anna", last_name="Григорьева", first_name="Анна", patronymic="Сергеевна", is_staff=True
    )


@pytest.fixture
def other_chair(philology):
    """Tatiana, chair of the philologists: an outsider to the library association."""
    member = factories.person(
        "tatiana", last_name="Семёнова", first_name="Татьяна", patronymic="Юрьевна"
    )
    return holding(member, philology, Role.CHAIR)


PERSONAS = [
    "anonymous",
    "member",
    "council",
    "chair",
    "curator",
    "approver",
    "staff",
    "other_chair",
]


@pytest.fixture
def personas(member, council, chair, curator, approver, staff, other_chair):
    return {
        "anonymous": None,
        "member": member,
        "council": council,
        "chair": chair,
        "curator": curator,
        "approver": approver,
        "staff": staff,
        "other_chair": other_chair,
    }


@pytest.fixture
def login(client):
    """Return a function that signs the test client in as a member."""

    def sign_in(member):
        client.logout()
        if member is not None:
            client.force_login(member.user)
        return client

    return sign_in
