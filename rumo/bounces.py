"""Bounces that come back after the relay accepted a message: find its outbox row and fail it.

The SMTP relay hands every message Rumo sends to the recipient's server; when
that server refuses it later, a delivery status notification (RFC 3464: a
multipart/report with a message/delivery-status part) comes back to the
envelope sender. The relay's bounce address is delivered to a Maildir that
``manage.py process_bounces`` reads from cron.

A bounce is matched by the Message-ID Rumo gave the message (``rumo.outbox``
stores it on the row when it is enqueued). Only failures count: "delayed" reports,
read receipts, spam complaints and out-of-office replies change nothing.
"""

import logging
import mailbox
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser, Parser
from email.utils import parseaddr
from pathlib import Path

from django.db import DatabaseError
from django.db.models import Q

from .models import OutboxMessage

log = logging.getLogger(__name__)

State = OutboxMessage.State
ERROR_PREFIX = "Письмо не доставлено: "
MAX_DIAGNOSTIC = 500
MSGID = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")
MSGID_HEADER = re.compile(
    r"^\s*Message-ID:\s*(<[^<>\s@]+@[^<>\s@]+>)", re.IGNORECASE | re.MULTILINE
)
DAEMONS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}
SEEN = "S"


def record_bounce(raw: bytes) -> OutboxMessage | None:
    """Fail the delivery a bounce is about; return it, or None if the message is not ours.

    A second copy of the same bounce changes nothing; ``sent_at`` is kept, so
    the responsible person still sees when the message went out.
    """
    message = BytesParser(policy=policy.default).parsebytes(raw)
    report = delivery_status(message)
    if report is not None:
        failed = [fields for fields in report if is_failure(fields)]
        if not failed:
            return None  # "delayed", "delivered", "relayed": not a bounce
        diagnostic = dsn_diagnostic(failed[0]) or text_diagnostic(message)
    elif looks_like_bounce(message):
        diagnostic = text_diagnostic(message)
    else:
        return None
    delivery = find_delivery(original_ids(message))
    if delivery is None:
        return None
    error = (ERROR_PREFIX + (diagnostic or "причина не указана"))[:1000]
    OutboxMessage.objects.filter(pk=delivery.pk).filter(
        ~Q(state=State.FAILED) | ~Q(error=error)
    ).update(state=State.FAILED, error=error, claimed_until=None)
    delivery.refresh_from_db()
    return delivery


def process_bounce_dir(path) -> tuple[int, int]:
    """Read the unread messages of a Maildir; return (matched, unmatched).

    A matched bounce is deleted: what it says is now on the delivery row. Any
    other message (not a bounce, or about mail Rumo did not send) is kept,
    moved to cur/ with the Seen flag for a person to read, and skipped by
    later runs.
    """
    box = mailbox.Maildir(Path(path), factory=None, create=False)
    matched = unmatched = 0
    for key in list(box.iterkeys()):  # a list: the loop deletes and moves messages
        try:
            message = box.get_message(key)
            if SEEN in message.get_flags():
                continue
            raw = box.get_bytes(key)
        except (KeyError, FileNotFoundError):
            continue  # taken by a concurrent run
        try:
            delivery = record_bounce(raw)
        except DatabaseError:
            raise  # the message stays unread for the next run
        except Exception:
            log.exception("Could not read the bounce %s", key)
            delivery = None
        try:
            if delivery is not None:
                matched += 1
                box.discard(key)
            else:
                unmatched += 1
                message.set_subdir("cur")
                message.add_flag(SEEN)
                box[key] = message
        except (KeyError, FileNotFoundError):
            continue
    return matched, unmatched


def delivery_status(message: EmailMessage) -> list | None:
    """Return the per-recipient field blocks of a DSN, or None if it is not a DSN."""
    if message.get_content_type() != "multipart/report":
        return None
    if message.get_param("report-type", "").lower() != "delivery-status":
        return None
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            blocks = part.get_payload()
            if isinstance(blocks, str):
                blocks = [Parser(policy=policy.default).parsestr(b) for b in blocks.split("\n\n")]
            # The first block is about the message, the others about each recipient.
            return [b for b in blocks[1:] if b.get("Action") or b.get("Status")] or blocks[:1]
    return []


def is_failure(fields) -> bool:
    action = str(fields.get("Action", "")).strip().lower()
    if action:
        return action == "failed"
    return str(fields.get("Status", "")).strip().startswith("5")


def dsn_diagnostic(fields) -> str:
    """Return "5.1.1 550 User unknown" from the Status and Diagnostic-Code of a recipient."""
    status = one_line(fields.get("Status", ""))
    code = one_line(fields.get("Diagnostic-Code", ""))
    if ";" in code:
        code = code.split(";", 1)[1].strip()  # drop the type: "smtp; 550 ..."
    if status and status in code:
        status = ""
    return " ".join(filter(None, [status, code]))[:MAX_DIAGNOSTIC]


def text_diagnostic(message: EmailMessage) -> str:
    """Return the first lines of the human-readable part of a bounce."""
    part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), None)
    if part is None:
        return ""
    text = payload_text(part)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return one_line(" ".join(lines[:3]))[:MAX_DIAGNOSTIC]


def looks_like_bounce(message: EmailMessage) -> bool:
    """Tell an old-style (plain text) bounce from an out-of-office or a person's reply."""
    if message.get_content_type() == "multipart/report":
        return False  # a read receipt or a spam complaint, not a failure
    # Out-of-office replies come from the person; bounces from the mail system.
    local = parseaddr(str(message.get("From", "")))[1].partition("@")[0].lower()
    return local in DAEMONS


def original_ids(message: EmailMessage) -> list[str]:
    """Return the Message-IDs the bounce may be about, the most reliable first."""
    ids = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            for inner in part.get_payload() if isinstance(part.get_payload(), list) else []:
                ids += MSGID.findall(str(inner.get("Message-ID", "")))
        elif kind == "text/rfc822-headers":
            headers = Parser(policy=policy.default).parsestr(payload_text(part), headersonly=True)
            ids += MSGID.findall(str(headers.get("Message-ID", "")))
    for name in ("In-Reply-To", "References"):
        ids += MSGID.findall(str(message.get(name, "")))
    for part in message.walk():
        if part.get_content_maintype() == "text":
            ids += MSGID_HEADER.findall(payload_text(part))
    own = str(message.get("Message-ID", "")).strip()
    return [i for i in dict.fromkeys(ids) if i != own]


def find_delivery(ids: list[str]) -> OutboxMessage | None:
    if not ids:
        return None
    found = {d.message_id: d for d in OutboxMessage.objects.filter(message_id__in=ids)}
    return next((found[i] for i in ids if i in found), None)


def payload_text(part) -> str:
    try:
        return part.get_content()
    except (LookupError, ValueError, KeyError):
        raw = part.get_payload(decode=True) or b""
        return raw.decode("utf-8", "replace")


def one_line(value) -> str:
    return " ".join(str(value).split())
