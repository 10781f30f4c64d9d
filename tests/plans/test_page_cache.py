"""Cached page parts (rumo/page_cache.py): a change shows on the next request, and
nobody sees another user's parts."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contests.models import Contest
from meetings.models import Meeting
from members.models import Member
from plans import demo
from plans.models import Item
from plans.services import mark_execution, update_item
from plans.views.pages import CSRF_SLOT
from tests.contests import draft_contest


@pytest.fixture
def approved(library, philology):
    return demo.load({"library": library, "philology": philology}).revisions.get()


def an_event(revision) -> Item:
    return Item.objects.filter(section__revision=revision, section__kind="events").first()


def test_an_approved_plan_shows_an_execution_mark_on_the_next_request(client, approved, chair):
    item = an_event(approved)
    item.execution = Item.Execution.PLANNED
    item.save()
    url = approved.get_absolute_url()
    planned = f'id="item-{item.pk}" class="plan-item plan-execution-planned"'
    assert planned in client.get(url).text  # now cached
    mark_execution(item, by=chair, execution=Item.Execution.DONE, note="Проведено в срок")

    page = client.get(url).content.decode()
    assert f'id="item-{item.pk}" class="plan-item plan-execution-done"' in page
    assert "Проведено в срок" in page


def test_a_changed_row_of_an_approved_plan_shows_on_the_next_request(client, approved):
    item = an_event(approved)
    client.get(approved.get_absolute_url())
    item.text = "Новый текст пункта для проверки кэша"
    item.save()
    assert "Новый текст пункта для проверки кэша" in client.get(approved.get_absolute_url()).text


def test_a_change_in_the_draft_editor_shows_on_the_next_request(client, draft, chair):
    client.force_login(chair.user)
    item = Item.objects.filter(section__revision=draft).first()
    client.get(draft.get_absolute_url())
    # versioned_update() changes the row with QuerySet.update(): no signal is sent.
    update_item(item, by=chair, version=item.version, text="Исправленный пункт плана")
    assert "Исправленный пункт плана" in client.get(draft.get_absolute_url()).text


def test_cached_editor_rows_carry_the_readers_own_csrf_token(draft, chair, council):
    item = Item.objects.filter(section__revision=draft).first()
    pages = []
    for person in (chair, chair):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(person.user)
        page = browser.get(draft.get_absolute_url()).text
        assert CSRF_SLOT not in page
        pages.append((browser, page))
    # The second page came from the cache; its move form posts with the token it shows.
    browser, page = pages[1]
    form = re.search(
        rf'action="{reverse("plans:item-move", args=[item.pk])}".*?'
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
        re.S,
    )
    response = browser.post(
        reverse("plans:item-move", args=[item.pk]),
        {"csrfmiddlewaretoken": form.group(1), "index": "0"},
    )
    assert response.status_code != 403


def test_each_user_sees_their_own_menu_and_dashboard(member, staff):
    seen = {}
    for person in (member, staff, member, staff):  # the second round comes from the cache
        browser = Client()
        browser.force_login(person.user)
        seen.setdefault(person.pk, []).append(browser.get(reverse("home")).text)
    people = reverse("members:people")
    for page in seen[member.pk]:
        assert f'href="{people}"' not in page
        assert member.first_name in page
    for page in seen[staff.pk]:
        assert f'href="{people}"' in page


def test_a_new_permission_shows_in_the_menu_on_the_next_request(client, member):
    client.force_login(member.user)
    people = reverse("members:people")
    assert f'href="{people}"' not in client.get(reverse("home")).text
    member.user.is_staff = True  # office staff manage people (members.rules)
    member.user.save()
    assert f'href="{people}"' in client.get(reverse("home")).text


def test_an_announced_meeting_shows_in_the_public_feed_on_the_next_request(client, library):
    feed = reverse("notices:public-feed")
    assert b"VEVENT" not in client.get(feed).content
    Meeting.objects.create(
        association=library,
        year=timezone.localdate().year + 1,
        number=7,
        starts_at=timezone.now() + timedelta(days=30),
        status=Meeting.Status.ANNOUNCED,
        announced_at=timezone.now(),
    )
    assert b"VEVENT" in client.get(feed).content


def test_pages_render_when_the_cache_does_not_answer(client, approved, settings):
    # Redis down: nothing listens on port 1.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    response = client.get(approved.get_absolute_url())
    assert response.status_code == 200
    assert an_event(approved).text[:30] in response.text


def rows_rendered(client, url) -> int:
    """How many editor rows a request renders (the others come from the cache)."""
    from plans.views import pages

    with mock.patch.object(pages, "render_to_string", wraps=pages.render_to_string) as render:
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    return sum(1 for call in render.call_args_list if call.args[0].endswith("#item"))


def test_editor_rows_are_not_rendered_again_after_writes_elsewhere(client, draft, chair, member):
    client.force_login(chair.user)
    url = draft.get_absolute_url()
    assert rows_rendered(client, url) > 0
    member.first_name = "Анастасия"  # a write the rows do not show
    member.save()
    assert rows_rendered(client, url) == 0


def test_what_a_row_takes_from_its_contest_and_people_shows_at_once(client, draft, chair, library):
    client.force_login(chair.user)
    contest = draft_contest(library, title="Библиотекарь года")
    item = Item.objects.filter(section__revision=draft, section__kind="events").first()
    Item.objects.filter(pk=item.pk).update(contest=contest)
    item.responsible_members.set([chair])
    url = draft.get_absolute_url()
    assert "Библиотекарь года" in client.get(url).text
    Contest.objects.filter(pk=contest.pk).update(title="Библиотекарь десятилетия")
    chair.last_name = "Лоскутова-Иванова"
    chair.save()
    page = client.get(url).text
    assert "Библиотекарь десятилетия" in page
    assert Member.objects.get(pk=chair.pk).short_name in page
