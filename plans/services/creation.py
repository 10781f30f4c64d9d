"""New plans: an empty skeleton, or a copy of last year's plan moved a year forward."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetings.services import copy_meeting
from members.models import Association, Member, Membership

from ..models import Item, Plan, Revision, Section, Stamp

Kind = Section.Kind
SKELETON = [
    (Kind.NUMBERED, "Приоритетные направления деятельности:"),
    (Kind.NUMBERED, "Основные задачи деятельности учебно-методического объединения:"),
    (Kind.EVENTS, "Планируемые мероприятия:"),
    (Kind.MEETINGS, "Проведение заседаний РУМО:"),
    (Kind.ORGWORK, "Организационная работа РУМО:"),
]


PLAN_YEARS = (2000, 2100)


class PlanExists(Exception):
    """The association already has such a plan for that period."""


def holder(association: Association, role: str) -> Membership | None:
    return (
        Membership.objects.active()
        .filter(association=association, role=role)
        .select_related("member")
        .order_by("start")
        .first()
    )


def default_stamps(revision: Revision) -> None:
    association = revision.plan.association
    for kind, side, role in (
        (Stamp.Kind.AGREED, Stamp.Side.LEFT, Membership.Role.CURATOR),
        (Stamp.Kind.APPROVED, Stamp.Side.RIGHT, Membership.Role.APPROVER),
    ):
        membership = holder(association, role)
        Stamp.objects.create(
            revision=revision,
            kind=kind,
            side=side,
            position=membership.title if membership else "",
            person_name=membership.member.short_name if membership else "",
        )


def new_plan(association: Association, *, year: int, period: str = Plan.Period.YEAR,
             name: str = "", starts_on=None, ends_on=None) -> Plan:  # fmt: skip
    """Save a plan for the period, or raise PlanExists when the association has it.

    A period outside the years a plan may have (the database's ``plan_year_sane``)
    raises ValidationError with a message for the user, never an IntegrityError.
    """
    starts_on, ends_on = Plan.period_bounds(period, year, starts_on, ends_on)
    if not PLAN_YEARS[0] <= starts_on.year <= PLAN_YEARS[1]:
        raise ValidationError(
            _("Год плана — от %(first)s до %(last)s.")
            % {"first": PLAN_YEARS[0], "last": PLAN_YEARS[1]}
        )
    same = Plan.objects.filter(
        association=association, name=name, starts_on=starts_on, ends_on=ends_on
    )
    if same.exists():
        raise PlanExists
    try:
        with transaction.atomic():
            return Plan.objects.create(
                association=association, year=starts_on.year if period == Plan.Period.DATES
                else year, period=period, name=name, starts_on=starts_on, ends_on=ends_on,
            )  # fmt: skip
    except IntegrityError:  # a concurrent request created it first
        raise PlanExists from None


def plan_title(association: Association, plan: Plan) -> str:
    first = (plan.name or "План работы").upper()
    return f"{first}\n{association.name}\nна {plan.period_label}"


@transaction.atomic
def create_plan(
    association: Association, *, year: int, by: Member | None, copy_from: Revision | None = None,
    period: str = Plan.Period.YEAR, name: str = "", starts_on=None, ends_on=None,
) -> Plan:  # fmt: skip
    """Create a plan for a period (by default the calendar ``year``) with its first draft.

    A copy of an earlier plan moves its period forward: a calendar or academic
    year by the difference of the years, dates by whole years.
    """
    if copy_from is not None and copy_from.plan.period != Plan.Period.YEAR and period == "year":
        source = copy_from.plan
        period, name = source.period, name or source.name
        if period == Plan.Period.DATES:
            years = year - source.year
            starts_on = shift_date(source.starts_on, years)
            ends_on = shift_date(source.ends_on, years)
    plan = new_plan(association, year=year, period=period, name=name, starts_on=starts_on,
                    ends_on=ends_on)  # fmt: skip
    chair = holder(association, Membership.Role.CHAIR)
    revision = Revision.objects.create(
        plan=plan,
        number=1,
        title=plan_title(association, plan),
        place=association.city,
        signature_position=chair.title if chair else "",
        signature_name=chair.member.short_name if chair else "",
        updated_by=by,
    )
    if copy_from is None:
        default_stamps(revision)
        for position, (kind, title) in enumerate(SKELETON, start=1):
            Section.objects.create(revision=revision, position=position, kind=kind, title=title)
        return plan
    shift = YearShift(copy_from.plan.year, plan.year, span=2 if plan.is_academic else 1)
    revision.title = shift(copy_from.title)
    revision.place = copy_from.place
    revision.date_style = copy_from.date_style
    revision.signature_position = copy_from.signature_position
    revision.signature_name = copy_from.signature_name
    copy_content(copy_from, revision, shift=shift)
    revision.copy_notes = shift.notes
    revision.save()
    return plan


def shift_date(day, years: int):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


class YearShift:
    """Rewrite the source years to the target years in copied texts, noting each change.

    An academic year spans two years (``span=2``): «2024–2025» becomes «2025–2026»
    in one pass, never «2025–2025».
    """

    def __init__(self, source: int, target: int, *, span: int = 1):
        self.source, self.target = source, target
        self.mapping = {str(source + n): str(target + n) for n in range(span)}
        years = "|".join(self.mapping)
        self.pattern = re.compile(rf"(?<!\d)({years})(?!\d)")
        self.notes: list[dict] = []

    def __call__(self, text: str, where: str = "") -> str:
        if not text:
            return text
        new = self.pattern.sub(lambda match: self.mapping[match.group(1)], text)
        if new != text and where:
            self.notes.append({"where": where, "old": text, "new": new})
        return new


def copy_content(
    source: Revision, target: Revision, *, shift: YearShift | None = None,
    keep_execution: bool = False,
) -> None:  # fmt: skip
    """Copy stamps, sections and items; with ``shift``, into another year."""
    shift = shift or YearShift(source.plan.year, source.plan.year)
    for stamp in source.stamps.all():
        Stamp.objects.create(
            revision=target,
            kind=stamp.kind,
            side=stamp.side,
            position=stamp.position,
            person_name=stamp.person_name,
            basis=shift(stamp.basis, where=f"Гриф «{stamp.get_kind_display()}»"),
            layout=stamp.layout,
        )
    meetings: dict[int, object] = {}
    for section in source.sections.prefetch_related("items__responsible_members"):
        title = shift(section.title, where=f"Раздел «{section.title}»")
        copy = Section.objects.create(
            revision=target,
            position=section.position,
            kind=section.kind,
            title=title,
            text=shift(section.text, where=f"Текст раздела «{title}»"),
            numbering=section.numbering,
            columns=section.columns,
            continue_numbering=section.continue_numbering,
        )
        for item in section.items.all():
            copy_item(item, copy, shift, meetings, keep_execution=keep_execution)


def copy_item(item: Item, section: Section, shift: YearShift, meetings: dict, *,
              keep_execution: bool) -> Item:  # fmt: skip
    meeting = item.meeting
    if meeting is not None and shift.source != shift.target:
        if meeting.pk not in meetings:
            meetings[meeting.pk] = copy_meeting(meeting, year=shift.target, rewrite=shift)
        meeting = meetings[meeting.pk]
    label = f"Пункт «{item.text[:60]}»"
    new = Item.objects.create(
        section=section,
        position=item.position,
        text=shift(item.text, where=label),
        timing=shift(item.timing, where=f"{label}: сроки"),
        place=shift(item.place, where=f"{label}: место"),
        month_mask=item.month_mask,
        label=item.label,
        level=item.level,
        is_group=item.is_group,
        time=item.time,
        form=shift(item.form),
        participants=item.participants,
        result=shift(item.result),
        responsible=item.responsible,
        meeting=meeting,
        contest=item.contest if shift.source == shift.target else None,
        execution=item.execution if keep_execution else Item.Execution.PLANNED,
        execution_note=item.execution_note if keep_execution else "",
        origin=item if keep_execution else None,
    )
    new.responsible_members.set(item.responsible_members.all())
    return new
