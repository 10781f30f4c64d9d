"""Personas: the people whose eyes the tests look through.

Each persona has a plain builder function (``build_chair(library)`` …) and a
fixture that calls it; tests that build their rows once per module (the URL
matrix, tests/test_url_matrix.py) call the builders directly.
"""

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
def redis_cache(settings):
    """The production cache backend (rumo.cache on Redis) under a key prefix of the test's
    own, removed afterwards (not cache.clear(): that would empty the whole database)."""
    if not getattr(settings, "REDIS_URL", ""):
        pytest.skip("needs Redis: set REDIS_URL (./run test starts Redis and sets it)")
    import uuid

    import redis

    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "rumo.cache.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def build_library():
    parent = factories.AssociationFactory(
        slug="pedagogy", name="РУМО педагогических работников", short_name="РУМО ПР"
    )
    return factories.AssociationFactory(
        slug="library",
        name="РУМО по библиотечному направлению",
        short_name="РУМО библиотекарей",
        parent=parent,
    )


def build_philology():
    return factories.AssociationFactory(
        slug="philology", name="РУМО филологов", short_name="РУМО филологов"
    )


def holding(member, association, *roles, title=""):
    for role in roles:
        factories.MembershipFactory(member=member, association=association, role=role, title=title)
    return member


def build_chair(library):
    """Svetlana, chair of the library association."""
    member = factories.person(
        "svetlana", last_name="Лоскутова", first_name="Светлана", patronymic="Николаевна"
    )
    return holding(
        member, library, Role.CHAIR, title="Председатель РУМО по библиотечному направлению"
    )


def build_council(library):
    """Marina, elected to the council."""
    member = factories.person(
        "marina", last_name="Иванова", first_name="Марина", patronymic="Алексеевна"
    )
    return holding(member, library, Role.COUNCIL, Role.MEMBER)


def build_member(library):
    """Natalia, an ordinary librarian."""
    member = factories.person(
        "natalia", last_name="Васильева", first_name="Наталья", patronymic="Ивановна"
    )
    return holding(member, library, Role.MEMBER)


def build_curator(library):
    """Olga, curator who agrees the plan."""
    member = factories.person(
        "olga", last_name="Кузнецова", first_name="Ольга", patronymic="Борисовна"
    )
    return holding(
        member, library, Role.CURATOR, title="Куратор, член Координационного Совета РУМО"
    )


def build_approver(library):
    """Lyudmila, chair of the parent body, who approves the plan."""
    member = factories.person(
        "lyudmila", last_name="Рудакова", first_name="Людмила", patronymic="Петровна"
    )
    return holding(
        member, library, Role.APPROVER, title="Председатель РУМО педагогических работников"
    )


def build_staff():
    """Anna, office staff acting across associations."""
    return factories.person(
        "anna", last_name="Григорьева", first_name="Анна", patronymic="Сергеевна", is_staff=True
    )


def build_other_chair(philology):
    """Tatiana, chair of the philologists: an outsider to the library association."""
    member = factories.person(
        "tatiana", last_name="Семёнова", first_name="Татьяна", patronymic="Юрьевна"
    )
    return holding(member, philology, Role.CHAIR)


@pytest.fixture
def library(db):
    return build_library()


@pytest.fixture
def philology(db):
    return build_philology()


@pytest.fixture
def chair(library):
    return build_chair(library)


@pytest.fixture
def council(library):
    return build_council(library)


@pytest.fixture
def member(library):
    return build_member(library)


@pytest.fixture
def curator(library):
    return build_curator(library)


@pytest.fixture
def approver(library):
    return build_approver(library)


@pytest.fixture
def staff(db):
    return build_staff()


@pytest.fixture
def other_chair(philology):
    return build_other_chair(philology)


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


def build_personas(library, philology) -> dict:
    """Every persona, built in the order the fixtures build them."""
    return {
        "anonymous": None,
        "member": build_member(library),
        "council": build_council(library),
        "chair": build_chair(library),
        "curator": build_curator(library),
        "approver": build_approver(library),
        "staff": build_staff(),
        "other_chair": build_other_chair(philology),
    }


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
