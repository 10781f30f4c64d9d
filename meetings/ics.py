"""iCalendar files for meetings: the e-mail invitation, the single download and the feeds."""

from collections.abc import Iterable
from datetime import date, timedelta
from email.utils import parseaddr
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress

from .models import Meeting

PRODID = "-//Rumo//Заседания РУМО//RU"
# The VTIMEZONE describes Moscow time from 2015 on: UTC+3 with no daylight saving.
TZ_FIRST_DATE = date(2015, 1, 1)
TZ_LAST_DATE = date(2050, 1, 1)


def meeting_uid(meeting: Meeting) -> str:
    """Return the event's UID: the same for every version of the meeting, wherever Rumo is served.

    Made of the meeting's own id and creation time, never of SITE_URL: a new
    address must not turn every meeting into a second event in calendars.
    """
    created = int(meeting.created_at.timestamp()) if meeting.created_at else 0
    return f"meeting-{meeting.pk}-{created}@rumo"


def filename(meeting: Meeting) -> str:
    """Return the file name of the meeting's calendar file, e.g. zasedanie-3-2026-12-15.ics."""
    day = timezone.localtime(meeting.starts_at).date() if meeting.starts_at else meeting.year
    return f"zasedanie-{meeting.number}-{day}.ics"


def meeting_url(meeting: Meeting) -> str:
    """Return the absolute address of the meeting's page ('' while it has none)."""
    try:
        return settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk])
    except NoReverseMatch:
        return ""


def summary(meeting: Meeting) -> str:
    return _("Заседание № %(number)s — %(association)s") % {
        "number": meeting.number,
        "association": meeting.association.short_name or meeting.association.name,
    }


def agenda_text(meeting: Meeting) -> str:
    """Return the agenda as numbered plain-text lines (texts stay literal, never markup).

    Load the meeting's agenda with ``AgendaItem.objects.with_speakers()`` first.
    """
    lines = []
    for index, item in enumerate(meeting.agenda_items.all(), start=1):
        speakers = f" ({item.speakers_text})" if item.speakers_text else ""
        lines.append(f"{index}. {item.title}{speakers}")
    return "\n".join(lines)


def location(meeting: Meeting, *, with_link: bool) -> str:
    if meeting.format == Meeting.Format.ONLINE:
        if with_link and meeting.link:
            return meeting.link
        return meeting.place or _("онлайн")
    return meeting.place


def meeting_event(meeting: Meeting, *, cancel: bool = False, private: bool = True) -> Event:
    """Return the VEVENT of a meeting; ``private`` adds the online link and the page URL."""
    start = meeting.starts_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    description = [meeting.topic] if meeting.topic else []
    agenda = agenda_text(meeting)
    if agenda:
        description.append(_("Повестка:") + "\n" + agenda)
    url = meeting_url(meeting) if private else ""
    if private and meeting.link:
        description.append(_("Ссылка на трансляцию: %(link)s") % {"link": meeting.link})
    cancelled = cancel or meeting.status == Meeting.Status.CANCELLED
    if cancelled and meeting.cancel_reason:
        reason = _("Заседание отменено: %(reason)s") % {"reason": meeting.cancel_reason}
        description.insert(0, reason)
    event = Event.new(
        uid=meeting_uid(meeting),
        start=start,
        end=start + timedelta(minutes=meeting.duration_minutes or 120),
        stamp=timezone.now(),
        last_modified=meeting.updated_at,
        sequence=meeting.sequence,
        summary=summary(meeting),
        description="\n\n".join(description) or None,
        location=location(meeting, with_link=private) or None,
        status="CANCELLED" if cancelled else "CONFIRMED",
        url=url or None,
    )
    return event


def organizer(meeting: Meeting) -> vCalAddress:
    """Return an address someone reads: the chair's, else the configured reply address."""
    from members.models import Membership

    chair = (
        Membership.objects.active()
        .filter(association_id=meeting.association_id, role=Membership.Role.CHAIR)
        .exclude(member__email="")
        .select_related("member")
        .order_by("pk")
        .first()
    )
    if chair is not None:
        address = vCalAddress("mailto:" + chair.member.email)
        address.params["CN"] = chair.member.full_name
        return address
    fallback = settings.RUMO_REPLY_TO_EMAIL or settings.DEFAULT_FROM_EMAIL
    address = vCalAddress("mailto:" + parseaddr(fallback)[1])
    address.params["CN"] = summary(meeting)
    return address


def attendee_lines(email: str, name: str) -> bytes:
    """Return the ATTENDEE content line of one recipient (RFC 5546: a REQUEST names them)."""
    attendee = vCalAddress("mailto:" + email)
    attendee.params["CN"] = name or email
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "NEEDS-ACTION"
    attendee.params["RSVP"] = "FALSE"  # members answer on the meeting page
    event = Event()
    event.add("attendee", attendee)
    return event.to_ical().split(b"\r\n", 1)[1].rpartition(b"END:VEVENT")[0]


def for_attendee(invitation: bytes, email: str, name: str) -> bytes:
    """Return the invitation addressed to one recipient."""
    return invitation.replace(b"END:VEVENT", attendee_lines(email, name) + b"END:VEVENT", 1)


@cache
def time_zone(tzid: str) -> Timezone:
    """Return the VTIMEZONE block, built once per process.

    Building it walks 35 years of transitions (about 45,000 ``utcoffset``
    calls); every calendar shares the one component, which serialising
    never changes.
    """
    return Timezone.from_tzid(tzid, first_date=TZ_FIRST_DATE, last_date=TZ_LAST_DATE)


def calendar(events: Iterable[Event], *, method: str | None = None, name: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    cal.add_component(time_zone(settings.TIME_ZONE))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


def meeting_ics(meeting: Meeting, *, cancel: bool = False) -> bytes:
    """Return the invitation (METHOD:REQUEST) or the cancellation (METHOD:CANCEL) of a meeting."""
    event = meeting_event(meeting, cancel=cancel)
    event.add("organizer", organizer(meeting))
    return calendar([event], method="CANCEL" if cancel else "REQUEST")


def feed_ics(meetings: Iterable[Meeting], *, name: str, private: bool) -> bytes:
    """Return a subscription calendar; the public one carries no online links."""
    events = [meeting_event(m, private=private) for m in meetings if m.starts_at]
    return calendar(events, method="PUBLISH", name=name)
