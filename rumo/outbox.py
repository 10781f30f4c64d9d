"""The outbox: every e-mail Rumo sends is a row, written with the change that causes it.

- ``enqueue`` inserts one row per message per recipient, in the caller's
  transaction; the unique ``key`` makes asking twice insert nothing. The rows
  are handed to the workers after the commit; if the broker is down then,
  nothing is raised to the user: the rows wait for the beat sweep.
- A worker takes one row at a time with a compare-and-set on its lease
  (``claimed_until``) just before the SMTP hand-off and marks it SENT right
  after, all rows of a batch over one SMTP connection. A row leased by a
  worker that died is taken again once the lease has expired; a failed
  attempt is retried with backoff, a refused address fails at once.
- Whether a pending row still says something true is asked of the app its
  object belongs to (``register_check``): a cancelled meeting's reminder is
  skipped, not sent.
- Bounces are read back onto the row by its Message-ID (rumo/bounces.py).
"""

import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import MIMEPart
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import DNS_NAME, EmailMultiAlternatives, mailers, make_msgid
from django.db import connection, models, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OutboxMessage

log = logging.getLogger(__name__)

State = OutboxMessage.State
CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 5
CHUNK_SIZE = 100
# After a failed attempt n the row waits BACKOFF * 2**(n-1), at most MAX_BACKOFF.
BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
AUTO_SUBMITTED = {"Auto-Submitted": "auto-generated"}


@dataclass
class Mail:
    """One message to one person, before it is a row."""

    key: str
    kind: str
    subject: str
    body: str
    to_email: str
    to_name: str = ""
    about: models.Model | None = None
    slot: str = ""
    recipient_id: int | None = None
    html: str = ""
    attachments: list = field(default_factory=list)
    headers: dict = field(default_factory=dict)
    due_at: datetime | None = None


def render_mail(template: str, context: dict) -> tuple[str, str]:
    """Return (subject, body) of a text template whose first line is the subject."""
    text = render_to_string(template, context)
    subject, _sep, body = text.strip().partition("\n")
    return " ".join(subject.split()), body.strip() + "\n"


def attachment(filename: str, content: str, mimetype: str, **params) -> dict:
    return {"filename": filename, "content": content, "mimetype": mimetype, "params": params}


def enqueue(mails: Iterable[Mail], *, now: datetime | None = None) -> int:
    """Record the messages (existing keys stay as they are); return the rows inserted.

    Call inside the transaction of the change that causes the messages: they
    are saved with it or not at all, and handed to the workers after the commit.
    """
    now = now or timezone.now()
    rows = [to_row(mail, now) for mail in mails]
    if not rows:
        return 0
    ours = [row.message_id for row in rows]
    with transaction.atomic():
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        # A key that was there already kept its row: ours are those with our Message-IDs.
        created = list(
            OutboxMessage.objects.filter(message_id__in=ours).values_list("pk", flat=True)
        )
    if created:
        send_soon(OutboxMessage.objects.filter(pk__in=created))
    return len(created)


def to_row(mail: Mail, now: datetime) -> OutboxMessage:
    about = mail.about
    return OutboxMessage(
        key=mail.key[:255],
        kind=mail.kind,
        slot=mail.slot,
        content_type=ContentType.objects.get_for_model(about) if about is not None else None,
        object_id=about.pk if about is not None else None,
        recipient_id=mail.recipient_id,
        to_name=mail.to_name,
        to_email=mail.to_email.strip(),
        subject=mail.subject[:500],
        body=mail.body,
        html=mail.html,
        attachments=mail.attachments,
        headers=mail.headers,
        state=State.PENDING if mail.to_email.strip() else State.NO_EMAIL,
        due_at=mail.due_at or now,
        message_id=new_message_id(),
    )


def about(obj: models.Model) -> QuerySet[OutboxMessage]:
    """Return the rows about ``obj`` (a meeting, a plan revision, a user ...)."""
    return OutboxMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def about_any(objects: Iterable[models.Model]) -> QuerySet[OutboxMessage]:
    """Return the rows about any of ``objects`` (of one model)."""
    objects = list(objects)
    if not objects:
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(objects[0]),
        object_id__in=[o.pk for o in objects],
    )


# Is a pending row still current? Apps register a check per model of what rows are about.
Check = Callable[[list[OutboxMessage], datetime], set[int]]
CHECKS: dict[str, Check] = {}


def register_check(model: type[models.Model], check: Check) -> None:
    """``check(rows, now)`` returns the ids of pending rows that no longer say something true."""
    CHECKS[model._meta.label_lower] = check


def stale_ids(rows: list[OutboxMessage], now: datetime) -> set[int]:
    by_type = defaultdict(list)
    for row in rows:
        if row.content_type_id:
            by_type[row.content_type_id].append(row)
    stale = set()
    for type_id, group in by_type.items():
        label = ContentType.objects.get_for_id(type_id)
        check = CHECKS.get(f"{label.app_label}.{label.model}")
        if check is not None:
            stale |= check(group, now)
    return stale


def skip_stale(rows: QuerySet, *, now: datetime) -> int:
    """Mark SKIPPED the pending rows a later change made wrong; return how many."""
    pending = list(rows.filter(state=State.PENDING))
    stale = stale_ids(pending, now)
    if not stale:
        return 0
    return OutboxMessage.objects.filter(pk__in=stale, state=State.PENDING).update(
        state=State.SKIPPED, claimed_until=None
    )


# Handing rows to the workers


def send_soon(rows: QuerySet) -> None:
    """After commit, hand the due ``rows`` to the workers (the beat sweep covers failures)."""

    def dispatch_after_commit():
        try:
            dispatch(rows)
        except Exception:
            # The broker is down: the rows are saved and the next sweep sends them.
            log.exception("Could not hand the outbox rows to the workers")

    transaction.on_commit(dispatch_after_commit)


def claimable(now: datetime) -> Q:
    return Q(state=State.PENDING, due_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def new_lease() -> datetime:
    return timezone.now() + CLAIM_TIMEOUT


def claim_due(rows: QuerySet, *, now=None, limit: int | None = None) -> tuple[str, list[int]]:
    """Lease due rows to one dispatcher; return the lease and the row ids.

    Concurrent dispatchers get disjoint rows: SKIP LOCKED where the database
    has it, otherwise a conditional UPDATE that tags the rows with the lease.
    """
    lease = new_lease()
    now = now or timezone.now()
    with transaction.atomic():
        candidates = rows.filter(claimable(now)).order_by("due_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        OutboxMessage.objects.filter(claimable(now), pk__in=ids).update(claimed_until=lease)
        ids = list(
            OutboxMessage.objects.filter(pk__in=ids, claimed_until=lease).values_list(
                "pk", flat=True
            )
        )
    return lease.isoformat(), ids


def dispatch(rows: QuerySet, *, now=None) -> int:
    """Lease the due rows and enqueue them in chunks to the workers; return rows enqueued."""
    from .tasks import send_outbox_task

    lease, ids = claim_due(rows, now=now)
    for start in range(0, len(ids), CHUNK_SIZE):
        try:
            send_outbox_task.delay(ids[start : start + CHUNK_SIZE], lease)
        except Exception:
            # Not enqueued: give the rest back, so the next sweep takes them.
            release(ids[start:], lease)
            raise
    return len(ids)


def release(ids, lease: str | None) -> None:
    """Give back rows not tried in this run, so the next sweep takes them at once."""
    if lease and ids:
        OutboxMessage.objects.filter(
            pk__in=ids, state=State.PENDING, claimed_until=datetime.fromisoformat(lease)
        ).update(claimed_until=None)


# Sending


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retry: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "Outcome") -> None:
        for name in ("sent", "skipped", "failed", "retry"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors


def take(row: OutboxMessage, lease: str | None, now: datetime) -> bool:
    """Claim one row just before its hand-off; False if it is not ours any more."""
    mine = Q(claimed_until=datetime.fromisoformat(lease)) if lease else claimable(now)
    return bool(
        OutboxMessage.objects.filter(mine, pk=row.pk, state=State.PENDING).update(
            claimed_until=new_lease(), attempts=F("attempts") + 1
        )
    )


def mark(row: OutboxMessage, **values) -> None:
    OutboxMessage.objects.filter(pk=row.pk).update(**values)


def send_rows(ids, *, lease: str | None = None, now=None) -> Outcome:
    """Send the given rows that are still due, pending and ours; safe to run twice."""
    now = now or timezone.now()
    outcome = Outcome()
    rows = list(OutboxMessage.objects.filter(pk__in=ids, state=State.PENDING).order_by("pk"))
    stale = stale_ids(rows, now)
    with Batch() as batch:
        for index, row in enumerate(rows):
            if not take(row, lease, now):
                continue
            if row.pk in stale:
                mark(row, state=State.SKIPPED, claimed_until=None)
                outcome.skipped += 1
                continue
            error = batch.send(row)
            if error is None:
                mark(row, state=State.SENT, sent_at=timezone.now(), error="", claimed_until=None)
                outcome.sent += 1
                continue
            record_failure(row, error, outcome, counted=not batch.unreachable, now=now)
            if batch.unreachable or is_connection_trouble(error):
                release([r.pk for r in rows[index + 1 :]], lease)
                break
    return outcome


def send_due(now: datetime | None = None, *, limit: int = 500) -> Outcome:
    """Send every due row in this process (the cron path and tests); return the totals."""
    total = Outcome()
    while True:
        lease, ids = claim_due(OutboxMessage.objects.all(), now=now, limit=limit)
        if not ids:
            return total
        outcome = send_rows(ids, lease=lease, now=now)
        total.add(outcome)
        if outcome.retry:
            return total


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
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500 and not is_connection_trouble(error)
    return False


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def record_failure(row, error: Exception, outcome: Outcome, *, counted: bool, now) -> None:
    """Fail a refused row or one out of attempts; put the others back with backoff."""
    detail = f"{type(error).__name__}: {error}"
    if not counted:
        summary = _("Почтовый сервер недоступен")
    elif is_permanent(error):
        summary = _("Почтовый сервер отказал в доставке")
    else:
        summary = _("Временная ошибка почты")
    # The responsible person reads the summary; the server's own words follow for support.
    text = f"{summary} ({detail})"[:1000]
    if not counted:
        # The server could not be reached: no attempt was made at this message.
        mark(row, error=text, claimed_until=None, attempts=F("attempts") - 1)
        outcome.retry += 1
    elif is_permanent(error) or row.attempts + 1 >= MAX_ATTEMPTS:
        mark(row, state=State.FAILED, error=text, claimed_until=None)
        outcome.failed += 1
    elif is_connection_trouble(error):
        # The connection broke, not this message: the next sweep tries it at once.
        mark(row, error=text, claimed_until=None)
        outcome.retry += 1
    else:
        mark(row, error=text, claimed_until=None, due_at=timezone.now() + backoff(row.attempts + 1))
        outcome.retry += 1
    outcome.errors.append(text)


class Batch:
    """One SMTP connection for the messages of one run."""

    def __enter__(self):
        self.mailer = None
        self.unreachable = False
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

    def send(self, row: OutboxMessage) -> Exception | None:
        """Hand one message to the mail server; return the error instead of raising it."""
        try:
            message = compose(row)
            self.connect()
            self.mailer.send_messages([message])
        except Exception as error:
            log.warning("Outbox row %s failed: %r", row.pk, error)
            if is_connection_trouble(error):
                self.close()
            return error
        return None


def compose(row: OutboxMessage) -> EmailMultiAlternatives:
    """Return the e-mail of a row: to one person, marked as sent by a machine."""
    headers = {**row.headers, **AUTO_SUBMITTED, "Message-ID": row.message_id}
    reply_to = [headers.pop("Reply-To")] if headers.get("Reply-To") else None
    message = EmailMultiAlternatives(
        row.subject, row.body, to=[row.to_email], headers=headers, reply_to=reply_to
    )
    if row.html:
        message.attach_alternative(row.html, "text/html")
    for item in row.attachments:
        part = MIMEPart()
        maintype, _sep, subtype = item["mimetype"].partition("/")
        if maintype == "text":
            part.set_content(
                item["content"],
                subtype=subtype,
                charset="utf-8",
                params=item.get("params") or {},
                disposition="attachment",
                filename=item["filename"],
            )
        else:
            part.set_content(
                item["content"].encode(),
                maintype,
                subtype,
                disposition="attachment",
                filename=item["filename"],
            )
        message.attach(part)
    return message


def new_message_id() -> str:
    """Return a unique Message-ID in the site's own domain, e.g. <...@rumo.example.org>."""
    return make_msgid(domain=urlsplit(settings.SITE_URL).hostname or str(DNS_NAME))


def deliveries(rows: QuerySet) -> dict:
    """Return what the deliveries partial shows: every row (newest first) and counts by state."""
    rows = list(rows.order_by("-due_at", "-pk"))
    counts = {state: 0 for state in State.values}
    for row in rows:
        counts[row.state] += 1
    counts["bounced"] = sum(row.bounced for row in rows)
    return {"rows": rows, "counts": counts}
