# ruff: noqa: E501 (minutes texts are kept one per line)
"""Demo meetings: the seed's № 1 of 2024 held and minuted, next year's dated, its № 1 announced.

Runs after the plans demo (which creates the seed's 2024 meetings and copies
them into next year's draft plan). Safe to run again: meetings are found by
association, year and number, and only what is still empty is filled in; a
meeting already announced is not announced again.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.models import Association, Member, Membership

from . import services
from .models import Meeting

SEED_MEETING_AT = (date(2024, 1, 18), time(14, 0))  # the third Thursday of January 2024
CHAIR, SECRETARY = "С.Н. Лоскутова", "И.Г. Николаева"
INVITED = 2
# (СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ, (за, против, воздержались)) for the four questions of № 1.
MINUTES = [
    (
        "Лоскутову С.Н., заведующего библиотекой ЧПК им. Н.В. Никольского, — об опыте библиотечного обслуживания студентов: электронный каталог и продление книг онлайн, читательские клубы, буккроссинг, часы чтения вместе с кураторами групп.",
        "Иванова М.А. (КПК) — о работе библиотеки с первокурсниками; Петрова Е.В. (АТК) — о виртуальных книжных выставках.",
        "1. Опыт работы библиотеки ЧПК им. Н.В. Никольского принять к сведению и рекомендовать библиотекам ПОО использовать его в работе.\n2. Разместить материалы выступления на странице РУМО.",
        (20, 0, 0),
    ),
    (
        "Лоскутову С.Н., председателя РУМО, — о проекте плана работы РУМО по библиотечному направлению на 2024 год.",
        "",
        "Утвердить план работы РУМО по библиотечному направлению на 2024 год и направить его на согласование куратору и на утверждение председателю РУМО педагогических работников.",
        (20, 0, 0),
    ),
    (
        "Лоскутову С.Н. — о выборах Совета РУМО по библиотечному направлению на 2024 год. Предложены кандидатуры: Иванова М.А. (КПК), Петрова Е.В. (АТК), Николаева И.Г. (НХМТ).",
        "Васильева Н.И. (ЦАТТ) поддержала предложенный состав.",
        "Избрать Совет РУМО по библиотечному направлению на 2024 год в составе: Иванова М.А., Петрова Е.В., Николаева И.Г. Секретарём РУМО избрать Николаеву И.Г.",
        (19, 0, 1),
    ),
    (
        "Петрову Е.В., члена Совета РУМО, — о проекте Положения о республиканском конкурсе «Лучший библиотекарь СПО» среди библиотекарей ПОО Чувашии: цели, номинации, сроки (апрель — май 2024 г.), критерии оценки.",
        "Васильева Н.И. (ЦАТТ) предложила добавить номинацию «Лучший библиотечный проект».",
        "Утвердить Положение о республиканском конкурсе «Лучший библиотекарь СПО» среди библиотекарей ПОО Чувашии с номинацией «Лучший библиотечный проект». Провести конкурс в апреле — мае 2024 года.",
        (20, 0, 0),
    ),
]
# People at № 1 besides 15 of the rank and file: the chair, the council, the secretary, a member.
NAMED_PRESENT = ["Лоскутова", "Иванова", "Петрова", "Николаева", "Васильева"]
RANK_AND_FILE_PRESENT = 15
NEXT_YEAR_LINK = "https://vcs.example.org/rumo-library-{year}-1"
NEXT_YEAR_PLACE = "ЧПК им. Н.В. Никольского"


def load(associations: dict[str, Association]) -> None:
    """Hold the seed's meeting № 1 of 2024 and date next year's planned meetings."""
    library = associations["library"]
    first = Meeting.objects.filter(association=library, year=2024, number=1).first()
    if first is not None and not first.minutes_approved:
        with transaction.atomic():
            hold_seed_meeting(first)
    next_year = timezone.localdate().year + 1
    for meeting in Meeting.objects.of_year(library, next_year).filter(starts_at__isnull=True):
        date_next_year_meeting(meeting)
    upcoming = Meeting.objects.of_year(library, next_year).filter(number=1).first()
    if upcoming is not None and upcoming.announced_at is None:
        announce_upcoming_meeting(upcoming)


def moscow(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), ZoneInfo(settings.TIME_ZONE))


def hold_seed_meeting(meeting: Meeting) -> None:
    if meeting.starts_at is None:
        # History: the services refuse a past date for a new meeting, so it is written directly.
        meeting.starts_at = moscow(*SEED_MEETING_AT)
        meeting.save(update_fields=["starts_at"])
    services.record_attendance(
        meeting, present=present_at_seed_meeting(meeting), invited_count=INVITED
    )
    services.record_minutes(meeting, chair_name=CHAIR, secretary_name=SECRETARY)
    for item, (heard, spoke, decided, votes) in zip(
        meeting.agenda_items.order_by("position"), MINUTES, strict=False
    ):
        services.record_item_minutes(
            item, heard=heard, spoke=spoke, decided=decided, votes_for=votes[0],
            votes_against=votes[1], votes_abstained=votes[2],
        )  # fmt: skip
    services.approve_minutes(meeting, on=SEED_MEETING_AT[0])


def present_at_seed_meeting(meeting: Meeting) -> list[Member]:
    members = list(
        services.association_members(meeting.association, on=SEED_MEETING_AT[0]).order_by("pk")
    )
    named = [m for m in members if m.last_name in NAMED_PRESENT]
    others = [m for m in members if m.last_name not in NAMED_PRESENT]
    return named + others[:RANK_AND_FILE_PRESENT]


def third_thursday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 14)


def date_next_year_meeting(meeting: Meeting) -> None:
    """Give a planned meeting the third Thursday of its month, 14:00 Moscow time."""
    if meeting.planned_month is None:
        return
    starts_at = moscow(third_thursday(meeting.year, meeting.planned_month), time(14, 0))
    if meeting.number == 1:
        venue = {"format": Meeting.Format.ONLINE, "place": "",
                 "link": NEXT_YEAR_LINK.format(year=meeting.year)}  # fmt: skip
    else:
        venue = {"format": Meeting.Format.IN_PERSON, "place": NEXT_YEAR_PLACE, "link": ""}
    services.update_meeting(meeting, starts_at=starts_at, **venue)


def announce_upcoming_meeting(meeting: Meeting) -> None:
    """Announce the meeting as its chair would, so that members can answer it today.

    Through the real service: every member gets an outbox row and the workers
    (or ``send_due_reminders``) send the e-mails.
    """
    chair = (
        Membership.objects.active()
        .filter(association_id=meeting.association_id, role=Membership.Role.CHAIR)
        .select_related("member")
        .first()
    )
    services.announce_meeting(meeting, by=chair.member if chair else None)
