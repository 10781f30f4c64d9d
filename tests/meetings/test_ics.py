"""The .ics files: Moscow time, one UID for every version, SEQUENCE counting the changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings import ics, services
from meetings.models import Meeting
from tests.meetings.test_notify import LINK, make_meeting

MOSCOW = ZoneInfo("Europe/Moscow")


def event_of(data: bytes):
    calendar = Calendar.from_ical(data)
    [event] = calendar.events
    return calendar, event


@pytest.fixture
def meeting(library):
    starts_at = datetime(timezone.now().year + 1, 1, 20, 10, 0, tzinfo=MOSCOW)
    meeting = make_meeting(
        library,
        agenda=("Выборы совета РУМО", "<script>alert('x')</script>; отчёт, план"),
        topic="Планирование работы",
    )
    meeting.starts_at, meeting.year = starts_at, starts_at.year
    meeting.duration_minutes = 90
    meeting.save()
    return meeting


def test_invitation_is_at_ten_in_moscow_which_is_seven_utc(meeting):
    calendar, event = event_of(ics.meeting_ics(meeting))

    assert calendar.get("method") == "REQUEST"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Moscow"]
    assert event["DTSTART"].params["TZID"] == "Europe/Moscow"
    assert event.start.astimezone(UTC) == datetime(meeting.starts_at.year, 1, 20, 7, 0, tzinfo=UTC)
    assert event.end - event.start == timedelta(minutes=90)
    assert str(event.get("summary")) == "Заседание № 1 — РУМО библиотекарей"
    assert event.get("location") == LINK
    assert event.get("sequence") == 0
    assert str(event.get("organizer")).startswith("mailto:")


def test_agenda_markup_stays_literal_text(meeting):
    _calendar, event = event_of(ics.meeting_ics(meeting))

    description = str(event.get("description"))
    assert "Планирование работы" in description
    assert "1. Выборы совета РУМО" in description
    assert "2. <script>alert('x')</script>; отчёт, план" in description


def test_uid_stays_and_sequence_grows_when_the_meeting_moves(meeting):
    meeting.status = Meeting.Status.ANNOUNCED
    meeting.save()
    _calendar, before = event_of(ics.meeting_ics(meeting))

    services.reschedule_meeting(
        meeting, starts_at=meeting.starts_at + timedelta(days=1), note="На день позже."
    )
    meeting.refresh_from_db()
    _calendar, after = event_of(ics.meeting_ics(meeting))

    assert after.get("uid") == before.get("uid") == ics.meeting_uid(meeting)
    assert after.get("sequence") == before.get("sequence") + 1
    assert after.start - before.start == timedelta(days=1)


def test_uid_does_not_follow_the_site_address(meeting, settings):
    before = ics.meeting_uid(meeting)
    settings.SITE_URL = "https://rumo.example.org"
    assert ics.meeting_uid(meeting) == before
    assert "127.0.0.1" not in before and "example.org" not in before


def test_cancellation_cancels_the_same_event(meeting):
    meeting.status = Meeting.Status.ANNOUNCED
    meeting.save()
    services.cancel_meeting(meeting, reason="Совпадает с курсами.")
    meeting.refresh_from_db()

    calendar, event = event_of(ics.meeting_ics(meeting, cancel=True))

    assert calendar.get("method") == "CANCEL"
    assert event.get("status") == "CANCELLED"
    assert event.get("uid") == ics.meeting_uid(meeting)
    assert event.get("sequence") == 1
    assert "Совпадает с курсами." in str(event.get("description"))


def test_public_feed_event_carries_no_online_link(meeting):
    _calendar, event = event_of(ics.feed_ics([meeting], name="Заседания", private=False))

    assert event.get("location") == "онлайн"
    assert LINK not in event.to_ical().decode()
    assert event.get("url") is None


def test_in_person_meeting_is_located_at_its_place(library):
    place = "ГАПОУ «Чебоксарский техникум ТрансСтройТех», ауд. 204"
    meeting = make_meeting(library, format=Meeting.Format.IN_PERSON, link="", place=place)

    _calendar, event = event_of(ics.meeting_ics(meeting))

    assert event.get("location") == place
