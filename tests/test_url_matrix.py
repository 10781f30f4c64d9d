"""Every URL of the project, requested as every persona, gives the declared outcome."""

import shutil

import pytest
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories
from tests.conftest import PERSONAS, build_library, build_personas, build_philology
from tests.matrix import IGNORED_PREFIXES, LOGIN, REDIRECT, ROUTES


def url_names(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def project_url_names():
    return sorted(
        {n for n in url_names() if n == "admin:index" or not n.startswith(IGNORED_PREFIXES)}
    )


def test_every_url_pattern_declares_who_may_open_it():
    undeclared = [name for name in project_url_names() if name not in ROUTES]
    assert undeclared == [], f"add these URL names to tests/matrix.py: {undeclared}"


def test_no_declaration_is_stale():
    assert set(ROUTES) - set(project_url_names()) == set()


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix") / "media"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, matrix_media):
    """Build the world once for the module, inside a transaction rolled back at its end.

    Each test runs in its own savepoint (``db`` below), rolled back after
    it, so what one request changes never reaches the next. Not pytest-django's
    ``db``: its teardown closes the connection, and with it this transaction.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=matrix_media),
        transaction.atomic(),
    ):
        library, philology = build_library(), build_philology()
        world = dict(build_personas(library, philology), library=library, philology=philology)
        world["loginless"] = factories.MemberFactory(user=None)
        world.update(extend_world(world))
        yield world
        transaction.set_rollback(True)


def close(response) -> None:
    """Close a response (a FileResponse holds its file open until closed) as the test
    client closes the ones it does not stream: without ``request_finished`` closing the
    database connection, and with it the world's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture
def db(world, django_db_blocker):
    """pytest-django's ``db`` for this module: a savepoint in the world's transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """A test of the world gets its own copy of the world's files (a request may delete one)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if "world" in request.fixturenames:
        request.getfixturevalue("world")
        shutil.copytree(request.getfixturevalue("matrix_media"), settings.MEDIA_ROOT)
    cache.clear()


def extend_world(world):
    """Rows that later apps' routes need (plans, meetings…)."""
    from tests.world import build

    return build(world)


@pytest.mark.parametrize("name", sorted(ROUTES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_url_answers_persona_as_declared(db, client, world, name, persona):
    route = ROUTES[name]
    expected = route.expect[persona]
    if world[persona] is not None:
        client.force_login(world[persona].user)
    url = reverse(name, kwargs=route.kwargs(world))
    response = getattr(client, route.method)(url, route.data(world))
    close(response)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif expected == REDIRECT:
        assert response.status_code == 302
        assert not response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
