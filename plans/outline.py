"""A revision as a document: sections with their computed numerals and row numbers.

The plan page, the PDF and the revision diff all read the plan through here, so
numbering is computed in one place and the page costs the same number of
queries however long the plan is.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from meetings.models import AgendaItem, Meeting

from .models import Item, Revision, Section, roman


@dataclass
class Row:
    number: int
    item: Item

    @property
    def timing(self) -> str:
        """A meeting's row follows the meeting: moving it moves the plan's timing too."""
        meeting = self.item.meeting
        return meeting.when_text if meeting else self.item.timing

    @property
    def place(self) -> str:
        meeting = self.item.meeting
        if meeting is None:
            return self.item.place
        online = meeting.format == Meeting.Format.ONLINE and meeting.link
        return meeting.place or ("онлайн" if online else "") or self.item.place

    @property
    def when_where(self) -> str:
        return " ".join(part for part in (self.timing, self.place) if part)

    @property
    def agenda(self) -> list[AgendaItem]:
        meeting = self.item.meeting
        return list(meeting.agenda_items.all()) if meeting else []


@dataclass
class Block:
    section: Section
    numeral: str  # "" for a subsection that continues the table before it
    rows: list[Row] = field(default_factory=list)

    @property
    def continues_table(self) -> bool:
        return self.numeral == ""


def load_revision(pk: int) -> Revision:
    """Return the revision with everything the document needs, in a fixed number of queries."""
    items = Item.objects.select_related("meeting", "contest").prefetch_related(
        "responsible_members",
        Prefetch("meeting__agenda_items", queryset=AgendaItem.objects.order_by("position", "pk")),
    )
    return (
        Revision.objects.select_related("plan__association", "updated_by")
        .prefetch_related(
            "stamps__signed_by",
            Prefetch("sections", queryset=Section.objects.prefetch_related(
                Prefetch("items", queryset=items))),
        )
        .get(pk=pk)
    )  # fmt: skip


def outline(revision: Revision) -> list[Block]:
    blocks = []
    counter = 0
    for section in revision.sections.all():
        subsection = section.is_subsection and bool(blocks)
        if not subsection:
            counter += 1
        block = Block(section=section, numeral="" if subsection else roman(counter))
        block.rows = [Row(n, item) for n, item in enumerate(section.items.all(), start=1)]
        blocks.append(block)
    return blocks


def stamps_by_side(revision: Revision) -> dict:
    return {stamp.side: stamp for stamp in revision.stamps.all()}


def item_text(row: Row) -> str:
    """Return the item's text as the document shows it (a meeting shows its agenda)."""
    item = row.item
    if item.meeting is None:
        return item.text
    agenda = " ".join(f"{a.position}. {a.title}" for a in row.agenda)
    return f"Заседание № {item.meeting.number}. {agenda}".strip()


def plain_lines(revision: Revision) -> list[str]:
    """Return the revision as lines of text, for comparing revisions."""
    lines = [*revision.title_lines, f"{revision.place}, {revision.plan.year}"]
    for stamp in revision.stamps.all():
        lines.append(
            f"{stamp.get_kind_display()}: {' '.join(stamp.position_lines)} {stamp.person_name}"
        )
    for block in outline(revision):
        lines.append(
            f"{block.numeral}. {block.section.title}" if block.numeral else block.section.title
        )
        if block.section.text:
            lines.extend(block.section.text.splitlines())
        for row in block.rows:
            parts = [f"{row.number}. {item_text(row)}", row.when_where, row.item.responsible]
            lines.append(" | ".join(p for p in parts if p))
    lines.append(f"{revision.signature_position} {revision.signature_name}".strip())
    return lines
