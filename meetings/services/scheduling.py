"""Planning a meeting: create it, change it, move or cancel it, announce-ability, answers."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Association, Member

from ..models import AgendaItem, Meeting, Response

Status = Meeting.Status


class MeetingError(ValidationError):
    """The change is not possible in the meeting's state; the message is shown as is."""


def check_schedule(
    *,
    year: int,
    planned_month: int | None = None,
    starts_at: datetime | None = None,
    moving: bool = False,
) -> None:
    """Refuse a time, month or year that has already passed.

    A meeting keeps its year and number: it is the meeting of that year's plan.
    A new one is dated within its year; an existing one may be moved into the
    next year too (a December meeting put off to January), still under its
    year and number, but no further.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    if starts_at is not None:
        if starts_at <= now:
            raise MeetingError(
                {
                    "starts_at": _(
                        "Это время уже прошло: заседание можно назначить только на будущее."
                    )
                }
            )
        allowed = (year, year + 1) if moving else (year,)
        if timezone.localtime(starts_at).year not in allowed:
            message = (
                _("Дата должна быть в %(year)s или %(next)s году.")
                if moving
                else _("Дата должна быть в %(year)s году.")
            )
            raise MeetingError({"starts_at": message % {"year": year, "next": year + 1}})
    elif planned_month is not None and (year, planned_month) < (today.year, today.month):
        raise MeetingError({"planned_month": _("Этот месяц уже прошёл.")})
    elif year < today.year:
        raise MeetingError({"year": _("Этот год уже прошёл.")})


@transaction.atomic
def create_meeting(
    association: Association,
    *,
    year: int,
    planned_month: int | None = None,
    starts_at: datetime | None = None,
    format: str = Meeting.Format.ONLINE,
    place: str = "",
    link: str = "",
    topic: str = "",
    duration_minutes: int = 120,
    agenda: list[tuple[str, str]] = (),
    status: str = Status.PLANNED,
) -> Meeting:
    """Create the next meeting of the year with its agenda [(title, speakers)]."""
    # Numbers are taken one at a time per association.
    Association.objects.select_for_update().filter(pk=association.pk).first()
    meeting = Meeting.objects.create(
        association=association,
        year=year,
        number=Meeting.next_number(association, year),
        planned_month=planned_month,
        starts_at=starts_at,
        format=format,
        place=place,
        link=link,
        topic=topic,
        duration_minutes=duration_minutes,
        status=status,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=index, title=title, speakers=speakers)
        for index, (title, speakers) in enumerate(agenda, start=1)
    )
    return meeting


@transaction.atomic
def copy_meeting(meeting: Meeting, *, year: int, rewrite=lambda text: text) -> Meeting:
    """Plan the same meeting for another year, its agenda texts passed through ``rewrite``."""
    return create_meeting(
        meeting.association,
        year=year,
        planned_month=meeting.starts_at.month if meeting.starts_at else meeting.planned_month,
        format=meeting.format,
        place=meeting.place,
        topic=rewrite(meeting.topic),
        agenda=[(rewrite(a.title), a.speakers) for a in meeting.agenda_items.all()],
    )


@transaction.atomic
def schedule_meeting(
    association: Association,
    *,
    year: int,
    planned_month: int | None = None,
    starts_at: datetime | None = None,
    **details,
) -> Meeting:
    """Plan a new meeting for a month or an exact time; the past is refused."""
    if starts_at is not None:
        year = timezone.localtime(starts_at).year
        planned_month = timezone.localtime(starts_at).month
    check_schedule(year=year, planned_month=planned_month, starts_at=starts_at)
    return create_meeting(
        association, year=year, planned_month=planned_month, starts_at=starts_at, **details
    )


def lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("association").get(pk=meeting.pk)


def ensure_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise MeetingError(_("Заседание отменено."))
    if meeting.is_held:
        raise MeetingError(_("Заседание уже проведено: изменить можно только протокол."))


SCHEDULE_FIELDS = ("starts_at", "planned_month", "format", "place", "link")
# Details an announced meeting may change in place; the members are then told.
NOTICE_FIELDS = ("topic", "duration_minutes")


def version_told(meeting: Meeting) -> bool:
    """Tell whether the meeting's current version (its SEQUENCE) was announced."""
    return meeting.deliveries.filter(kind="announcement", slot=str(meeting.sequence)).exists()


def note_change(meeting: Meeting, note: str, *, new_version: bool = True) -> list[str]:
    """Record a change of an announced meeting; return the fields to save.

    The note collects every change since the members were last told, so the
    next notice says all of them; a change after a version was announced starts
    the next version (SEQUENCE) with a fresh note. ``new_version=False`` keeps
    the version while it has not been announced (agenda edits before a re-send).
    """
    told = version_told(meeting)
    lines = [] if told else meeting.change_note.splitlines()
    if note not in lines:
        lines.append(note)
    meeting.change_note = "\n".join(lines)
    if told or new_version:
        meeting.sequence += 1
    return ["sequence", "change_note"]


def describe_changes(changed: dict) -> str:
    parts = []
    if "topic" in changed:
        topic = changed["topic"]
        parts.append(_("Новая тема: %(topic)s.") % {"topic": topic} if topic else _("Тема снята."))
    if "duration_minutes" in changed:
        minutes = changed["duration_minutes"]
        parts.append(_("Новая продолжительность: %(minutes)s мин.") % {"minutes": minutes})
    return " ".join(parts)


@transaction.atomic
def update_meeting(meeting: Meeting, **fields) -> Meeting:
    """Save the meeting's details; an announced meeting changes its time or place by a move.

    A new topic or duration of an announced meeting is a new version: the
    members are told after the commit.
    """
    meeting = lock(meeting)
    ensure_open(meeting)
    changed = {
        name: fields[name]
        for name in (*SCHEDULE_FIELDS, *NOTICE_FIELDS)
        if name in fields and fields[name] != getattr(meeting, name)
    }
    if changed.keys() & set(SCHEDULE_FIELDS) and meeting.is_announced:
        raise MeetingError(
            _("Заседание уже объявлено: чтобы изменить время или место, перенесите его.")
        )
    if "starts_at" in changed or "planned_month" in changed:
        starts_at = fields.get("starts_at", meeting.starts_at)
        if starts_at is not None:
            fields["planned_month"] = timezone.localtime(starts_at).month
        check_schedule(
            year=meeting.year,
            planned_month=fields.get("planned_month"),
            starts_at=starts_at,
            moving=True,
        )
    for name, value in fields.items():
        setattr(meeting, name, value)
    update_fields = [*fields, "updated_at"]
    tell = meeting.announced_at is not None and changed.keys() & set(NOTICE_FIELDS)
    if tell:
        update_fields += note_change(meeting, describe_changes(changed))
    meeting.save(update_fields=update_fields)
    if tell:
        queue_notice(meeting, kind="changed")
    return meeting


@transaction.atomic
def reschedule_meeting(meeting: Meeting, *, starts_at: datetime, note: str, **venue) -> Meeting:
    """Move the meeting to a new time (and place); those invited are told after the commit."""
    meeting = lock(meeting)
    ensure_open(meeting)
    check_schedule(year=meeting.year, starts_at=starts_at, moving=True)
    venue = {name: value for name, value in venue.items() if name in ("format", "place", "link")}
    fields = {"starts_at": starts_at, "planned_month": timezone.localtime(starts_at).month, **venue}
    if all(getattr(meeting, name) == value for name, value in fields.items()):
        raise MeetingError(_("Ни время, ни место не изменились."))
    for name, value in fields.items():
        setattr(meeting, name, value)
    if meeting.announced_at is not None:
        note_change(meeting, note)
    else:
        meeting.sequence += 1
        meeting.change_note = note
    meeting.save(update_fields=[*fields, "sequence", "change_note", "updated_at"])
    if meeting.announced_at is not None:
        queue_notice(meeting, kind="changed")
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str) -> Meeting:
    """Cancel the meeting; if it was announced, those invited are told after the commit."""
    meeting = lock(meeting)
    if meeting.is_cancelled:
        return meeting
    ensure_open(meeting)
    was_announced = meeting.announced_at is not None
    meeting.status = Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    if was_announced:
        queue_notice(meeting, kind="cancelled")
    return meeting


def queue_notice(meeting: Meeting, *, kind: str) -> None:
    """Record the change notices with the change itself (meetings/services/notices.py).

    The outbox rows are written in the same transaction, so a notice can never
    be lost; only handing them to the workers waits for the commit, and if the
    broker is down then, the sweep sends the saved rows.
    """
    from .notices import queue_change_notice  # notices imports this module

    queue_change_notice(meeting, kind=kind)


def announce_problems(meeting: Meeting) -> list[str]:
    """Return what stops the meeting from being announced (empty when it may be)."""
    if meeting.is_cancelled:
        return [_("Заседание отменено.")]
    if meeting.is_held:
        return [_("Заседание уже проведено.")]
    problems = []
    if meeting.starts_at is None:
        problems.append(_("Укажите точные дату и время заседания."))
    elif meeting.has_started:
        problems.append(_("Время заседания уже прошло: перенесите его."))
    if meeting.format == Meeting.Format.ONLINE and not meeting.link:
        problems.append(_("Укажите ссылку на онлайн-трансляцию."))
    if meeting.format == Meeting.Format.IN_PERSON and not meeting.place:
        problems.append(_("Укажите место проведения."))
    if not meeting.agenda_items.exists():
        problems.append(_("Повестка пуста: добавьте хотя бы один вопрос."))
    return problems


def check_announceable(meeting: Meeting) -> None:
    """Raise MeetingError if the meeting cannot be announced (e.g. its agenda is empty)."""
    if problems := announce_problems(meeting):
        raise MeetingError(problems)


@transaction.atomic
def answer_meeting(meeting: Meeting, *, member: Member, answer: str) -> Response:
    """Record the member's «буду / не буду»; it can be changed until the meeting starts."""
    if not meeting.is_announced:
        raise MeetingError(_("Ответить можно только на объявленное заседание."))
    if meeting.has_started:
        raise MeetingError(_("Заседание уже началось: ответ изменить нельзя."))
    response, _created = Response.objects.update_or_create(
        meeting=meeting, member=member, defaults={"answer": answer}
    )
    return response
