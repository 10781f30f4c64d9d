"""New plans: an empty skeleton, or a copy of last year's plan moved a year forward."""

import re

from django.db import IntegrityError, transaction

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


class PlanExists(Exception):
    """The association already has a plan for that year."""


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


@transaction.atomic
def create_plan(
    association: Association, *, year: int, by: Member | None, copy_from: Revision | None = None
) -> Plan:
    """Create the plan for a year with its first draft revision."""
    if Plan.objects.filter(association=association, year=year).exists():
        raise PlanExists
    try:
        with transaction.atomic():
            plan = Plan.objects.create(association=association, year=year)
    except IntegrityError:  # a concurrent request created it first
        raise PlanExists from None
    chair = holder(association, Membership.Role.CHAIR)
    revision = Revision.objects.create(
        plan=plan,
        number=1,
        title=f"ПЛАН РАБОТЫ\n{association.name}\nна {year} год",
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
    shift = YearShift(copy_from.plan.year, year)
    revision.title = shift(copy_from.title)
    revision.place = copy_from.place
    revision.signature_position = copy_from.signature_position
    revision.signature_name = copy_from.signature_name
    copy_content(copy_from, revision, shift=shift)
    revision.copy_notes = shift.notes
    revision.save()
    return plan


class YearShift:
    """Rewrite the source year to the target year in copied texts, noting each change."""

    def __init__(self, source: int, target: int):
        self.source, self.target = source, target
        self.pattern = re.compile(rf"(?<!\d){source}(?!\d)")
        self.notes: list[dict] = []

    def __call__(self, text: str, where: str = "") -> str:
        if not text:
            return text
        new = self.pattern.sub(str(self.target), text)
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
        month_from=item.month_from,
        month_to=item.month_to,
        responsible=item.responsible,
        meeting=meeting,
        contest=item.contest if shift.source == shift.target else None,
        execution=item.execution if keep_execution else Item.Execution.PLANNED,
        execution_note=item.execution_note if keep_execution else "",
        origin=item if keep_execution else None,
    )
    new.responsible_members.set(item.responsible_members.all())
    return new
