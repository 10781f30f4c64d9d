"""Holding a meeting: attendance and quorum, the minutes of each question, approval."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Association, Member, Membership

from ..models import AgendaItem, Attendance, DocumentKind, Meeting
from ..signals import minutes_approved
from .documents import request_document
from .scheduling import MeetingError, lock

Status = Meeting.Status
# Who counts towards the quorum: the association's own people, not its curator or approver.
VOTING_ROLES = Membership.OWN_ROLES


@dataclass(frozen=True)
class Quorum:
    present: int
    members: int

    @property
    def needed(self) -> int:
        """More than half of the members."""
        return self.members // 2 + 1

    @property
    def reached(self) -> bool:
        return self.members > 0 and self.present >= self.needed


def meeting_day(meeting: Meeting) -> date:
    return timezone.localdate(meeting.starts_at) if meeting.starts_at else timezone.localdate()


def association_members(association: Association, *, on: date | None = None):
    """Return the members who count towards the quorum on a day."""
    memberships = Membership.objects.active(on).filter(
        association=association, role__in=VOTING_ROLES
    )
    return Member.objects.filter(pk__in=memberships.values("member_id"))


def quorum_of(meeting: Meeting, *, present: int | None = None) -> Quorum:
    if present is None:
        present = meeting.attendance.count()
    members = association_members(meeting.association, on=meeting_day(meeting)).count()
    return Quorum(present=present, members=members)


def default_signers(meeting: Meeting) -> dict[str, str]:
    """Return the association's chair and secretary on the meeting day, as documents name them."""
    held = (
        Membership.objects.active(meeting_day(meeting))
        .filter(association_id=meeting.association_id)
        .select_related("member")
        .order_by("start", "pk")
    )
    names = {}
    for membership in held.filter(role__in=[Membership.Role.CHAIR, Membership.Role.SECRETARY]):
        names.setdefault(membership.role, membership.member.short_name)
    return {
        "chair_name": meeting.minutes_chair or names.get(Membership.Role.CHAIR, ""),
        "secretary_name": meeting.minutes_secretary or names.get(Membership.Role.SECRETARY, ""),
    }


def lock_minutes(meeting: Meeting) -> Meeting:
    meeting = lock(meeting)
    if meeting.is_cancelled:
        raise MeetingError(_("Заседание отменено."))
    if meeting.minutes_approved:
        raise MeetingError(_("Протокол утверждён и больше не изменяется."))
    return meeting


def vote_limit(meeting: Meeting) -> int:
    """Return how many may vote: the members present and the invited guests."""
    return meeting.attendance.count() + meeting.invited_count


def check_votes(limit: int, *votes: int | None) -> None:
    total = sum(v or 0 for v in votes)
    if total > limit:
        raise MeetingError(
            _("Голосов (%(total)s) больше, чем присутствовало вместе с гостями (%(limit)s).")
            % {"total": total, "limit": limit}
        )


@transaction.atomic
def record_attendance(
    meeting: Meeting, *, present: Iterable[Member], invited_count: int, invited_names: str = ""
) -> Meeting:
    """Record who was present (the invited by name, one a line); the meeting is then held."""
    meeting = lock_minutes(meeting)
    if meeting.starts_at is None:
        raise MeetingError(_("Сначала укажите дату и время заседания."))
    if not meeting.has_started:
        raise MeetingError(_("Присутствие отмечают, когда заседание началось."))
    wanted = {m.pk for m in present}
    allowed = set(
        association_members(meeting.association, on=meeting_day(meeting)).values_list(
            "pk", flat=True
        )
    )
    if wanted - allowed:
        raise MeetingError(_("Отметить можно только членов объединения."))
    for item in meeting.agenda_items.all():
        check_votes(
            len(wanted) + invited_count, item.votes_for, item.votes_against, item.votes_abstained
        )
    meeting.attendance.exclude(member_id__in=wanted).delete()
    known = set(meeting.attendance.values_list("member_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member_id=pk) for pk in sorted(wanted - known)
    )
    names = [line.strip() for line in invited_names.splitlines() if line.strip()]
    if len(names) > invited_count:
        raise MeetingError(_("Приглашённых названо больше, чем указано гостей."))
    meeting.invited_count = invited_count
    meeting.invited_names = "\n".join(names)
    meeting.status = Status.HELD
    meeting.save(update_fields=["invited_count", "invited_names", "status", "updated_at"])
    return meeting


def lock_held(meeting: Meeting) -> Meeting:
    meeting = lock_minutes(meeting)
    if not meeting.is_held:
        raise MeetingError(_("Сначала отметьте присутствующих."))
    return meeting


@transaction.atomic
def record_minutes(meeting: Meeting, *, chair_name: str, secretary_name: str) -> Meeting:
    """Record who chaired the meeting and who kept the minutes."""
    meeting = lock_held(meeting)
    meeting.minutes_chair = chair_name
    meeting.minutes_secretary = secretary_name
    meeting.save(update_fields=["minutes_chair", "minutes_secretary", "updated_at"])
    return meeting


@transaction.atomic
def record_item_minutes(
    item: AgendaItem,
    *,
    heard: str = "",
    spoke: str = "",
    decided: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstained: int | None = None,
) -> AgendaItem:
    """Write СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ and the votes of one question."""
    meeting = lock_held(item.meeting)
    check_votes(vote_limit(meeting), votes_for, votes_against, votes_abstained)
    fields = {
        "heard": heard,
        "spoke": spoke,
        "decided": decided,
        "votes_for": votes_for,
        "votes_against": votes_against,
        "votes_abstained": votes_abstained,
    }
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=list(fields))
    return item


def approval_problems(meeting: Meeting) -> list[str]:
    """Return what is missing before the minutes can be approved."""
    if not meeting.is_held:
        return [_("Сначала отметьте присутствующих.")]
    problems = []
    if not meeting.minutes_chair or not meeting.minutes_secretary:
        problems.append(_("Укажите председателя и секретаря заседания."))
    items = list(meeting.agenda_items.all())
    if not items:
        problems.append(_("В повестке нет ни одного вопроса."))
    missing = [str(item.position) for item in items if not item.decided.strip()]
    if missing:
        problems.append(
            _("Запишите «РЕШИЛИ» по вопросам: %(numbers)s.") % {"numbers": ", ".join(missing)}
        )
    return problems


@transaction.atomic
def approve_minutes(meeting: Meeting, *, on: date | None = None) -> Meeting:
    """Approve (and so freeze) the minutes; plan items of the meeting are then marked done."""
    meeting = lock(meeting)
    if meeting.minutes_approved:
        return meeting
    if problems := approval_problems(meeting):
        raise MeetingError(problems)
    now = timezone.now()
    if on is None or on == timezone.localdate(now):
        meeting.minutes_approved_at = now
    else:
        meeting.minutes_approved_at = timezone.make_aware(datetime.combine(on, time(17)))
    meeting.save(update_fields=["minutes_approved_at", "updated_at"])
    minutes_approved.send(sender=Meeting, meeting=meeting)
    request_document(meeting, kind=DocumentKind.MINUTES)
    return meeting
