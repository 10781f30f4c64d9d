"""Whole pages served from the cache (rumo/page_cache.py, ``whole_page``): a change shows
at once to everyone, nobody sees another reader's page, and the per-request parts (CSRF
token, CSP nonce, messages) stay per request."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from plans import demo
from plans.models import Item
from rumo import page_cache
from rumo.models import DocumentBuild, OutboxMessage
from tests.meetings import announced

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
HX_TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]{64})"')


@pytest.fixture
def approved(library, philology):
    return demo.load({"library": library, "philology": philology}).revisions.get()


def signed_in(person, **kwargs) -> Client:
    browser = Client(**kwargs)
    browser.force_login(person.user)
    return browser


def text_of(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</section>", start)]


def queries_of(browser, url, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url, headers=headers)
    return len(queries), response


# Served from the cache, and anew after any change


def test_a_visitors_second_request_makes_no_query(client, approved):
    url = approved.get_absolute_url()
    first, _ = queries_of(client, url)
    second, response = queries_of(client, url)
    assert first > 0
    assert second == 0
    assert response.status_code == 200
    assert "plan-paper" in response.text


def test_a_members_second_request_reads_only_the_session_and_the_user(member):
    browser = signed_in(member)
    queries_of(browser, reverse("home"))
    count, response = queries_of(browser, reverse("home"))
    assert count == 2
    assert member.first_name in response.text


def test_a_change_by_one_user_shows_at_once_to_another(library, member, chair):
    reader = signed_in(member)
    assert "Заседание о новых фондах" not in reader.get(reverse("home")).text
    reader.get(reverse("home"))  # cached
    announced(library, topic="Заседание о новых фондах")  # by the chair, in another request
    assert "Заседание о новых фондах" in reader.get(reverse("home")).text


def test_a_change_made_with_queryset_update_shows_on_the_next_request(client, approved):
    item = Item.objects.filter(section__revision=approved).first()
    client.get(approved.get_absolute_url())
    # No signal is sent: the write itself moves the generation on.
    Item.objects.filter(pk=item.pk).update(text="Пункт, исправленный одним запросом")
    assert "Пункт, исправленный одним запросом" in client.get(approved.get_absolute_url()).text


def test_a_meeting_that_starts_leaves_the_upcoming_list_of_a_cached_page(library, member):
    meeting = announced(library, starts_in=timedelta(hours=2), topic="Скорое заседание")
    reader = signed_in(member)
    assert "Скорое заседание" in reader.get(reverse("home")).text
    assert "Скорое заседание" in reader.get(reverse("home")).text  # from the cache
    later = meeting.starts_at + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Скорое заседание" not in reader.get(reverse("home")).text


# Each reader their own page


def test_a_reader_never_gets_another_readers_page(member, council):
    url = reverse("meetings:list")
    pages = {}
    for person in (member, council, member, council):  # the second round from the cache
        pages.setdefault(person, []).append(signed_in(person).get(url).text)
    for page in pages[member]:
        assert member.short_name in page and council.short_name not in page
    for page in pages[council]:
        assert council.short_name in page and member.short_name not in page


def test_a_signed_out_tab_is_not_served_the_signed_in_page(member):
    browser = signed_in(member)
    assert member.first_name in browser.get(reverse("home")).text
    signed_in_page = browser.get(reverse("home"))  # cached
    assert member.first_name in signed_in_page.text
    old_session = browser.cookies["sessionid"].value
    browser.post(reverse("logout"))

    page = browser.get(reverse("home"), headers={"If-None-Match": signed_in_page["ETag"]})
    assert page.status_code == 200
    assert member.first_name not in page.text
    other_tab = Client()
    other_tab.cookies["sessionid"] = old_session
    page = other_tab.get(reverse("home")).text
    assert member.first_name not in page
    assert reverse("login") in page


def test_a_visitor_is_not_served_a_members_page(client, member):
    signed_in(member).get(reverse("home"))
    signed_in(member).get(reverse("home"))
    assert member.first_name not in client.get(reverse("home")).text


# Per-request parts


def test_each_response_has_its_own_csrf_token_and_a_form_from_a_cached_page_posts(member):
    browser = signed_in(member, enforce_csrf_checks=True)
    first = browser.get(reverse("home"))
    second = browser.get(reverse("home"))  # from the cache
    tokens = [TOKEN.search(page.text).group(1) for page in (first, second)]
    assert tokens[0] != tokens[1]
    secret = browser.cookies["csrftoken"].value
    assert {_unmask_cipher_token(t) for t in tokens} == {secret}
    assert _unmask_cipher_token(HX_TOKEN.search(second.text).group(1)) == secret
    assert page_cache.CSRF_SLOT.decode() not in second.text

    response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session


def test_a_new_visitor_gets_a_csrf_cookie_that_matches_the_cached_page(client, approved):
    client.get(approved.get_absolute_url())
    newcomer = Client(enforce_csrf_checks=True)
    response = newcomer.get(approved.get_absolute_url())  # from the cache
    secret = response.cookies["csrftoken"].value
    assert _unmask_cipher_token(HX_TOKEN.search(response.text).group(1)) == secret


@pytest.mark.urls("tests.rumo.whole_page_urls")
def test_each_response_has_its_own_csp_nonce(client):
    nonces = []
    for _ in range(3):
        response = client.get(reverse("test-nonce"))
        nonce = re.search(r'<script nonce="([^"]+)"', response.text).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert page_cache.NONCE_SLOT.decode() not in response.text
        nonces.append(nonce)
    assert len(set(nonces)) == 3
    # A page with a nonce has no ETag: a kept copy would not match a 304's policy.
    assert not response.has_header("ETag")


@pytest.mark.urls("tests.rumo.whole_page_urls")
def test_messages_are_shown_once_and_never_cached(member, council):
    browser = signed_in(member)
    browser.get(reverse("home"))
    browser.get(reverse("home"))  # cached without the message
    page = browser.get(reverse("test-message"), follow=True).text
    assert "Сообщение для проверки кэша" in page
    assert "Сообщение для проверки кэша" not in browser.get(reverse("home")).text
    assert "Сообщение для проверки кэша" not in signed_in(council).get(reverse("home")).text


# What is never served from the cache


def test_htmx_requests_and_unknown_query_parameters_are_rendered(client, approved):
    url = approved.get_absolute_url()
    client.get(url)
    assert queries_of(client, url)[0] == 0
    assert queries_of(client, url, HX_Request="true")[0] > 0
    assert queries_of(client, url + "?x=1")[0] > 0
    assert queries_of(client, url + "?x=1")[0] > 0


def test_a_page_is_rendered_when_the_cache_does_not_answer(member, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    browser = signed_in(member)
    for _ in range(2):
        response = browser.get(reverse("home"))
        assert response.status_code == 200
        assert member.first_name in response.text
    Meeting.objects.update(topic="Без кэша")  # a write while it is down is no error


# Conditional requests


def test_an_unchanged_page_answers_304_until_it_changes(client, approved):
    url = approved.get_absolute_url()
    client.get(url)
    response = client.get(url)
    etag = response["ETag"]
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]

    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    Item.objects.filter(section__revision=approved).update(text="Новый текст")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_conditional_request_that_renders_the_page_anew_answers_304_too(client, approved):
    url = approved.get_absolute_url()
    etag = client.get(url)["ETag"]
    page_cache.bump()  # the page is rendered again, the same as before
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_304_needs_the_same_csrf_cookie_as_the_kept_page(client, approved):
    url = approved.get_absolute_url()
    client.get(url)
    etag = client.get(url)["ETag"]
    other = Client()  # another CSRF secret: the kept page's token would not do
    other.get(url)
    assert other.get(url, headers={"If-None-Match": etag}).status_code == 200


# Which writes move the generations on


def test_writes_move_only_the_generations_of_their_tables(member):
    user = member.user
    content, documents = page_cache.generations((page_cache.CONTENT, page_cache.DOCUMENTS))
    get_user_model().objects.filter(pk=user.pk).update(last_login=timezone.now())
    get_user_model().objects.filter(pk=-1).update(first_name="Никто")  # no row changed
    OutboxMessage.objects.create(key="test", subject="Тема", body="Текст", due_at=timezone.now())
    assert page_cache.generations((page_cache.CONTENT, page_cache.DOCUMENTS)) == (
        content,
        documents,
    )

    DocumentBuild.objects.create(kind="plans.signed", object_id=1)
    assert page_cache.generations((page_cache.CONTENT, page_cache.DOCUMENTS))[1] != documents

    get_user_model().objects.filter(pk=user.pk).update(first_name="Наташа")
    assert page_cache.generation() != content


# Pages of meetings, plans and documents


def test_an_answer_posted_from_a_cached_meeting_page_shows_at_once(library, member, council):
    meeting = announced(library, topic="Заседание с ответами")
    url = meeting.get_absolute_url()
    browser = signed_in(member, enforce_csrf_checks=True)
    browser.get(url)
    page = browser.get(url).text  # from the cache
    assert 'aria-pressed="true"' not in page
    token = TOKEN.search(page).group(1)
    response = browser.post(
        reverse("meetings:answer", args=[meeting.pk]),
        {"answer": "yes", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    mine = browser.get(url).text
    assert re.search(r'value="yes" aria-pressed="true"', mine)
    # Another member's page is their own: no answer of theirs.
    theirs = signed_in(council).get(url).text
    assert not re.search(r'value="yes" aria-pressed="true"', theirs)
    assert council.short_name in theirs and member.short_name not in theirs


def test_a_page_showing_a_document_in_the_making_is_not_kept(client, approved):
    from plans import pdf as plan_pdf
    from rumo.models import DocumentBuild

    row = DocumentBuild.objects.create(
        kind=plan_pdf.SIGNED.name, object_id=approved.pk, state=DocumentBuild.State.BUILDING
    )
    url = approved.get_absolute_url()
    assert 'data-state="busy"' in client.get(url).text
    assert queries_of(client, url)[0] > 0  # rendered again: the worker may finish any moment
    # The worker's outcome is written with QuerySet.update(): it shows on the next request.
    DocumentBuild.objects.filter(pk=row.pk).update(state=DocumentBuild.State.FAILED, error="Сбой")
    assert 'data-state="failed"' in client.get(url).text
    assert queries_of(client, url)[0] == 0


def test_a_many_to_many_change_shows_on_the_next_request(client, approved, chair):
    item = Item.objects.filter(section__revision=approved, section__kind="events").first()
    client.get(approved.get_absolute_url())
    item.responsible_members.set([chair])
    assert chair.short_name in client.get(approved.get_absolute_url()).text


def test_a_new_release_renders_every_page_anew(client, approved, monkeypatch):
    url = approved.get_absolute_url()
    client.get(url)
    assert queries_of(client, url)[0] == 0
    monkeypatch.setattr(page_cache, "release", lambda: "next-release")
    assert queries_of(client, url)[0] > 0


def test_a_write_while_the_cache_is_away_is_made_up_when_it_answers(client, approved, monkeypatch):
    from django.core.cache import caches

    url = approved.get_absolute_url()
    client.get(url)
    backend = caches["default"]

    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(backend, "incr", refuse)
    Item.objects.filter(section__revision=approved).update(text="Исправлено без кэша")
    assert "Исправлено без кэша" in client.get(url).text  # rendered without the cache
    monkeypatch.undo()
    backend._rumo_down_until = 0.0  # the pause after the failure is over
    assert "Исправлено без кэша" in client.get(url).text


# The production cache backend


def test_pages_are_cached_whole_in_redis_with_one_client_per_pool(client, approved, redis_cache):
    from django.core.cache import cache

    backend = cache._cache
    assert backend.get_client() is backend.get_client()
    url = approved.get_absolute_url()
    client.get(url)
    assert queries_of(client, url)[0] == 0
    Item.objects.filter(section__revision=approved).update(text="Исправлено в Redis")
    assert "Исправлено в Redis" in client.get(url).text


def test_e_mail_deliveries_are_checked_only_on_the_pages_that_show_them(client, approved, chair):
    from plans import services as plans

    draft = plans.start_revision(approved.plan, by=chair)
    editor = signed_in(chair)
    client.get(approved.get_absolute_url())
    editor.get(draft.get_absolute_url())
    assert queries_of(editor, draft.get_absolute_url())[0] == 3  # session, user, deliveries
    message = OutboxMessage.objects.create(
        key="plan", subject="Тема", body="Текст", due_at=timezone.now(), about=approved.plan
    )
    assert queries_of(client, approved.get_absolute_url())[0] == 0  # a visitor sees none
    page = editor.get(draft.get_absolute_url()).text  # the chair's editor lists them
    assert "Тема" in text_of(page, "deliveries")
    assert queries_of(editor, draft.get_absolute_url())[0] == 3
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=1)  # a worker takes it
    assert queries_of(editor, draft.get_absolute_url())[0] > 3
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxMessage.State.SENT)
    assert queries_of(editor, draft.get_absolute_url())[0] > 3
    assert queries_of(editor, draft.get_absolute_url())[0] == 3


def test_a_document_build_leaves_pages_without_documents_cached(client, approved, member):
    reader = signed_in(member)
    reader.get(reverse("home"))
    client.get(approved.get_absolute_url())
    DocumentBuild.objects.create(kind="plans.signed", object_id=approved.pk)  # a worker's write
    assert queries_of(reader, reverse("home"))[0] == 2  # the dashboard shows no document
    assert queries_of(client, approved.get_absolute_url())[0] > 0  # its panel: rendered anew
