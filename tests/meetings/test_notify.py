"""Announcements, change notices and reminders: one message per person, each sent once."""

import smtplib
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from kombu.exceptions import OperationalError

from meetings import notify, services
from meetings.models import AgendaItem, Meeting, Response
from meetings.notify import Kind
from members.models import Membership
from rumo import outbox
from rumo.models import OutboxMessage
from tests import factories

State = OutboxMessage.State
LINK = "https://meet.example.org/rumo-library"


def make_meeting(association, *, starts_in=timedelta(days=30), agenda=("Выборы совета РУМО",),
                 **fields) -> Meeting:  # fmt: skip
    """Return a meeting of the association ready to be announced.

    A meeting days away starts at 10:00 Moscow time, so "the day before" it is
    the same calendar day whatever the hour the test runs at.
    """
    starts_at = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    if abs(starts_in) >= timedelta(days=1):
        starts_at = timezone.localtime(starts_at).replace(hour=10, minute=0)
    year = timezone.localtime(starts_at).year
    fields = {"format": Meeting.Format.ONLINE, "link": LINK, **fields}
    meeting = Meeting.objects.create(
        association=association,
        year=year,
        number=Meeting.next_number(association, year),
        starts_at=starts_at,
        **fields,
    )
    for position, title in enumerate(agenda, start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=title)
    return meeting


def announce(meeting, by, capture):
    with capture(execute=True):
        return services.announce_meeting(meeting, by=by)


def sent_to(messages=None) -> list[str]:
    return sorted(address for m in (messages or mail.outbox) for address in m.to)


def rows(meeting, kind=Kind.ANNOUNCEMENT):
    return meeting.deliveries.filter(kind=kind)


def after_backoff():
    """A moment when a row that failed is due again (a failed attempt waits up to an hour)."""
    return timezone.now() + outbox.MAX_BACKOFF + timedelta(minutes=1)


def invitation(message) -> Calendar:
    part = next(p for p in message.message().iter_attachments())
    assert part.get_content_type() == "text/calendar"
    return Calendar.from_ical(part.get_content())


@pytest.fixture
def people(chair, council, member, library):
    """The library association: Svetlana, Marina, Natalia, and Pyotr who has no e-mail."""
    pyotr = factories.MemberFactory(last_name="Петров", first_name="Пётр", email="")
    factories.MembershipFactory(member=pyotr, association=library)
    return {"chair": chair, "council": council, "member": member, "pyotr": pyotr}


@pytest.fixture
def meeting(library, people):
    return make_meeting(library, agenda=("Выборы совета РУМО", "<script>alert(1)</script> План"))


# Announcements


def test_each_member_gets_their_own_announcement(
    meeting, people, django_capture_on_commit_callbacks
):
    created = announce(meeting, people["chair"], django_capture_on_commit_callbacks)

    assert created == 4
    assert sent_to() == sorted(p.email for p in people.values() if p.email)
    for message in mail.outbox:
        assert len(message.to) == 1 and message.cc == [] and message.bcc == []
        assert message.subject.startswith("Заседание № 1 РУМО библиотекарей")
        assert "Приглашаем вас на заседание № 1" in message.body
        assert "(время московское)" in message.body
        assert LINK in message.body
        assert "2. <script>alert(1)</script> План" in message.body
        assert invitation(message).get("method") == "REQUEST"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ANNOUNCED
    assert meeting.announced_at is not None


def test_member_without_email_is_recorded_not_mailed(
    meeting, people, django_capture_on_commit_callbacks
):
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)

    pyotr = rows(meeting).get(recipient_id=people["pyotr"].pk)
    assert pyotr.state == State.NO_EMAIL
    assert set(rows(meeting).exclude(pk=pyotr.pk).values_list("state", flat=True)) == {State.SENT}


def test_speakers_chosen_from_members_are_in_the_e_mail_and_the_invitation(
    meeting, people, django_capture_on_commit_callbacks
):
    item = meeting.agenda_items.get(position=1)
    item.speakers = "Гость из ЧРИО"
    item.save(update_fields=["speakers"])
    item.speaker_members.set([people["chair"]])
    speaker = f"{people['chair'].short_name} ({people['chair'].organization})"

    announce(meeting, people["chair"], django_capture_on_commit_callbacks)

    line = f"1. Выборы совета РУМО ({speaker}; Гость из ЧРИО)"
    message = mail.outbox[0]
    assert line in message.body
    assert line in str(invitation(message).events[0].get("description"))


def test_empty_agenda_is_refused(library, people, django_capture_on_commit_callbacks):
    meeting = make_meeting(library, agenda=())

    with pytest.raises(services.MeetingError, match="Повестка пуста"):
        announce(meeting, people["chair"], django_capture_on_commit_callbacks)

    assert not rows(meeting).exists()
    assert mail.outbox == []


def test_announcing_the_same_version_again_sends_nothing(
    meeting, people, django_capture_on_commit_callbacks
):
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)

    assert announce(meeting, people["chair"], django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 3


def test_a_moved_meeting_is_announced_again_saying_what_changed(
    meeting, people, django_capture_on_commit_callbacks
):
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(
            meeting, starts_at=meeting.starts_at + timedelta(days=2), note="Перенос на среду."
        )

    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.subject.startswith("Изменения: заседание № 1")
    assert "Что изменилось:\nПеренос на среду." in message.body
    assert invitation(message).events[0].get("sequence") == 1


def test_a_new_topic_or_duration_is_announced_again_with_a_new_sequence(
    meeting, people, django_capture_on_commit_callbacks
):
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(meeting, topic="Новые форматы обслуживания", duration_minutes=90)

    assert sent_to() == sorted(p.email for p in people.values() if p.email)
    message = mail.outbox[0]
    assert message.subject.startswith("Изменения: заседание № 1")
    assert "Новая тема: Новые форматы обслуживания." in message.body
    assert "Новая продолжительность: 90 мин." in message.body
    event = invitation(message).events[0]
    assert event.get("sequence") == 1
    assert event.end - event.start == timedelta(minutes=90)


def test_a_re_sent_announcement_says_every_change_since_the_last_one(
    meeting, people, django_capture_on_commit_callbacks
):
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    first, second = meeting.agenda_items.order_by("position")
    services.add_agenda_item(meeting, title="Разное")
    services.update_agenda_item(first, title="Выборы председателя РУМО")
    services.delete_agenda_item(second)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(
            meeting, starts_at=meeting.starts_at + timedelta(days=2), note="Перенос на среду."
        )

    body = mail.outbox[0].body
    assert (
        "Что изменилось:\n"
        "Добавлен вопрос: Разное\n"
        "Изменён вопрос: Выборы совета РУМО → Выборы председателя РУМО\n"
        "Снят вопрос: <script>alert(1)</script> План\n"
        "Перенос на среду."
    ) in body
    assert invitation(mail.outbox[0]).events[0].get("sequence") == 2  # agenda 1, move 2
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(meeting, topic="Выборы")  # the last version was sent

    assert "Что изменилось:\nНовая тема: Выборы.\n" in mail.outbox[0].body
    assert "Перенос" not in mail.outbox[0].body.partition("Когда:")[0]


def test_a_cancelled_meeting_is_cancelled_in_calendars(
    meeting, people, django_capture_on_commit_callbacks
):
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, reason="Совпадает с курсами.")

    assert sent_to() == sorted(p.email for p in people.values() if p.email)
    message = mail.outbox[0]
    assert message.subject.startswith("Отменено: заседание № 1")
    assert "Причина: Совпадает с курсами." in message.body
    calendar = invitation(message)
    assert calendar.get("method") == "CANCEL"
    assert calendar.events[0].get("status") == "CANCELLED"


def test_a_planned_meeting_that_is_cancelled_tells_nobody(
    meeting, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, reason="Не нужно.")

    assert mail.outbox == []
    assert not meeting.deliveries.exists()


def test_announcement_is_saved_when_the_broker_is_down(
    meeting, people, django_capture_on_commit_callbacks
):
    down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch("rumo.tasks.send_outbox_task.delay", side_effect=down):
        announce(meeting, people["chair"], django_capture_on_commit_callbacks)

    assert mail.outbox == []
    pending = rows(meeting).filter(state=State.PENDING)
    assert pending.count() == 3
    assert not pending.filter(claimed_until__isnull=False).exists()  # the sweep may take them now

    outbox.send_due()

    assert len(mail.outbox) == 3


# Reminders


def reminders_due(meeting, before):
    """Plan and send as the sweep would at ``before`` the meeting."""
    now = meeting.starts_at - before
    return services.plan_reminders(now), outbox.send_due(now)


@pytest.fixture
def announced(meeting, people, django_capture_on_commit_callbacks):
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return meeting


def test_reminders_go_out_a_week_and_a_day_before(announced, people):
    assert reminders_due(announced, timedelta(days=8))[1].sent == 0

    planned, outcome = reminders_due(announced, timedelta(days=7) - timedelta(minutes=1))
    assert planned["planned"] == 4 and outcome.sent == 3
    reminders_due(announced, timedelta(days=1) - timedelta(minutes=1))

    assert len(mail.outbox) == 6
    assert set(rows(announced, Kind.REMINDER).values_list("slot", flat=True)) == {
        notify.reminder_slot(timedelta(days=7), announced.starts_at),
        notify.reminder_slot(timedelta(days=1), announced.starts_at),
    }
    assert mail.outbox[-1].subject.startswith("Завтра: заседание № 1 РУМО библиотекарей")


def test_reminders_are_never_sent_twice(announced):
    for _ in range(3):
        reminders_due(announced, timedelta(days=7) - timedelta(minutes=1))
        reminders_due(announced, timedelta(days=6))

    assert len(mail.outbox) == 3


def test_no_reminder_for_members_who_declined(announced, people):
    services.answer_meeting(announced, member=people["member"], answer=Response.Answer.NO)
    services.answer_meeting(announced, member=people["council"], answer=Response.Answer.YES)

    reminders_due(announced, timedelta(days=1))

    assert sent_to() == sorted([people["chair"].email, people["council"].email])


def test_declining_after_the_reminder_was_planned_skips_it(announced, people):
    now = announced.starts_at - timedelta(days=1)
    services.plan_reminders(now)
    services.answer_meeting(announced, member=people["member"], answer=Response.Answer.NO)

    outbox.send_due(now)

    assert people["member"].email not in sent_to()
    assert (
        rows(announced, Kind.REMINDER).get(recipient_id=people["member"].pk).state == State.SKIPPED
    )


def test_no_reminders_for_a_cancelled_meeting(announced, django_capture_on_commit_callbacks):
    now = announced.starts_at - timedelta(days=1)
    services.plan_reminders(now)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(announced, reason="Отмена.")
    mail.outbox.clear()

    reminders_due(announced, timedelta(days=1))

    assert mail.outbox == []
    assert not rows(announced, Kind.REMINDER).filter(state=State.PENDING).exists()


def test_a_moved_meeting_is_reminded_at_its_new_time(
    announced, settings, django_capture_on_commit_callbacks
):
    settings.MEETING_REMINDER_OFFSETS = [timedelta(days=1)]
    old_start = announced.starts_at
    services.plan_reminders(old_start - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(announced, starts_at=old_start + timedelta(days=3), note="")
    mail.outbox.clear()

    reminders_due(announced, timedelta(days=1) + timedelta(days=3))  # the old reminder time
    assert mail.outbox == []
    old = rows(announced, Kind.REMINDER).filter(slot__endswith=old_start.isoformat())
    old = old.exclude(state=State.NO_EMAIL)
    assert set(old.values_list("state", flat=True)) == {State.SKIPPED}

    announced.refresh_from_db()
    reminders_due(announced, timedelta(days=1))
    assert len(mail.outbox) == 3
    new_time = timezone.localtime(announced.starts_at).strftime("%H:%M")
    assert new_time in mail.outbox[0].body


def test_a_late_sweep_sends_only_the_nearest_reminder(announced):
    reminders_due(announced, timedelta(hours=12))

    assert set(rows(announced, Kind.REMINDER).values_list("slot", flat=True)) == {
        notify.reminder_slot(timedelta(days=1), announced.starts_at)
    }
    assert len(mail.outbox) == 3


def test_reminders_for_a_meeting_announced_late_skip_the_passed_offsets(
    library, people, django_capture_on_commit_callbacks
):
    meeting = make_meeting(library, starts_in=timedelta(days=3))
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)

    planned, _ = reminders_due(meeting, timedelta(days=2))

    assert planned["planned"] == 0
    assert reminders_due(meeting, timedelta(hours=23))[0]["planned"] == 4


# Failures: no message lost, none sent twice


DISCONNECTED = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Loses the connection on the third message of every run (3rd, 6th… overall)."""

    calls = 0
    error: BaseException = DISCONNECTED

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls % 3 == 0:
            raise type(self).error
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside: nothing after this line runs."""


@pytest.fixture
def flaky(settings, monkeypatch):
    monkeypatch.setattr(FlakyBackend, "calls", 0)
    monkeypatch.setattr(FlakyBackend, "error", DISCONNECTED)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyBackend"}}
    return FlakyBackend


@pytest.fixture
def crowd(library, people):
    """Ten more members, so that a failure happens half-way."""
    for _ in range(10):
        factories.MembershipFactory(association=library)
    return library


def test_a_connection_lost_half_way_loses_nothing_and_doubles_nothing(
    crowd, meeting, people, flaky, django_capture_on_commit_callbacks
):
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    retry = rows(meeting).filter(state=State.PENDING, attempts=1)
    assert retry.count() == 1 and "SMTPServerDisconnected" in retry.get().error

    for _ in range(10):
        outbox.send_due(after_backoff())

    expected = list(notify.recipients(meeting).exclude(email="").values_list("email", flat=True))
    assert sent_to() == sorted(expected)
    assert rows(meeting).filter(state=State.SENT).count() == len(expected)


def test_a_worker_killed_half_way_is_taken_over_after_the_claim_expires(
    crowd, meeting, people, flaky, settings, django_capture_on_commit_callbacks
):
    flaky.error = WorkerKilled()
    with pytest.raises(WorkerKilled):
        announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2

    outbox.send_due()  # the dead worker's claim is still fresh
    assert len(mail.outbox) == 2

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    outbox.send_due(timezone.now() + outbox.CLAIM_TIMEOUT + timedelta(seconds=1))

    expected = list(notify.recipients(meeting).exclude(email="").values_list("email", flat=True))
    assert sent_to() == sorted(expected)


def test_a_refused_address_is_failed_and_the_others_are_sent(
    meeting, people, settings, django_capture_on_commit_callbacks
):
    bad = people["council"].email

    class Bouncing(LocmemBackend):
        def send_messages(self, messages):
            if messages[0].to == [bad]:
                raise smtplib.SMTPRecipientsRefused({bad: (550, b"No such user")})
            return super().send_messages(messages)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend", Bouncing):
        announce(meeting, people["chair"], django_capture_on_commit_callbacks)

    failed = rows(meeting).get(recipient_id=people["council"].pk)
    assert failed.state == State.FAILED and "No such user" in failed.error
    assert failed.error.startswith("Почтовый сервер отказал в доставке")
    assert sent_to() == sorted([people["chair"].email, people["member"].email])


def test_while_the_mail_server_is_down_rows_wait_and_go_out_when_it_is_back(
    meeting, people, settings, django_capture_on_commit_callbacks
):
    locmem = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    for _ in range(outbox.MAX_ATTEMPTS + 1):
        outbox.send_due()

    waiting = rows(meeting).exclude(state=State.NO_EMAIL)
    assert "ConnectionRefusedError" in waiting.exclude(error="").get().error
    assert waiting.exclude(error="").get().error.startswith("Почтовый сервер недоступен")

    settings.MAILERS = locmem
    outbox.send_due()
    assert len(mail.outbox) == 3


def test_a_message_the_server_keeps_deferring_fails_after_the_last_attempt(
    meeting, people, django_capture_on_commit_callbacks
):
    slow = people["council"].email

    class Deferring(LocmemBackend):
        def send_messages(self, messages):
            if messages[0].to == [slow]:
                raise smtplib.SMTPDataError(451, b"Try again later")
            return super().send_messages(messages)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend", Deferring):
        announce(meeting, people["chair"], django_capture_on_commit_callbacks)
        for _ in range(outbox.MAX_ATTEMPTS + 2):
            outbox.send_due(after_backoff())

    deferred = rows(meeting).get(recipient_id=people["council"].pk)
    assert (deferred.state, deferred.attempts) == (State.FAILED, outbox.MAX_ATTEMPTS)
    assert "Try again later" in deferred.error
    assert sent_to() == sorted([people["chair"].email, people["member"].email])


# The command and the setting


def test_send_due_reminders_command_reports_in_russian(announced, people):
    out = StringIO()
    Response.objects.create(meeting=announced, member=people["member"], answer="no")
    with mock.patch("django.utils.timezone.now", return_value=announced.starts_at - timedelta(1)):
        call_command("send_due_reminders", stdout=out)

    assert "Запланировано напоминаний: 3" in out.getvalue()
    assert "Отправлено писем: 2" in out.getvalue()


@pytest.mark.parametrize("raw", ["7", "7x", "0d", "-1d", "1d,,2w"])
def test_bad_reminder_offsets_are_refused(raw, monkeypatch):
    from rumo.settings import env_durations

    monkeypatch.setenv("MEETING_REMINDER_OFFSETS", raw)
    with pytest.raises(ImproperlyConfigured, match="MEETING_REMINDER_OFFSETS"):
        env_durations("MEETING_REMINDER_OFFSETS", "7d,1d")


def test_reminder_offsets_are_read_longest_first(monkeypatch):
    from rumo.settings import env_durations

    monkeypatch.setenv("MEETING_REMINDER_OFFSETS", "2h, 3d,30m")
    assert env_durations("MEETING_REMINDER_OFFSETS", "7d,1d") == [
        timedelta(days=3),
        timedelta(hours=2),
        timedelta(minutes=30),
    ]


def test_former_members_are_not_announced_to(library, people, meeting):
    Membership.objects.filter(member=people["member"]).update(
        end=timezone.localdate() - timedelta(days=1)
    )

    assert people["member"] not in notify.recipients(meeting)


# The chair's pages


def test_chair_announces_from_the_confirmation_page(
    login, meeting, people, django_capture_on_commit_callbacks
):
    client = login(people["chair"])
    page = client.get(reverse("notices:announce", args=[meeting.pk]))
    assert "Письмо получат 4 участников" in page.text
    assert "нет адреса" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notices:announce", args=[meeting.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("notices:deliveries", args=[meeting.pk])
    assert "Объявление отправляется: писем — 4." in response.text
    assert len(mail.outbox) == 3


def test_announcing_an_empty_agenda_shows_why_not(login, library, people):
    meeting = make_meeting(library, agenda=())
    client = login(people["chair"])

    response = client.post(reverse("notices:announce", args=[meeting.pk]), follow=True)

    assert "Повестка пуста: добавьте хотя бы один вопрос." in response.text
    assert not meeting.deliveries.exists()


def test_chair_sees_who_was_told_and_whose_address_is_missing(
    login, meeting, people, django_capture_on_commit_callbacks
):
    class Bouncing(LocmemBackend):
        def send_messages(self, messages):
            if messages[0].to == [people["council"].email]:
                raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"User unknown")})
            return super().send_messages(messages)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend", Bouncing):
        announce(meeting, people["chair"], django_capture_on_commit_callbacks)

    response = login(people["chair"]).get(reverse("notices:deliveries", args=[meeting.pk]))

    text = " ".join(response.text.split())
    assert "отправлено: <strong>2</strong>" in text
    assert "нет адреса: <strong>1</strong>" in text
    assert "ошибка доставки: <strong>1</strong>" in text
    assert "User unknown" in text
    assert "эти участники писем не получают:</strong> Петров Пётр" in text


def test_deliveries_page_queries_do_not_grow_with_members(
    login, crowd, meeting, people, django_capture_on_commit_callbacks
):
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    client = login(people["chair"])
    url = reverse("notices:deliveries", args=[meeting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        factories.MembershipFactory(association=meeting.association)
    announce(meeting, people["chair"], django_capture_on_commit_callbacks)
    client.get(url)  # new memberships move the page cache on: warm it as before

    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_a_move_records_its_notices_at_once_and_mails_them_after_the_commit(
    announced, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(announced, starts_at=announced.starts_at + timedelta(hours=2),
                                    note="Перенесено на два часа.")  # fmt: skip
        assert rows(announced, Kind.ANNOUNCEMENT).filter(slot="1").count() == len(people)
        assert mail.outbox == []

    assert sent_to() == sorted(p.email for p in people.values() if p.email)
    assert "Перенесено на два часа." in mail.outbox[0].body
