"""Meeting services: numbering, the past refused, moves and cancellations, agenda, minutes."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, Meeting, Response
from meetings.services import notices as notice_service
from meetings.signals import minutes_approved
from rumo.models import OutboxMessage
from tests import factories
from tests.meetings import announced, held, minuted, planned, rank_and_file

pytestmark = pytest.mark.django_db
MeetingError = services.MeetingError


@pytest.fixture
def notices(monkeypatch):
    """Record the change notices handed to meetings/services/notices.py instead of queueing them."""
    calls = []
    monkeypatch.setattr(
        notice_service,
        "queue_change_notice",
        lambda meeting, *, kind: calls.append((meeting.pk, kind)),
    )
    return calls


def ahead(days=30):
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


# Scheduling


def test_meetings_are_numbered_within_the_year_of_their_association(library, philology):
    year = timezone.localdate().year + 1
    first = services.schedule_meeting(library, year=year, planned_month=1)
    second = services.schedule_meeting(library, year=year, planned_month=4)
    other = services.schedule_meeting(philology, year=year, planned_month=2)
    later = services.schedule_meeting(library, year=year + 1, planned_month=1)

    assert (first.number, second.number, other.number, later.number) == (1, 2, 1, 1)


def test_an_exact_time_sets_the_year_and_month(library):
    starts_at = ahead(40)

    meeting = services.schedule_meeting(library, year=1999, starts_at=starts_at)

    local = timezone.localtime(starts_at)
    assert (meeting.year, meeting.planned_month, meeting.starts_at) == (
        local.year, local.month, starts_at,
    )  # fmt: skip


@pytest.mark.parametrize(
    "when",
    [
        {"starts_at": timezone.now() - timedelta(minutes=5)},
        {"planned_month": 1, "year": 2024},
        {"year": 2020},
    ],
    ids=["time", "month", "year"],
)
def test_a_meeting_in_the_past_is_refused(library, when):
    when = {"year": timezone.localdate().year, **when}

    with pytest.raises(MeetingError) as refused:
        services.schedule_meeting(library, **when)

    assert "прош" in " ".join(refused.value.messages)
    assert not Meeting.objects.exists()


def test_the_current_month_can_still_be_planned(library):
    today = timezone.localdate()

    meeting = services.schedule_meeting(library, year=today.year, planned_month=today.month)

    assert meeting.number == 1


def test_an_announced_meeting_changes_its_time_only_by_a_move(library):
    meeting = announced(library)

    with pytest.raises(MeetingError, match="перенесите"):
        services.update_meeting(meeting, starts_at=meeting.starts_at + timedelta(hours=1))

    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_a_new_topic_of_an_announced_meeting_is_a_new_version_recorded_with_the_change(
    library, notices, django_capture_on_commit_callbacks
):
    meeting = announced(library)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(meeting, topic="Новые форматы обслуживания", duration_minutes=90)
        # Recorded in the change's own transaction, so it cannot be lost.
        assert notices == [(meeting.pk, "changed")]

    meeting.refresh_from_db()
    assert (meeting.topic, meeting.duration_minutes) == ("Новые форматы обслуживания", 90)
    assert meeting.sequence == 1
    assert meeting.change_note == (
        "Новая тема: Новые форматы обслуживания. Новая продолжительность: 90 мин."
    )
    assert notices == [(meeting.pk, "changed")]


def test_a_new_topic_of_a_planned_meeting_tells_nobody(
    library, notices, django_capture_on_commit_callbacks
):
    meeting = planned(library)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(meeting, topic="Новые форматы обслуживания")

    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.change_note, notices) == (0, "", [])


def test_a_move_bumps_the_sequence_and_records_the_notice_with_the_change(
    library, notices, django_capture_on_commit_callbacks
):
    meeting = announced(library)
    new_time = meeting.starts_at + timedelta(hours=4)

    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(
            meeting, starts_at=new_time, note="Перенесено из-за конференции в ЧРИО."
        )
        assert notices == [(meeting.pk, "changed")]  # in the same transaction

    meeting.refresh_from_db()
    assert meeting.starts_at == new_time
    assert meeting.sequence == 1
    assert meeting.change_note == "Перенесено из-за конференции в ЧРИО."
    assert notices == [(meeting.pk, "changed")]


def moscow(year, month, day) -> datetime:
    return datetime(year, month, day, 14, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def test_a_december_meeting_can_be_moved_into_january_keeping_its_year_and_number(library):
    year = timezone.localdate().year + 1
    services.schedule_meeting(library, year=year, planned_month=3)
    meeting = services.schedule_meeting(library, year=year, starts_at=moscow(year, 12, 28))

    services.reschedule_meeting(meeting, starts_at=moscow(year + 1, 1, 12), note="Перенос.")

    meeting.refresh_from_db()
    assert (meeting.year, meeting.number, meeting.starts_at) == (
        year, 2, moscow(year + 1, 1, 12),
    )  # fmt: skip
    assert meeting.when_text == f"январь, {year + 1} г."


def test_a_planned_meeting_can_be_dated_in_the_next_year_but_no_later(library):
    year = timezone.localdate().year + 1
    meeting = services.schedule_meeting(library, year=year, planned_month=12)

    services.update_meeting(meeting, starts_at=moscow(year + 1, 2, 5))
    with pytest.raises(MeetingError, match=f"в {year} или {year + 1} году"):
        services.reschedule_meeting(meeting, starts_at=moscow(year + 2, 1, 12), note="Перенос.")

    meeting.refresh_from_db()
    assert (meeting.year, meeting.starts_at) == (year, moscow(year + 1, 2, 5))


def test_a_move_to_the_past_is_refused(library, notices, django_capture_on_commit_callbacks):
    meeting = announced(library)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(MeetingError):
        services.reschedule_meeting(meeting, starts_at=timezone.now() - timedelta(hours=1),
                                    note="Ошибка")  # fmt: skip

    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert notices == []


def test_moving_a_meeting_nobody_was_told_about_sends_nothing(
    library, notices, django_capture_on_commit_callbacks
):
    meeting = planned(library)

    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(
            meeting, starts_at=meeting.starts_at + timedelta(hours=1), note="Уточнили время."
        )

    assert Meeting.objects.get().sequence == 1
    assert notices == []


def test_cancelling_bumps_the_sequence_keeps_the_reason_and_tells_members(
    library, notices, django_capture_on_commit_callbacks
):
    meeting = announced(library)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, reason="Совпадает с аттестацией.")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, reason="Второй щелчок")

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.cancel_reason == "Совпадает с аттестацией."
    assert meeting.sequence == 1
    assert notices == [(meeting.pk, "cancelled")]


def test_a_held_meeting_cannot_be_cancelled_or_moved(library, member, notices):
    meeting = held(library, [member])

    with pytest.raises(MeetingError):
        services.cancel_meeting(meeting, reason="Поздно")
    with pytest.raises(MeetingError):
        services.reschedule_meeting(meeting, starts_at=ahead(), note="Поздно")


# Announcing (the notices call check_announceable)


def test_an_empty_agenda_cannot_be_announced(library):
    meeting = planned(library, agenda=())

    with pytest.raises(MeetingError) as refused:
        services.check_announceable(meeting)

    assert refused.value.messages == ["Повестка пуста: добавьте хотя бы один вопрос."]


def test_what_stops_an_announcement_is_listed(library):
    meeting = services.schedule_meeting(
        library, year=timezone.localdate().year + 1, planned_month=3,
        format=Meeting.Format.IN_PERSON,
    )  # fmt: skip

    assert services.announce_problems(meeting) == [
        "Укажите точные дату и время заседания.",
        "Укажите место проведения.",
        "Повестка пуста: добавьте хотя бы один вопрос.",
    ]
    services.check_announceable(announced(library))  # a complete meeting passes


# Agenda


def test_agenda_questions_are_appended_moved_and_renumbered(library):
    meeting = planned(library, agenda=("Первый", "Второй", "Третий"))
    first, second, third = meeting.agenda_items.order_by("position")

    services.add_agenda_item(meeting, title="Разное")
    services.move_agenda_item(third, offset=-1)
    services.move_agenda_item(first, offset=-1)  # already first: stays
    services.delete_agenda_item(second)

    titles = list(meeting.agenda_items.order_by("position").values_list("position", "title"))
    assert titles == [(1, "Первый"), (2, "Третий"), (3, "Разное")]


def test_speakers_are_members_of_the_association_or_free_text(library, chair):
    meeting = planned(library, agenda=())

    item = services.add_agenda_item(
        meeting, title="Опыт работы", speakers="гость из ЧРИО", speaker_members=[chair]
    )

    assert list(item.speaker_members.all()) == [chair]
    assert item.speakers == "гость из ЧРИО"


# Answers


def test_a_member_answers_and_changes_the_answer_until_the_start(library, member):
    meeting = announced(library)

    services.answer_meeting(meeting, member=member, answer="yes")
    services.answer_meeting(meeting, member=member, answer="no")

    assert Response.objects.get().answer == "no"


def test_no_answer_once_the_meeting_started_or_before_it_is_announced(library, member):
    started = announced(library, starts_in=-timedelta(minutes=1))

    with pytest.raises(MeetingError, match="началось"):
        services.answer_meeting(started, member=member, answer="yes")
    with pytest.raises(MeetingError, match="объявленное"):
        services.answer_meeting(planned(library), member=member, answer="yes")


# Attendance and quorum


def test_attendance_holds_the_meeting_and_counts_the_quorum(library, chair, council, member):
    others = rank_and_file(library, 3)  # six members: a quorum is four
    meeting = planned(library, starts_in=-timedelta(hours=2))

    services.record_attendance(meeting, present=[chair, council, member], invited_count=2)
    quorum = services.quorum_of(meeting)
    assert (quorum.present, quorum.members, quorum.needed, quorum.reached) == (3, 6, 4, False)

    services.record_attendance(meeting, present=[chair, council, *others], invited_count=2)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.invited_count == 2
    assert services.quorum_of(meeting).reached
    assert set(Attendance.objects.values_list("member_id", flat=True)) == {
        chair.pk, council.pk, *(o.pk for o in others),
    }  # fmt: skip


def test_the_curator_does_not_count_towards_the_quorum(library, chair, curator):
    meeting = planned(library, starts_in=-timedelta(hours=2))

    assert services.quorum_of(meeting).members == 1
    with pytest.raises(MeetingError, match="только членов"):
        services.record_attendance(meeting, present=[curator], invited_count=0)


def test_attendance_waits_for_the_meeting_to_start(library, member):
    with pytest.raises(MeetingError, match="началось"):
        services.record_attendance(planned(library), present=[member], invited_count=0)
    undated = services.schedule_meeting(library, year=timezone.localdate().year + 1,
                                        planned_month=5)  # fmt: skip
    with pytest.raises(MeetingError, match="дату и время"):
        services.record_attendance(undated, present=[member], invited_count=0)


def test_an_outsider_cannot_be_marked_present(library, member, other_chair):
    meeting = planned(library, starts_in=-timedelta(hours=1))

    with pytest.raises(MeetingError):
        services.record_attendance(meeting, present=[member, other_chair], invited_count=0)

    assert not Attendance.objects.exists()


# Minutes


def test_votes_cannot_exceed_those_present_with_the_guests(library, chair, member):
    meeting = held(library, [chair, member], invited_count=1)
    item = meeting.agenda_items.get()

    with pytest.raises(MeetingError) as refused:
        services.record_item_minutes(item, decided="Утвердить.", votes_for=3, votes_against=1)
    services.record_item_minutes(item, decided="Утвердить.", votes_for=2, votes_abstained=1)

    assert refused.value.messages == [
        "Голосов (4) больше, чем присутствовало вместе с гостями (3)."
    ]
    item.refresh_from_db()
    assert (item.votes_for, item.votes_against, item.votes_abstained) == (2, None, 1)


def test_fewer_people_present_than_recorded_votes_is_refused(library, chair, member):
    meeting = minuted(held(library, [chair, member]), votes=(2, 0, 0))

    with pytest.raises(MeetingError, match="Голосов"):
        services.record_attendance(meeting, present=[chair], invited_count=0)


def test_minutes_need_a_meeting_that_was_held(library):
    item = planned(library).agenda_items.get()

    with pytest.raises(MeetingError, match="присутствующих"):
        services.record_item_minutes(item, decided="Утвердить.")


def test_approval_lists_what_is_missing(library, member):
    meeting = held(library, [member], agenda=("Отчёт", "План"))
    first = meeting.agenda_items.order_by("position").first()
    services.record_item_minutes(first, decided="Утвердить.")

    with pytest.raises(MeetingError) as refused:
        services.approve_minutes(meeting)

    assert refused.value.messages == [
        "Укажите председателя и секретаря заседания.",
        "Запишите «РЕШИЛИ» по вопросам: 2.",
    ]


def test_approved_minutes_are_frozen_and_announced_to_the_plans(library, member):
    meeting = minuted(held(library, [member]))
    heard = []

    def receiver(sender, meeting, **kwargs):
        heard.append((sender, meeting.pk, meeting.minutes_approved_at is not None))

    minutes_approved.connect(receiver, sender=Meeting, weak=False)
    try:
        services.approve_minutes(meeting)
        services.approve_minutes(meeting)  # a second click changes nothing
    finally:
        minutes_approved.disconnect(receiver, sender=Meeting)

    assert heard == [(Meeting, meeting.pk, True)]
    item = meeting.agenda_items.get()
    frozen = [
        lambda: services.record_item_minutes(item, decided="Иначе"),
        lambda: services.record_minutes(meeting, chair_name="X", secretary_name="Y"),
        lambda: services.record_attendance(meeting, present=[], invited_count=0),
        lambda: services.add_agenda_item(meeting, title="Разное"),
        lambda: services.delete_agenda_item(item),
    ]
    for change in frozen:
        with pytest.raises(MeetingError, match="утвержд"):
            change()


def test_approval_on_a_past_day_dates_the_minutes_that_day(library, member):
    meeting = minuted(held(library, [member]))

    meeting = services.approve_minutes(meeting, on=date(2024, 1, 18))

    assert timezone.localdate(meeting.minutes_approved_at) == date(2024, 1, 18)


def test_signers_default_to_the_chair_and_the_secretary(library, chair):
    secretary = factories.person("irina", last_name="Николаева", first_name="Ирина",
                                 patronymic="Геннадьевна")  # fmt: skip
    factories.MembershipFactory(member=secretary, association=library, role="secretary")

    signers = services.default_signers(planned(library))

    assert signers == {"chair_name": "С.Н. Лоскутова", "secretary_name": "И.Г. Николаева"}


def test_an_agenda_change_after_the_announcement_opens_a_new_version(library, member):
    meeting = announced(library)
    services.add_agenda_item(meeting, title="До рассылки")  # nobody told yet: same version
    assert Meeting.objects.get().sequence == 0
    OutboxMessage.objects.create(
        about=meeting, recipient_id=member.pk, kind="announcement", slot="0", key="told",
        subject="Заседание", body="", due_at=timezone.now(), state=OutboxMessage.State.SENT,
    )  # fmt: skip

    services.add_agenda_item(meeting, title="Разное")
    services.add_agenda_item(meeting, title="Ещё вопрос")

    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert meeting.change_note == "Добавлен вопрос: Разное\nДобавлен вопрос: Ещё вопрос"
