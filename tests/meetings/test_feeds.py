"""Calendar subscriptions: a secret, revocable feed per member and a public feed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import CalendarFeed, Meeting
from members.models import Membership
from tests.meetings.test_notify import LINK, make_meeting

ANNOUNCED = Meeting.Status.ANNOUNCED


def summaries(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return sorted(str(e.get("summary")) for e in Calendar.from_ical(response.content).events)


@pytest.fixture
def meetings(library, philology):
    return {
        "library": make_meeting(library, status=ANNOUNCED, announced_at=timezone.now()),
        "library_planned": make_meeting(library),
        "philology": make_meeting(philology, status=ANNOUNCED, announced_at=timezone.now()),
    }


@pytest.fixture
def feed_url(login, member):
    """Natalia asks for her feed address on the calendar page."""
    client = login(member)
    response = client.post(reverse("notices:calendar-renew"), follow=True)
    assert "Ссылка для календаря готова." in response.text
    return reverse("notices:feed", args=[CalendarFeed.objects.get(member=member).token])


def test_member_subscribes_to_the_meetings_of_her_association(client, meetings, feed_url):
    client.logout()  # calendar apps fetch the feed without a session

    response = client.get(feed_url)

    assert summaries(response) == ["Заседание № 1 — РУМО библиотекарей"]
    assert LINK in response.text


def test_calendar_page_shows_the_secret_address(login, member, feed_url):
    response = login(member).get(reverse("notices:calendar"))

    assert "http://testserver" + feed_url in response.text
    assert "webcal://testserver" + feed_url in response.text


def test_a_revoked_address_stops_working(client, login, member, meetings, feed_url):
    response = login(member).post(reverse("notices:calendar-renew"), follow=True)
    assert "Старая больше не работает" in response.text
    new_url = reverse("notices:feed", args=[CalendarFeed.objects.get(member=member).token])
    client.logout()

    assert client.get(feed_url).status_code == 404
    assert summaries(client.get(new_url)) == ["Заседание № 1 — РУМО библиотекарей"]


def test_a_guessed_token_is_not_found(client, meetings, feed_url):
    assert client.get(reverse("notices:feed", args=["guessed-token-123"])).status_code == 404


def test_a_member_who_left_gets_no_more_meetings(client, member, meetings, feed_url):
    Membership.objects.filter(member=member).update(end=timezone.localdate() - timedelta(days=1))

    assert summaries(client.get(feed_url)) == []


def test_the_feed_follows_cancellations(client, meetings, feed_url):
    cancelled = meetings["library"]
    cancelled.status = Meeting.Status.CANCELLED
    cancelled.save()

    [event] = Calendar.from_ical(client.get(feed_url).content).events

    assert event.get("status") == "CANCELLED"


def test_public_feed_has_every_association_and_no_links(client, meetings):
    response = client.get(reverse("notices:public-feed"))

    assert summaries(response) == [
        "Заседание № 1 — РУМО библиотекарей",
        "Заседание № 1 — РУМО филологов",
    ]
    assert LINK not in response.text


def test_member_downloads_a_single_meeting(login, member, meetings):
    url = reverse("notices:meeting-ics", args=[meetings["library"].pk])

    response = login(member).get(url)

    assert summaries(response) == ["Заседание № 1 — РУМО библиотекарей"]
    assert response["Content-Disposition"].startswith("attachment;")


def test_outsider_cannot_download_another_associations_meeting(login, other_chair, meetings):
    url = reverse("notices:meeting-ics", args=[meetings["library"].pk])

    assert login(other_chair).get(url).status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 403),
        ("council", 403),
        ("curator", 403),
        ("approver", 403),
        ("other_chair", 403),
        ("chair", 200),
        ("staff", 200),
    ],
)
def test_a_planned_meetings_ics_is_for_those_who_see_its_page(
    login, personas, meetings, persona, status
):
    client = login(personas[persona])
    pk = meetings["library_planned"].pk

    page = client.get(reverse("meetings:detail", args=[pk]))
    ics_file = client.get(reverse("notices:meeting-ics", args=[pk]))

    assert (page.status_code, ics_file.status_code) == (status, status)


def test_feed_queries_do_not_grow_with_meetings(
    client, library, meetings, feed_url, django_assert_max_num_queries
):
    for _ in range(10):
        make_meeting(library, status=ANNOUNCED, announced_at=timezone.now(), agenda=("А", "Б"))

    with django_assert_max_num_queries(4):
        assert len(summaries(client.get(feed_url))) == 11


def test_public_feed_of_one_association(client, meetings, library):
    response = client.get(reverse("notices:public-feed"), {"association": library.slug})

    assert summaries(response) == ["Заседание № 1 — РУМО библиотекарей"]
    assert "РУМО библиотекарей" in str(Calendar.from_ical(response.content).get("X-WR-CALNAME"))
    assert LINK not in response.text
    # The shared feed is not the association's, cached or not.
    assert len(summaries(client.get(reverse("notices:public-feed")))) == 2


def test_public_feed_of_an_unknown_association_is_not_found(client, meetings):
    response = client.get(reverse("notices:public-feed"), {"association": "no-such"})

    assert response.status_code == 404
