"""Through a real SMTP server on loopback: what a member's mail program receives."""

import email
import socket
from datetime import timedelta
from email import policy

import pytest
import vobject
from aiosmtpd.controller import Controller
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from rumo import outbox
from tests.meetings.test_notify import LINK, make_meeting


class Inbox:
    """An aiosmtpd handler that keeps every envelope it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self):
        return [
            (e.rcpt_tos, email.message_from_bytes(e.content, policy=policy.default))
            for e in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and the site configured to send through it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


def test_announcement_arrives_with_its_invitation(
    smtp_server, library, chair, member, django_capture_on_commit_callbacks
):
    meeting = make_meeting(library, agenda=("Выборы совета РУМО", "<b>План</b> на год"))

    with django_capture_on_commit_callbacks(execute=True):
        services.announce_meeting(meeting, by=chair)

    received = smtp_server.messages()
    assert sorted(rcpt for rcpts, _ in received for rcpt in rcpts) == sorted(
        [chair.email, member.email]
    )
    assert all(len(rcpts) == 1 for rcpts, _ in received)
    [(_, message)] = [(r, m) for r, m in received if r == [member.email]]
    assert message["Subject"].startswith("Заседание № 1 РУМО библиотекарей, ")
    assert message["To"] == member.email
    body = message.get_body(("plain",)).get_content()
    assert "Здравствуйте, Наталья Ивановна!" in body
    assert "2. <b>План</b> на год" in body
    [attachment] = message.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    day = timezone.localdate(meeting.starts_at)
    assert attachment.get_filename() == f"zasedanie-1-{day}.ics"
    assert message["Auto-Submitted"] == "auto-generated"
    calendar = Calendar.from_ical(attachment.get_content())
    [event] = calendar.events
    assert event.get("uid").startswith(f"meeting-{meeting.pk}-")
    assert event.start == meeting.starts_at
    assert event.get("location") == LINK

    # A second, independent parser reads the same invitation (RFC 5546 REQUEST).
    parsed = vobject.readOne(attachment.get_content())
    assert parsed.method.value == "REQUEST"
    vevent = parsed.vevent
    assert vevent.attendee.value == f"mailto:{member.email}"
    assert vevent.attendee.params["CN"] == [member.full_name]
    assert vevent.organizer.value == f"mailto:{chair.email}"
    assert vevent.uid.value == event.get("uid")
    assert vevent.dtstart.value == meeting.starts_at


def test_the_invitation_uid_does_not_change_with_the_site_address(
    smtp_server, library, chair, member, settings, django_capture_on_commit_callbacks
):
    meeting = make_meeting(library)
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_meeting(meeting, by=chair)
    first = vobject.readOne(
        next(smtp_server.messages()[0][1].iter_attachments()).get_content()
    ).vevent.uid.value

    settings.SITE_URL = "https://rumo.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(meeting, topic="Новая тема")  # told as version 1

    invitations = [
        vobject.readOne(next(m.iter_attachments()).get_content()) for _, m in smtp_server.messages()
    ]
    assert {i.vevent.uid.value for i in invitations} == {first}
    assert {i.vevent.sequence.value for i in invitations} == {"0", "1"}
    assert {a.value for i in invitations for a in i.vevent.attendee_list} == {
        f"mailto:{chair.email}",
        f"mailto:{member.email}",
    }


def test_without_a_chair_address_the_organizer_is_the_reply_address(
    smtp_server, library, chair, member, settings, django_capture_on_commit_callbacks
):
    chair.email = ""
    chair.save(update_fields=["email"])
    settings.RUMO_REPLY_TO_EMAIL = "Секретариат <office@rumo.example.org>"
    meeting = make_meeting(library)
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_meeting(meeting, by=chair)

    [(_, message)] = smtp_server.messages()
    parsed = vobject.readOne(next(message.iter_attachments()).get_content())
    assert parsed.vevent.organizer.value == "mailto:office@rumo.example.org"


def test_reminders_arrive_once_through_the_server(
    smtp_server, library, chair, member, django_capture_on_commit_callbacks
):
    meeting = make_meeting(library)
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_meeting(meeting, by=chair)
    now = meeting.starts_at - timedelta(hours=20)

    for _ in range(2):
        services.plan_reminders(now)
        outbox.send_due(now)

    subjects = [m["Subject"] for _, m in smtp_server.messages()]
    assert sum(s.startswith("Завтра: заседание № 1") for s in subjects) == 2
