"""Regulations as data: creating a contest, copying versions, numbering, comparing."""

import difflib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Award,
    Clause,
    Contest,
    Criterion,
    Nomination,
    Organiser,
    Person,
    Regulation,
    Section,
    Stage,
    Stamp,
)

BLOCK_MODELS = [Stamp, Organiser, Nomination, Stage, Criterion, Person, Award]
COPIED_FIELDS = [
    "kind",
    "audience",
    "dedication",
    "numbering",
    "place",
    "application_opens",
    "application_closes",
    "required_files",
    "allowed_extensions",
    "consent_required",
    "tie_rule",
    "contacts",
    "appendix",
]
DEFAULT_SECTIONS = [
    (
        _("Общие положения"),
        [_("Настоящее Положение определяет порядок организации и проведения Конкурса.")],
    ),
    (_("Цели и задачи Конкурса"), []),
    (_("Участники Конкурса"), []),
    (_("Сроки и порядок проведения Конкурса"), []),
    (_("Подведение итогов и награждение"), []),
]


@transaction.atomic
def create_contest(*, title: str, year: int, organizers, by=None) -> Contest:
    """Create a contest and its first draft regulations with the usual sections."""
    contest = Contest.objects.create(title=title, year=year)
    contest.organizers.set(organizers)
    regulation = Regulation.objects.create(contest=contest, number=1)
    for position, association in enumerate(organizers, start=1):
        Organiser.objects.create(
            regulation=regulation,
            position=position,
            name=association.name,
            role=_("организатор"),
            association=association,
        )
    for position, (title_text, clauses) in enumerate(DEFAULT_SECTIONS, start=1):
        section = Section.objects.create(regulation=regulation, position=position, title=title_text)
        for n, text in enumerate(clauses, start=1):
            Clause.objects.create(section=section, position=n, text=text)
    return contest


def newest(contest: Contest) -> Regulation | None:
    return contest.regulations.order_by("-number").first()


@transaction.atomic
def new_version(regulation: Regulation) -> Regulation:
    """Copy a version into the next draft; a returned version's comments come along."""
    contest = Contest.objects.select_for_update().get(pk=regulation.contest_id)
    latest = newest(contest)
    if latest.is_editable and latest.pk != regulation.pk:
        return latest
    if regulation.is_editable:
        return regulation
    copy = Regulation(contest=contest, number=latest.number + 1)
    for name in COPIED_FIELDS:
        setattr(copy, name, getattr(regulation, name))
    if regulation.status == Regulation.Status.RETURNED:
        copy.return_comment = regulation.return_comment
    copy.save()
    for model in BLOCK_MODELS:
        for block in model.objects.filter(regulation=regulation):
            block.pk = None
            block.regulation = copy
            block.save()
    for section in regulation.sections.all():
        clauses = list(section.clauses.order_by("parent_id", "position", "pk"))
        section.pk = None
        section.regulation = copy
        section.save()
        mapping = {}
        for clause in sorted(clauses, key=lambda c: (c.parent_id is not None, c.position, c.pk)):
            old = clause.pk
            clause.pk = None
            clause.section = section
            clause.parent_id = mapping.get(clause.parent_id)
            clause.save()
            mapping[old] = clause.pk
    return copy


ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


@dataclass
class Line:
    """A paragraph of a clause: plain text, or a bullet that keeps its own «–» or «-»."""

    text: str
    marker: str = ""


@dataclass
class NumberedClause:
    number: str
    clause: Clause
    depth: int
    lines: list[Line] = field(default_factory=list)


@dataclass
class NumberedSection:
    number: str
    section: Section
    clauses: list[NumberedClause] = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    lines = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped[0] in "–-—" and len(stripped) > 1 and stripped[1] == " ":
            lines.append(Line(stripped[2:].strip(), marker=stripped[0]))
        else:
            lines.append(Line(stripped))
    return lines


def numbered(regulation: Regulation) -> list[NumberedSection]:
    """Return the sections and clauses with computed numbers: I / 1, then 1.1 and 1.1.1."""
    sections = list(regulation.sections.order_by("position", "pk").prefetch_related("clauses"))
    out = []
    for s_index, section in enumerate(sections, start=1):
        label = (
            roman(s_index) if regulation.numbering == Regulation.Numbering.ROMAN else str(s_index)
        )
        entry = NumberedSection(number=label, section=section)
        clauses = sorted(section.clauses.all(), key=lambda c: (c.position, c.pk))
        children: dict = {}
        for clause in clauses:
            children.setdefault(clause.parent_id, []).append(clause)

        walk(entry, children, None, str(s_index), 0)
        out.append(entry)
    return out


def walk(entry: NumberedSection, children: dict, parent_id, prefix: str, depth: int) -> None:
    for n, clause in enumerate(children.get(parent_id, []), start=1):
        number = f"{prefix}.{n}"
        entry.clauses.append(NumberedClause(number, clause, depth, split_lines(clause.text)))
        walk(entry, children, clause.pk, number, depth + 1)


def as_text(regulation: Regulation) -> list[str]:
    """The version as plain lines, for comparing two versions."""
    lines = [f"ПОЛОЖЕНИЕ о проведении {regulation.kind} «{regulation.contest.title}»"]
    if regulation.audience:
        lines.append(regulation.audience)
    if regulation.dedication:
        lines.append(regulation.dedication)
    for entry in numbered(regulation):
        lines.append(f"{entry.number}. {entry.section.title}")
        for clause in entry.clauses:
            for i, line in enumerate(clause.lines):
                head = f"{clause.number}. " if i == 0 else ""
                lines.append(f"{head}{line.marker + ' ' if line.marker else ''}{line.text}")
    for stage in regulation.stages.all():
        lines.append(
            f"Этап {stage.position}: {stage.what} "
            f"{stage.starts or ''}–{stage.ends or ''} {stage.place}"
        )
    for nomination in regulation.nominations.all():
        lines.append(f"Номинация: {nomination.name} ({nomination.category})")
    for criterion in regulation.criteria.all():
        lines.append(
            f"Критерий: {criterion.name}, до {criterion.max_points} б., вес {criterion.weight}"
        )
    for person in regulation.people.all():
        lines.append(
            f"{person.get_group_display()}: {person.display_name} – {person.position_text}"
        )
    for award in regulation.awards.all():
        lines.append(f"Награда: {award.place or 'спец.'} — {award.title}")
    return lines


def compare(old: Regulation, new: Regulation) -> list[tuple[str, str, str]]:
    """Side by side rows (tag, old line, new line); tag is equal, replace, delete or insert."""
    a, b = as_text(old), as_text(new)
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        left, right = a[i1:i2], b[j1:j2]
        for k in range(max(len(left), len(right))):
            rows.append((tag, left[k] if k < len(left) else "", right[k] if k < len(right) else ""))
    return rows
