"""Telling the members: announcing a meeting, its change notices and its reminders.

Each is a state change that records its messages in the outbox (rumo/outbox.py)
in the same transaction; meetings/notify.py says what the messages say.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from members.models import Member
from rumo import outbox

from .. import notify
from ..models import Meeting, Response
from .scheduling import check_announceable

log = logging.getLogger(__name__)

Kind = notify.Kind


def record_notice(meeting: Meeting, *, kind: str, slot: str, members, now, due_at=None) -> int:
    """Record one message per member (existing ones stay as they are); return rows inserted."""
    mails = notify.notices(meeting, kind=kind, slot=slot, members=members, now=now, due_at=due_at)
    return outbox.enqueue(mails, now=now)


@transaction.atomic
def announce_meeting(meeting: Meeting, *, by: Member | None, now: datetime | None = None) -> int:
    """Announce the meeting (or its changed version) to every member; return new rows."""
    now = now or timezone.now()
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    meeting.refresh_from_db()
    check_announceable(meeting)
    was_announced = meeting.is_announced
    created = record_notice(
        meeting,
        kind=Kind.ANNOUNCEMENT,
        slot=str(meeting.sequence),
        members=notify.recipients(meeting),
        now=now,
    )
    if created or not was_announced:
        meeting.status = Meeting.Status.ANNOUNCED
        meeting.announced_at = now
        meeting.save(update_fields=["status", "announced_at", "updated_at"])
    outbox.skip_stale(meeting.deliveries.all(), now=now)
    log.info("Meeting %s announced by %s: %s new deliveries", meeting.pk, by, created)
    return created


@transaction.atomic
def queue_change_notice(meeting: Meeting, *, kind: str, now: datetime | None = None) -> int:
    """Tell the members that an announced meeting changed or was cancelled.

    Call after the change is saved with its ``sequence`` bumped: each sequence
    is told once. A meeting nobody was told about needs no notice.
    """
    now = now or timezone.now()
    outbox.skip_stale(meeting.deliveries.all(), now=now)
    if meeting.announced_at is None:
        return 0
    return record_notice(
        meeting,
        kind=notify.CHANGE_KINDS[kind],
        slot=str(meeting.sequence),
        members=notify.recipients(meeting),
        now=now,
    )


def plan_reminders(now: datetime | None = None) -> dict:
    """Record the reminders that are due; skip rows made stale by changes."""
    now = now or timezone.now()
    offsets = settings.MEETING_REMINDER_OFFSETS
    planned = 0
    if offsets:
        meetings = Meeting.objects.filter(
            status=Meeting.Status.ANNOUNCED,
            starts_at__gt=now,
            starts_at__lte=now + max(offsets),
        ).annotate(
            last_told=Max("deliveries__due_at", filter=Q(deliveries__kind=Kind.ANNOUNCEMENT))
        )
        for meeting in meetings:
            told_at = max(filter(None, [meeting.announced_at, meeting.last_told]), default=None)
            offset = notify.due_offset(meeting, offsets, now, told_at)
            if offset is None:
                continue
            declined = Response.objects.filter(meeting=meeting, answer=Response.Answer.NO)
            members = notify.recipients(meeting).exclude(pk__in=declined.values("member_id"))
            with transaction.atomic():
                planned += record_notice(
                    meeting,
                    kind=Kind.REMINDER,
                    slot=notify.reminder_slot(offset, meeting.starts_at),
                    members=members,
                    now=now,
                    due_at=meeting.starts_at - offset,
                )
    about_meetings = ContentType.objects.get_for_model(Meeting)
    skipped = outbox.skip_stale(
        outbox.OutboxMessage.objects.filter(content_type=about_meetings), now=now
    )
    return {"planned": planned, "skipped": skipped}
