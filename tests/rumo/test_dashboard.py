"""The home page: the welcome page for visitors, a dashboard of roles for members."""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

LIBRARY = "РУМО по библиотечному направлению"
PHILOLOGY = "РУМО филологов"
NO_ROLES = "Вы пока не состоите ни в одном объединении."
# Session, user, roles, permissions, the member's name, and each app's dashboard part,
# when nothing is cached yet; +1: the contests card; +1: when the next meeting starts
# (how long the whole page may be kept, rumo.public.next_meeting_start).
HOME_MAX_QUERIES = 12
# Once cached whole: the session and the user.
HOME_CACHED_QUERIES = 2


class _TextOf(HTMLParser):
    """Collect the text inside the first element carrying ``attribute="value"``."""

    def __init__(self, attribute, value):
        super().__init__()
        self.wanted = (attribute, value)
        self.depth = 0
        self.done = False
        self.found = False
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if self.depth:
            self.depth += 1
        elif self.wanted in attrs:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data):
        if self.depth and not self.done:
            self.parts.append(data)


def text_of(html: str, attribute: str, value: str) -> str | None:
    """Return the whitespace-normalised text of an element, or None when it is absent."""
    parser = _TextOf(attribute, value)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()) if parser.found else None


def home_as(client, member):
    client.force_login(member.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize(
    ("persona", "association", "roles"),
    [
        ("member", LIBRARY, ["член объединения"]),
        ("council", LIBRARY, ["член совета", "член объединения"]),
        ("chair", LIBRARY, ["председатель"]),
        ("curator", LIBRARY, ["куратор"]),
        ("approver", LIBRARY, ["утверждающий"]),
        ("other_chair", PHILOLOGY, ["председатель"]),
    ],
)
def test_each_persona_sees_its_association_and_roles(client, personas, persona, association, roles):
    html = home_as(client, personas[persona])

    my_roles = text_of(html, "data-testid", "my-roles")
    assert my_roles is not None
    assert association in my_roles
    for role in roles:
        assert role in my_roles
    other = PHILOLOGY if association == LIBRARY else LIBRARY
    assert other not in my_roles
    assert NO_ROLES not in html


def test_dashboard_greets_by_first_name_and_shows_initials(client, chair):
    html = home_as(client, chair)

    assert "Здравствуйте, Светлана!" in html
    assert text_of(html, "data-testid", "current-user") == "С.Н. Лоскутова"


def test_ended_roles_are_not_on_the_dashboard(client, chair, library):
    factories.MembershipFactory(
        member=chair, association=library, role=Membership.Role.SECRETARY, end="2024-06-30"
    )

    my_roles = text_of(home_as(client, chair), "data-testid", "my-roles")

    assert "секретарь" not in my_roles


def test_member_without_roles_is_told_whom_to_ask(client, db):
    loner = factories.person("loner", last_name="Одинокова", first_name="Инна")

    html = home_as(client, loner)

    assert NO_ROLES in html
    assert text_of(html, "data-testid", "my-roles") is None


def test_anonymous_visitor_sees_the_welcome_page_with_the_associations(client, library, philology):
    response = client.get(reverse("home"))

    assert [t.name for t in response.templates][0] == "rumo/welcome.html"
    html = response.text
    assert "Rumo — портал учебно-методических объединений" in html
    assert LIBRARY in html and PHILOLOGY in html
    assert f'href="{reverse("login")}"' in html
    assert "Мои объединения и роли" not in html
    assert "Выйти" not in html


def test_staff_sees_the_staff_links(client, staff):
    html = home_as(client, staff)

    assert "Для сотрудника" in html
    assert f'href="{reverse("members:people")}"' in html
    assert f'href="{reverse("admin:index")}"' in html


def test_members_do_not_see_the_staff_links(client, chair):
    html = home_as(client, chair)

    assert "Для сотрудника" not in html
    assert reverse("members:people") not in html
    assert reverse("admin:index") not in html


def test_only_staff_have_people_and_roles_in_the_navigation(client, personas):
    for name, persona in personas.items():
        client.logout()
        if persona is not None:
            client.force_login(persona.user)
        html = client.get(reverse("home")).text
        menu = text_of(html, "aria-label", "Главное меню")
        assert menu is not None, name
        assert ("Люди и роли" in menu) is (name == "staff"), name
        assert ("Администрирование" in menu) is (name == "staff"), name


def test_home_page_query_count_is_small_and_does_not_grow_with_roles(
    client, chair, philology, django_assert_max_num_queries
):
    client.force_login(chair.user)
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        client.get(reverse("home"))
    with django_assert_max_num_queries(HOME_CACHED_QUERIES):
        client.get(reverse("home"))
    cache.clear()  # compare computing the dashboard, not reading it from the cache
    with CaptureQueriesContext(connection) as few_roles:
        client.get(reverse("home"))

    for role in (Membership.Role.COUNCIL, Membership.Role.SECRETARY):
        for association in (philology, factories.AssociationFactory()):
            factories.MembershipFactory(member=chair, association=association, role=role)

    with django_assert_max_num_queries(len(few_roles)):
        html = client.get(reverse("home")).text
    assert "секретарь" in text_of(html, "data-testid", "my-roles")
