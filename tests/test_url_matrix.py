"""Every URL of the project, requested as every persona, gives the declared outcome."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories
from tests.conftest import PERSONAS
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


@pytest.fixture
def world(personas, library, philology):
    world = dict(personas, library=library, philology=philology)
    world["loginless"] = factories.MemberFactory(user=None)
    world.update(extend_world(world))
    return world


def extend_world(world):
    """Rows that later apps' routes need (plans, meetings…)."""
    from tests.world import build

    return build(world)


@pytest.mark.parametrize("name", sorted(ROUTES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_url_answers_persona_as_declared(client, world, name, persona):
    route = ROUTES[name]
    expected = route.expect[persona]
    if world[persona] is not None:
        client.force_login(world[persona].user)
    url = reverse(name, kwargs=route.kwargs(world))
    response = getattr(client, route.method)(url, route.data(world))
    response.close()  # a FileResponse holds its file open until closed
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif expected == REDIRECT:
        assert response.status_code == 302
        assert not response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
