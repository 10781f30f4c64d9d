"""What a meeting notice says and to whom: the messages that meetings/services/notices.py records.

Announcements, change notices, cancellations and reminders are rows of the
outbox (rumo/outbox.py), one per member, keyed by (meeting, kind, slot,
member). ``slot`` tells notices of one kind apart: the announcement's sequence
number, or the reminder offset and the meeting time it was computed for (so a
moved meeting gets reminders for its new time). Before a row is sent the
outbox asks ``stale_ids`` whether it still says something true.
"""

from datetime import UTC, datetime, timedelta

from django.db.models import Prefetch, QuerySet, TextChoices, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member, Membership
from rumo import outbox
from rumo.models import OutboxMessage

from . import ics
from .models import AgendaItem, Meeting, Response


class Kind(TextChoices):
    ANNOUNCEMENT = "announcement", _("объявление")
    REMINDER = "reminder", _("напоминание")
    CANCELLATION = "cancellation", _("отмена")


State = OutboxMessage.State
Role = Membership.Role
# Curators and approvers oversee the association from the parent body; the
# meetings are called for the association's own people.
MEETING_ROLES = Membership.OWN_ROLES
CHANGE_KINDS = {"changed": Kind.ANNOUNCEMENT, "cancelled": Kind.CANCELLATION}


def recipients(meeting: Meeting) -> QuerySet[Member]:
    """Return the people a meeting is announced to: its association's active members."""
    held = Membership.objects.active().filter(association_id=meeting.association_id)
    return Member.objects.filter(
        pk__in=held.filter(role__in=MEETING_ROLES).values("member_id")
    ).order_by("pk")


def declined_ids(meeting_ids) -> set[tuple[int, int]]:
    rows = Response.objects.filter(meeting_id__in=meeting_ids, answer=Response.Answer.NO)
    return set(rows.values_list("meeting_id", "member_id"))


def reminder_slot(offset: timedelta, starts_at: datetime) -> str:
    minutes = int(offset.total_seconds() // 60)
    return f"{minutes}@{starts_at.astimezone(UTC).isoformat()}"


def due_offset(meeting, offsets, now, told_at) -> timedelta | None:
    """Return the reminder now due for the meeting: the latest due after it was last told."""
    due = [
        o
        for o in offsets
        if meeting.starts_at - o <= now and (told_at is None or meeting.starts_at - o >= told_at)
    ]
    return min(due, default=None)


def is_current(row: OutboxMessage, meeting: Meeting, declined, now) -> bool:
    """Tell whether a pending row still says something true about its meeting."""
    if row.kind == Kind.CANCELLATION:
        return meeting.status == Meeting.Status.CANCELLED
    if meeting.status == Meeting.Status.CANCELLED:
        return False
    if meeting.starts_at is not None and meeting.starts_at <= now:
        return False
    if row.kind == Kind.ANNOUNCEMENT:
        return meeting.status == Meeting.Status.ANNOUNCED and row.slot == str(meeting.sequence)
    return (
        meeting.status == Meeting.Status.ANNOUNCED
        and meeting.starts_at is not None
        and meeting.starts_at > now
        and row.slot.endswith("@" + meeting.starts_at.astimezone(UTC).isoformat())
        and (meeting.pk, row.recipient_id) not in declined
    )


def stale_ids(rows: list[OutboxMessage], now: datetime) -> set[int]:
    """The outbox's check for rows about meetings (registered in meetings/apps.py)."""
    meetings = Meeting.objects.in_bulk({row.object_id for row in rows})
    declined = declined_ids(meetings)
    return {
        row.pk
        for row in rows
        if row.object_id not in meetings
        or not is_current(row, meetings[row.object_id], declined, now)
    }


def notices(meeting: Meeting, *, kind: str, slot: str, members, now: datetime, due_at=None) -> list:
    """Return the messages of one notice about the meeting, one per member."""
    parts = meeting_parts(meeting, kind)
    return [
        outbox.Mail(
            key=f"meeting:{meeting.pk}:{kind}:{slot}:{member.pk}",
            kind=kind,
            slot=slot,
            about=meeting,
            recipient_id=member.pk,
            to_email=member.email,
            to_name=member.full_name,
            due_at=due_at or now,
            **compose(member, parts, now=now),
        )
        for member in members
    ]


def absolute(name: str, *args) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse(name, args=args)


def meeting_parts(meeting: Meeting, kind: str) -> dict:
    """Return what every message of this kind about this meeting shares."""
    earlier = meeting.deliveries.filter(kind=Kind.ANNOUNCEMENT).exclude(
        state__in=[State.SKIPPED, State.NO_EMAIL]
    )
    cancel = kind == Kind.CANCELLATION
    prefetch_related_objects(
        [meeting], Prefetch("agenda_items", queryset=AgendaItem.objects.with_speakers())
    )
    return {
        "kind": kind,
        "meeting": meeting,
        "association": meeting.association,
        "agenda": list(meeting.agenda_items.all()),
        "starts": timezone.localtime(meeting.starts_at) if meeting.starts_at else None,
        "is_update": kind == Kind.ANNOUNCEMENT
        and earlier.exclude(slot=str(meeting.sequence)).exists(),
        "url": ics.meeting_url(meeting),
        "ics_url": absolute("notices:meeting-ics", meeting.pk),
        "calendar_url": absolute("notices:calendar"),
        "ics": ics.meeting_ics(meeting, cancel=cancel) if kind != Kind.REMINDER else None,
        "ics_method": "CANCEL" if cancel else "REQUEST",
        "ics_name": ics.filename(meeting),
    }


def compose(member: Member, parts: dict, *, now: datetime) -> dict:
    """Return the subject, body and invitation of one member's message."""
    context = parts | {"member": member, "days_left": days_left(parts["starts"], now)}
    subject, body = outbox.render_mail(f"emails/meeting_{parts['kind']}.txt", context)
    attachments = []
    if parts["ics"] and member.email:
        invitation = ics.for_attendee(parts["ics"], member.email, member.full_name)
        attachments.append(
            outbox.attachment(
                parts["ics_name"],
                invitation.decode(),
                "text/calendar",
                method=parts["ics_method"],
            )
        )
    return {"subject": subject, "body": body, "attachments": attachments}


def days_left(starts: datetime | None, now: datetime) -> int | None:
    if starts is None:
        return None
    return (starts.date() - timezone.localdate(now)).days
