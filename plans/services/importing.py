"""A plan from plain data (an imported Word file or pasted text), and back.

``create_from_spec`` makes an ordinary draft from a ``PlanSpec`` in one
transaction; ``spec_of`` reads any revision back into one, for the .docx export
and for comparing plans in the round-trip tests.
"""

from django.db import transaction

from members.models import Association, Member

from ..models import COLUMNS, Item, Plan, Revision, Section, Stamp
from ..outline import item_text, load_revision, outline
from ..spec import ColumnSpec, PlanSpec, RowSpec, SectionSpec, StampSpec
from ..timing import mask, parse_months
from .creation import new_plan

CELL_FIELDS = ("timing", "time", "place", "form", "responsible", "participants", "result",
               "execution_note")  # fmt: skip
KINDS = set(Section.Kind.values)
NUMBERINGS = set(Section.Numbering.values)
STAMP_KINDS = set(Stamp.Kind.values)


def clip(text: str, field) -> str:
    """Cut a text to the field's limit (an import never fails on a long cell)."""
    limit = field.max_length
    return text[:limit] if limit and len(text) > limit else text


def model_text(model, name: str, text: str) -> str:
    return clip(text or "", model._meta.get_field(name))


@transaction.atomic
def create_from_spec(association: Association, spec: PlanSpec, *, by: Member | None) -> Revision:
    """Create the plan the spec describes, with its first draft revision; return the draft.

    Raises ``PlanExists`` when the association already has such a plan for the period.
    """
    plan = new_plan(association, year=spec.year, period=spec.period, name=spec.name,
                    starts_on=spec.starts_on, ends_on=spec.ends_on)  # fmt: skip
    revision = Revision.objects.create(
        plan=plan,
        number=1,
        title=model_text(Revision, "title", "\n".join(spec.title_lines) or plan.heading.upper()),
        place=model_text(Revision, "place", spec.place),
        date_style=spec.date_style if spec.date_style in Revision.DateStyle.values else "года",
        signature_position=model_text(Revision, "signature_position", spec.signature_position),
        signature_name=model_text(Revision, "signature_name", spec.signature_name),
        updated_by=by,
    )
    used_sides, used_kinds = set(), set()
    for stamp in spec.stamps:
        kind = stamp.kind if stamp.kind in STAMP_KINDS else Stamp.Kind.APPROVED
        side = stamp.side if stamp.side in ("left", "right") else "right"
        if side in used_sides:
            side = "left" if side == "right" else "right"
        if side in used_sides or kind in used_kinds:
            continue
        used_sides.add(side)
        used_kinds.add(kind)
        Stamp.objects.create(
            revision=revision, kind=kind, side=side,
            position=model_text(Stamp, "position", stamp.position),
            person_name=model_text(Stamp, "person_name", stamp.person_name),
            basis=model_text(Stamp, "basis", stamp.basis),
            layout=stamp.layout if stamp.layout in Stamp.Layout.values else "classic",
        )  # fmt: skip
    first_month = plan.starts_on.month
    for position, section_spec in enumerate(spec.sections, start=1):
        kind = section_spec.kind if section_spec.kind in KINDS else Section.Kind.TEXT
        section = Section.objects.create(
            revision=revision, position=position, kind=kind,
            title=model_text(Section, "title", section_spec.title),
            text=model_text(Section, "text", section_spec.text),
            numbering=section_spec.numbering if section_spec.numbering in NUMBERINGS else "roman",
            columns=[[c.key, c.label] for c in section_spec.columns if c.key in COLUMNS],
            continue_numbering=section_spec.continue_numbering,
        )  # fmt: skip
        Item.objects.bulk_create(
            item_of(section, index, row, first_month)
            for index, row in enumerate(section_spec.rows, start=1)
        )
    return revision


def item_of(section: Section, position: int, row: RowSpec, first_month: int) -> Item:
    cells = row.cells
    fields = {name: model_text(Item, name, cells.get(name, "")) for name in CELL_FIELDS}
    return Item(
        section=section,
        position=position,
        text=model_text(Item, "text", cells.get("text", "")),
        label=model_text(Item, "label", row.label),
        level=max(0, min(row.level, 2)),
        is_group=row.is_group,
        month_mask=mask(parse_months(cells.get("timing", ""), first_month=first_month)),
        **fields,
    )


def spec_of(revision: Revision) -> PlanSpec:
    """Read a revision into plain data, as it prints (a meeting's row shows its agenda)."""
    revision = load_revision(revision.pk)
    plan = revision.plan
    spec = PlanSpec(
        title_lines=revision.title_lines,
        place=revision.place,
        period=plan.period,
        year=plan.year,
        starts_on=plan.starts_on if plan.period == Plan.Period.DATES else None,
        ends_on=plan.ends_on if plan.period == Plan.Period.DATES else None,
        name=plan.name,
        date_style=revision.date_style,
        signature_position=revision.signature_position,
        signature_name=revision.signature_name,
    )
    for stamp in revision.stamps.all():
        spec.stamps.append(
            StampSpec(
                kind=stamp.kind,
                side=stamp.side,
                position=stamp.position,
                person_name=stamp.person_name,
                basis=stamp.basis,
                layout=stamp.layout,
            )  # fmt: skip
        )
    for block in outline(revision):
        section = block.section
        section_spec = SectionSpec(
            title=section.title, kind=section.kind, numbering=section.numbering, text=section.text,
            columns=[ColumnSpec(key, label) for key, label in section.columns],
            continue_numbering=section.continue_numbering,
        )  # fmt: skip
        for row in block.rows:
            item = row.item
            cells = {"text": item_text(row)}
            cells.update({name: getattr(item, name) for name in CELL_FIELDS if getattr(item, name)})
            if item.meeting is not None:
                cells["timing"], cells["place"] = row.timing, row.place
                cells = {key: value for key, value in cells.items() if value}
            section_spec.rows.append(
                RowSpec(cells=cells, label=item.label, level=item.level, is_group=item.is_group)
            )
        spec.sections.append(section_spec)
    return spec
