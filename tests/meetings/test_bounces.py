"""Bounces that come back later: the chair sees whose notice was not delivered, and why."""

import mailbox
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from rumo import bounces
from rumo.models import OutboxMessage
from tests.meetings.test_notify import announce, make_meeting

State = OutboxMessage.State
DIAGNOSTIC = "550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table"
BOUNDARY = "4B1C2D3E.1778580000/mail.rumo.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://rumo.example.org"


@pytest.fixture
def sent(library, chair, council, member, django_capture_on_commit_callbacks):
    """The announcement went out to three people; return Marina's row and her message."""
    meeting = make_meeting(library)
    announce(meeting, chair, django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [council.email])
    row = meeting.deliveries.get(recipient_id=council.pk)
    return row, message.message()


def original_headers(message) -> str:
    return message.as_string().split("\n\n", 1)[0]


def dsn(message, *, action="failed", status="5.1.1", attach="headers") -> bytes:
    """Return a bounce as Postfix writes it: a report with the original headers."""
    to = message["To"]
    diagnostic = DIAGNOSTIC.format(to=to)
    if attach == "headers":
        original = (
            "Content-Description: Undelivered Message Headers\n"
            "Content-Type: text/rfc822-headers\n\n" + original_headers(message) + "\n"
        )
    else:
        original = (
            "Content-Description: Undelivered Message\n"
            "Content-Type: message/rfc822\n\n" + message.as_string() + "\n"
        )
    return f"""Return-Path: <>
Date: Tue, 12 May 2026 10:00:05 +0300 (MSK)
From: MAILER-DAEMON@mail.rumo.example.org (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@rumo.example.org
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="{BOUNDARY}"
Message-Id: <20260512070005.4B1C2D3E@mail.rumo.example.org>

This is a MIME-encapsulated message.

--{BOUNDARY}
Content-Description: Notification
Content-Type: text/plain; charset=utf-8

This is the mail system at host mail.rumo.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{to}>: host mx.example.org[192.0.2.10] said: {diagnostic}
    (in reply to RCPT TO command)

--{BOUNDARY}
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.rumo.example.org
X-Postfix-Queue-ID: 4B1C2D3E
Arrival-Date: Tue, 12 May 2026 10:00:00 +0300 (MSK)

Final-Recipient: rfc822; {to}
Original-Recipient: rfc822;{to}
Action: {action}
Status: {status}
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; {diagnostic.replace(" rejected:", chr(10) + "    rejected:")}

--{BOUNDARY}
{original}
--{BOUNDARY}--
""".encode()


def plain(headers: str, body: str) -> bytes:
    return (headers.strip() + "\n\n" + body).encode()


# Matching a bounce to its notice


def test_every_notice_carries_a_message_id_of_rumo_saved_on_its_row(sent):
    row, _ = sent
    ids = dict(OutboxMessage.objects.filter(state=State.SENT).values_list("to_email", "message_id"))

    assert len(ids) == 3
    assert len(set(ids.values())) == 3
    for message in mail.outbox:
        assert message.message()["Message-ID"] == ids[message.to[0]]
        assert ids[message.to[0]].endswith("@rumo.example.org>")


def test_a_bounce_fails_the_notice_with_the_diagnostic_and_keeps_when_it_was_sent(sent):
    row, message = sent

    found = bounces.record_bounce(dsn(message))

    assert found.pk == row.pk
    found.refresh_from_db()
    assert found.state == State.FAILED
    assert found.error == "Письмо не доставлено: " + DIAGNOSTIC.format(to=message["To"])
    assert found.sent_at == row.sent_at
    assert found.bounced
    others = OutboxMessage.objects.exclude(pk=row.pk)
    assert set(others.values_list("state", flat=True)) == {State.SENT}


def test_the_original_message_attached_whole_is_matched_too(sent):
    row, message = sent

    assert bounces.record_bounce(dsn(message, attach="message")).pk == row.pk
    row.refresh_from_db()
    assert row.state == State.FAILED


def test_the_same_bounce_twice_changes_nothing(sent):
    row, message = sent
    bounce = dsn(message)
    bounces.record_bounce(bounce)
    before = OutboxMessage.objects.filter(pk=row.pk).values().get()

    again = bounces.record_bounce(bounce)

    assert again.pk == row.pk
    assert OutboxMessage.objects.filter(pk=row.pk).values().get() == before


def test_a_plain_text_bounce_is_matched_by_the_quoted_message_id(sent):
    row, message = sent
    bounce = plain(
        "From: MAILER-DAEMON@mx.example.org\nTo: bounces@rumo.example.org\nSubject: failure notice",
        "Hi. This is the qmail-send program at mx.example.org.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        f"<{message['To']}>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
        "--- Below this line is a copy of the message.\n\n" + original_headers(message),
    )

    assert bounces.record_bounce(bounce).pk == row.pk
    row.refresh_from_db()
    assert row.error.startswith(
        "Письмо не доставлено: Hi. This is the qmail-send program at mx.example.org."
    )


def test_a_delay_warning_is_not_a_bounce(sent):
    row, message = sent

    assert bounces.record_bounce(dsn(message, action="delayed", status="4.4.1")) is None
    row.refresh_from_db()
    assert row.state == State.SENT


def test_an_out_of_office_reply_is_not_a_bounce(sent):
    row, message = sent
    reply = plain(
        f"From: {message['To']}\nTo: bounces@rumo.example.org\nSubject: Автоответ: отпуск\n"
        f"Auto-Submitted: auto-replied\nIn-Reply-To: {message['Message-ID']}",
        "Я в отпуске до 1 июня.\n",
    )

    assert bounces.record_bounce(reply) is None
    row.refresh_from_db()
    assert row.state == State.SENT


def test_a_bounce_of_some_other_message_is_unmatched(sent):
    row, message = sent
    del message["Message-ID"]
    message["Message-ID"] = "<175.1.2@rumo.example.org>"

    assert bounces.record_bounce(dsn(message)) is None
    assert not OutboxMessage.objects.filter(state=State.FAILED).exists()


# The cron command


def test_the_command_reads_a_maildir_and_keeps_what_it_could_not_match(sent, tmp_path):
    row, message = sent
    box = mailbox.Maildir(tmp_path / "bounces")
    box.add(dsn(message))
    spam = box.add(plain("From: someone@example.net\nSubject: Hello", "Buy now\n"))
    out = StringIO()

    call_command("process_bounces", str(tmp_path / "bounces"), stdout=out)

    assert out.getvalue().strip() == (
        "Возвратов по письмам Rumo: 1; прочих писем (оставлены прочитанными в cur/): 1."
    )
    row.refresh_from_db()
    assert row.state == State.FAILED
    assert list(box.keys()) == [spam]
    kept = box.get_message(spam)
    assert (kept.get_subdir(), kept.get_flags()) == ("cur", "S")

    again = StringIO()
    call_command("process_bounces", str(tmp_path / "bounces"), stdout=again)
    assert "Rumo: 0; прочих писем (оставлены прочитанными в cur/): 0." in again.getvalue()


def test_the_command_refuses_a_missing_maildir(tmp_path):
    with pytest.raises(CommandError, match="Нет такого каталога Maildir"):
        call_command("process_bounces", str(tmp_path / "nowhere"))


# What the chair sees


def test_chair_sees_whose_notice_was_not_delivered_and_why(sent, login, chair):
    row, message = sent
    bounces.record_bounce(dsn(message))

    response = login(chair).get(reverse("notices:deliveries", args=[row.object_id]))

    text = " ".join(response.text.split())
    assert "ошибка доставки: <strong>1</strong> (из них не доставлено после отправки: 1)" in text
    assert '<span class="badge text-bg-danger" data-testid="bounced">не доставлено</span>' in text
    assert "Письмо не доставлено: 550 5.1.1" in text
    assert "User unknown in virtual mailbox table" in text
    assert row.sent_at is not None
