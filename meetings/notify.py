"""Meeting notices as rows: announcements, reminders and cancellations, each sent once.

Every message is a ReminderDelivery row, unique per (meeting, member, kind,
slot), created before anything is sent. Sending takes one row at a time with a
compare-and-set on ``claimed_at`` just before the SMTP hand-off and marks it
SENT right after, so re-runs, redelivered tasks and concurrent sweeps never
send a row twice; a row taken by a worker that died is taken again once its
claim is older than CLAIM_TIMEOUT. Each message gets a Message-ID of Rumo's,
saved on the row with SENT, so that a later bounce finds it (meetings.bounces).
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import MIMEPart
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import DNS_NAME, EmailMessage, mailers, make_msgid
from django.db import connection, transaction
from django.db.models import F, Max, Prefetch, Q, QuerySet, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, Membership

from . import ics
from .models import AgendaItem, Meeting, ReminderDelivery, Response

log = logging.getLogger(__name__)

Kind = ReminderDelivery.Kind
State = ReminderDelivery.State
Role = Membership.Role
CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 5
CHUNK_SIZE = 100
# Curators and approvers oversee the association from the parent body; the
# meetings are called for the association's own people.
MEETING_ROLES = [Role.CHAIR, Role.DEPUTY, Role.SECRETARY, Role.COUNCIL, Role.MEMBER]
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


def create_deliveries(meeting: Meeting, *, kind: str, slot: str, due_at, members) -> int:
    """Insert one row per member (existing rows stay as they are); return rows inserted."""
    existing = ReminderDelivery.objects.filter(meeting=meeting, kind=kind, slot=slot)
    before = existing.count()
    ReminderDelivery.objects.bulk_create(
        [
            ReminderDelivery(
                meeting=meeting,
                member_id=member.pk,
                kind=kind,
                slot=slot,
                due_at=due_at,
                state=State.PENDING if member.email.strip() else State.NO_EMAIL,
            )
            for member in members
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    return existing.count() - before


@transaction.atomic
def announce_meeting(meeting: Meeting, *, by: Member | None, now: datetime | None = None) -> int:
    """Announce the meeting (or its changed version) to every member; return new rows."""
    from .services import check_announceable

    now = now or timezone.now()
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    meeting.refresh_from_db()
    check_announceable(meeting)
    created = create_deliveries(
        meeting,
        kind=Kind.ANNOUNCEMENT,
        slot=str(meeting.sequence),
        due_at=now,
        members=recipients(meeting).only("pk", "email"),
    )
    if created or not meeting.is_announced:
        meeting.status = Meeting.Status.ANNOUNCED
        meeting.announced_at = now
        meeting.save(update_fields=["status", "announced_at", "updated_at"])
    skip_stale(ReminderDelivery.objects.filter(meeting=meeting), now=now)
    log.info("Meeting %s announced by %s: %s new deliveries", meeting.pk, by, created)
    send_soon(meeting)
    return created


@transaction.atomic
def queue_change_notice(meeting: Meeting, *, kind: str, now: datetime | None = None) -> int:
    """Tell the members that an announced meeting changed or was cancelled.

    Call after the change is saved with its ``sequence`` bumped: each sequence
    is told once. A meeting nobody was told about needs no notice.
    """
    now = now or timezone.now()
    skip_stale(ReminderDelivery.objects.filter(meeting=meeting), now=now)
    if meeting.announced_at is None:
        return 0
    created = create_deliveries(
        meeting,
        kind=CHANGE_KINDS[kind],
        slot=str(meeting.sequence),
        due_at=now,
        members=recipients(meeting).only("pk", "email"),
    )
    send_soon(meeting)
    return created


def send_soon(meeting: Meeting) -> None:
    """After commit, hand this meeting's due rows to the workers (the sweep covers failures)."""

    def dispatch_after_commit():
        try:
            dispatch(ReminderDelivery.objects.filter(meeting=meeting))
        except Exception:
            # The broker is down: the rows are saved and the next sweep sends them.
            log.exception("Could not enqueue the notices of meeting %s", meeting.pk)

    transaction.on_commit(dispatch_after_commit)


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


def plan_reminders(now: datetime | None = None) -> dict:
    """Create the reminder rows that are due; skip rows made stale by changes."""
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
            offset = due_offset(meeting, offsets, now, told_at)
            if offset is None:
                continue
            declined = Response.objects.filter(meeting=meeting, answer=Response.Answer.NO)
            members = recipients(meeting).exclude(pk__in=declined.values("member_id"))
            planned += create_deliveries(
                meeting,
                kind=Kind.REMINDER,
                slot=reminder_slot(offset, meeting.starts_at),
                due_at=meeting.starts_at - offset,
                members=members.only("pk", "email"),
            )
    skipped = skip_stale(ReminderDelivery.objects.all(), now=now)
    return {"planned": planned, "skipped": skipped}


def is_current(delivery: ReminderDelivery, meeting: Meeting, declined, now) -> bool:
    """Tell whether a pending row still says something true about its meeting."""
    if delivery.kind == Kind.CANCELLATION:
        return meeting.status == Meeting.Status.CANCELLED
    if meeting.status == Meeting.Status.CANCELLED:
        return False
    if meeting.starts_at is not None and meeting.starts_at <= now:
        return False
    if delivery.kind == Kind.ANNOUNCEMENT:
        return meeting.status == Meeting.Status.ANNOUNCED and delivery.slot == str(meeting.sequence)
    return (
        meeting.status == Meeting.Status.ANNOUNCED
        and meeting.starts_at is not None
        and meeting.starts_at > now
        and delivery.slot.endswith("@" + meeting.starts_at.astimezone(UTC).isoformat())
        and (meeting.pk, delivery.member_id) not in declined
    )


def skip_stale(deliveries: QuerySet, *, now) -> int:
    """Mark SKIPPED the pending rows a change, a cancellation or an answer made wrong."""
    pending = list(deliveries.filter(state=State.PENDING).select_related("meeting"))
    declined = declined_ids({d.meeting_id for d in pending})
    stale = [d.pk for d in pending if not is_current(d, d.meeting, declined, now)]
    if not stale:
        return 0
    return ReminderDelivery.objects.filter(pk__in=stale, state=State.PENDING).update(
        state=State.SKIPPED, claimed_at=None
    )


def claimable(now) -> Q:
    return Q(state=State.PENDING, due_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    )


def claim_due(deliveries: QuerySet, *, now=None, limit: int | None = None) -> tuple[str, list]:
    """Lease due rows to one dispatcher; return the lease and the row ids.

    Concurrent dispatchers get disjoint rows: SKIP LOCKED where the database
    has it, otherwise a conditional UPDATE that tags the rows with the lease.
    """
    lease = timezone.now()
    now = now or lease
    with transaction.atomic():
        candidates = deliveries.filter(claimable(now)).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        ReminderDelivery.objects.filter(claimable(now), pk__in=ids).update(claimed_at=lease)
        ids = list(
            ReminderDelivery.objects.filter(pk__in=ids, claimed_at=lease).values_list(
                "pk", flat=True
            )
        )
    return lease.isoformat(), ids


def dispatch(deliveries: QuerySet, *, now=None) -> int:
    """Lease the due rows and enqueue them in chunks to the workers; return rows enqueued."""
    from .tasks import send_deliveries_task

    lease, ids = claim_due(deliveries, now=now)
    for start in range(0, len(ids), CHUNK_SIZE):
        try:
            send_deliveries_task.delay(ids[start : start + CHUNK_SIZE], lease)
        except Exception:
            # Not enqueued: give the rest back, so the next sweep (or cron) takes them.
            release(ids[start:], lease)
            raise
    return len(ids)


def take(delivery_id: int, lease: str | None) -> bool:
    """Claim one row for this sender just before its hand-off; False if it is not ours."""
    now = timezone.now()
    mine = Q(claimed_at=datetime.fromisoformat(lease)) if lease else claimable(now)
    return bool(
        ReminderDelivery.objects.filter(mine, pk=delivery_id, state=State.PENDING).update(
            claimed_at=now, attempts=F("attempts") + 1
        )
    )


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retry: int = 0
    errors: list[str] = field(default_factory=list)


def send_deliveries(delivery_ids, *, lease: str | None = None, now=None) -> Outcome:
    """Send the given rows that are still due, pending and ours; safe to run twice."""
    now = now or timezone.now()
    outcome = Outcome()
    rows = list(
        ReminderDelivery.objects.filter(pk__in=delivery_ids, state=State.PENDING)
        .select_related("meeting__association", "member")
        .order_by("pk")
    )
    declined = declined_ids({d.meeting_id for d in rows})
    with Batch(now) as batch:
        for index, delivery in enumerate(rows):
            if not take(delivery.pk, lease):
                continue
            if not is_current(delivery, delivery.meeting, declined, now):
                mark(delivery, state=State.SKIPPED)
                outcome.skipped += 1
                continue
            error = batch.send(delivery)
            if error is None:
                mark(
                    delivery,
                    state=State.SENT,
                    sent_at=timezone.now(),
                    error="",
                    message_id=delivery.message_id,
                )
                outcome.sent += 1
                continue
            record_failure(delivery, error, outcome, counted=not batch.unreachable)
            if batch.unreachable or is_connection_trouble(error):
                release([d.pk for d in rows[index + 1 :]], lease)
                break
    return outcome


def mark(delivery: ReminderDelivery, **values) -> None:
    ReminderDelivery.objects.filter(pk=delivery.pk).update(**values)


def is_connection_trouble(error: Exception) -> bool:
    """Tell a broken or refused connection (stop the run) from a problem with one message."""
    connection_errors = (
        smtplib.SMTPServerDisconnected,
        smtplib.SMTPConnectError,
        smtplib.SMTPHeloError,
        smtplib.SMTPAuthenticationError,
        smtplib.SMTPSenderRefused,
        smtplib.SMTPNotSupportedError,
    )
    if isinstance(error, connection_errors):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def is_permanent(error: Exception) -> bool:
    """Tell a bounce (the address is refused for good) from a passing trouble."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500 and not is_connection_trouble(error)
    return False


def record_failure(delivery, error: Exception, outcome: Outcome, *, counted: bool) -> None:
    """Fail a bounced row or one out of attempts; release the others for the next sweep."""
    detail = f"{type(error).__name__}: {error}"
    if not counted:
        summary = _("Почтовый сервер недоступен")
    elif is_permanent(error):
        summary = _("Почтовый сервер отказал в доставке")
    else:
        summary = _("Временная ошибка почты")
    # The chair reads the summary; the server's own words follow for support.
    text = f"{summary} ({detail})"[:1000]
    if not counted:
        # The server could not be reached: no attempt was made at this message.
        mark(delivery, error=text, claimed_at=None, attempts=F("attempts") - 1)
        outcome.retry += 1
    elif is_permanent(error) or delivery.attempts + 1 >= MAX_ATTEMPTS:
        mark(delivery, state=State.FAILED, error=text, claimed_at=None)
        outcome.failed += 1
    else:
        mark(delivery, error=text, claimed_at=None)
        outcome.retry += 1
    outcome.errors.append(text)


def release(delivery_ids, lease: str | None) -> None:
    """Give back rows not tried in this run, so the next sweep takes them at once."""
    if lease and delivery_ids:
        ReminderDelivery.objects.filter(
            pk__in=delivery_ids, state=State.PENDING, claimed_at=datetime.fromisoformat(lease)
        ).update(claimed_at=None)


def send_due(now: datetime | None = None, *, limit: int = 500) -> Outcome:
    """Send every due notice in this process (the cron path); return the totals."""
    total = Outcome()
    while True:
        lease, ids = claim_due(ReminderDelivery.objects.all(), now=now, limit=limit)
        if not ids:
            return total
        outcome = send_deliveries(ids, lease=lease, now=now)
        for name in ("sent", "skipped", "failed", "retry"):
            setattr(total, name, getattr(total, name) + getattr(outcome, name))
        total.errors += outcome.errors
        if outcome.retry:
            return total


class Batch:
    """One mail connection and the parts shared by the messages of one run."""

    def __init__(self, now: datetime):
        self.now = now

    def __enter__(self):
        self.mailer = None
        self.unreachable = False
        self.parts = {}
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        if self.mailer is not None:
            try:
                self.mailer.close()
            except Exception:
                log.warning("Closing the mail connection failed", exc_info=True)
            self.mailer = None

    def connect(self) -> None:
        if self.mailer is None:
            try:
                self.mailer = mailers.default
                self.mailer.open()
            except Exception:
                self.unreachable = True
                self.mailer = None
                raise

    def send(self, delivery: ReminderDelivery) -> Exception | None:
        """Hand one message to the mail server; return the error instead of raising it."""
        try:
            delivery.message_id = new_message_id()
            message = compose(delivery, self.meeting_parts(delivery), now=self.now)
            self.connect()
            self.mailer.send_messages([message])
        except Exception as error:
            log.warning("Delivery %s failed: %r", delivery.pk, error)
            if is_connection_trouble(error):
                self.close()
            return error
        return None

    def meeting_parts(self, delivery: ReminderDelivery) -> dict:
        key = (delivery.meeting_id, delivery.kind)
        if key not in self.parts:
            self.parts[key] = meeting_parts(delivery.meeting, delivery.kind)
        return self.parts[key]


def new_message_id() -> str:
    """Return a unique Message-ID in the site's own domain, e.g. <...@rumo.example.org>."""
    return make_msgid(domain=urlsplit(settings.SITE_URL).hostname or str(DNS_NAME))


def absolute(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def meeting_parts(meeting: Meeting, kind: str) -> dict:
    """Return what every message of this kind about this meeting shares."""
    earlier = ReminderDelivery.objects.filter(
        meeting=meeting, kind=Kind.ANNOUNCEMENT, state=State.SENT
    ).exclude(slot=str(meeting.sequence))
    cancel = kind == Kind.CANCELLATION
    prefetch_related_objects(
        [meeting], Prefetch("agenda_items", queryset=AgendaItem.objects.with_speakers())
    )
    return {
        "meeting": meeting,
        "association": meeting.association,
        "agenda": list(meeting.agenda_items.all()),
        "starts": timezone.localtime(meeting.starts_at) if meeting.starts_at else None,
        "is_update": kind == Kind.ANNOUNCEMENT and earlier.exists(),
        "url": ics.meeting_url(meeting),
        "ics_url": absolute("notices:meeting-ics", meeting.pk),
        "calendar_url": absolute("notices:calendar"),
        "ics": ics.meeting_ics(meeting, cancel=cancel) if kind != Kind.REMINDER else None,
        "ics_method": "CANCEL" if cancel else "REQUEST",
    }


def compose(delivery: ReminderDelivery, parts: dict, *, now: datetime) -> EmailMessage:
    """Return the message of one row: to one person, in Russian, with the invitation."""
    member = delivery.member
    context = parts | {"member": member, "days_left": days_left(parts["starts"], now)}
    text = render_to_string(f"emails/meeting_{delivery.kind}.txt", context)
    subject, _, body = text.strip().partition("\n")
    headers = {"Message-ID": delivery.message_id} if delivery.message_id else {}
    message = EmailMessage(
        " ".join(subject.split()), body.strip() + "\n", to=[member.email], headers=headers
    )
    if parts["ics"]:
        invitation = MIMEPart()
        invitation.set_content(
            parts["ics"].decode(),
            subtype="calendar",
            charset="utf-8",
            params={"method": parts["ics_method"]},
            disposition="attachment",
            filename=f"meeting-{delivery.meeting.number}.ics",
        )
        message.attach(invitation)
    return message


def days_left(starts: datetime | None, now: datetime) -> int | None:
    if starts is None:
        return None
    return (starts.date() - timezone.localdate(now)).days
