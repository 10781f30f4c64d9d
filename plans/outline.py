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
    number: str  # «3», «2.1», «2.1.1», the label as written, or "" for a group row
    item: Item
    index: int = 0  # the row's place in its section, from 1 (for moving it)
    columns: list[tuple[str, str]] = field(default_factory=list)  # its table's

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
    def is_group(self) -> bool:
        return self.item.is_group

    @property
    def numbered(self) -> str:
        """The number as printed: «3.», «2.1.», a label as written, or ""."""
        if not self.number:
            return ""
        return self.number if self.item.label else f"{self.number}."

    def cell(self, key: str) -> str:
        """The text of one column; without a place column the timing shows the place too."""
        item = self.item
        if key == "timing":
            has_place = any(column == "place" for column, _label in self.columns)
            return self.timing if has_place else self.when_where
        if key == "place":
            return self.place
        if key == "text":
            return item_text(self)
        return getattr(item, key, "") or ""

    @property
    def agenda(self) -> list[AgendaItem]:
        meeting = self.item.meeting
        return list(meeting.agenda_items.all()) if meeting else []


@dataclass
class Block:
    section: Section
    numeral: str  # «III», «3» or "" (no numbering, or a subsection)
    rows: list[Row] = field(default_factory=list)
    continues: bool = False  # a meetings list continuing the table before it
    columns: list[tuple[str, str]] = field(default_factory=list)  # (key, header) printed

    @property
    def continues_table(self) -> bool:
        return self.continues

    @property
    def heading(self) -> str:
        title = self.section.title
        return f"{self.numeral}. {title}" if self.numeral else title

    @property
    def column_keys(self) -> set[str]:
        return {key for key, _label in self.columns}

    @property
    def column_count(self) -> int:
        return len(self.columns)


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
    """Number the sections and their rows as the revision's settings say.

    A section's heading takes a Roman or Arabic numeral or none; a meetings list
    continues the table before it without one. Rows are numbered 1, 2… (nested
    rows 2.1, 2.1.1); group rows are not numbered and do not break the count; a
    section may continue the count of the section before it; a label written by
    hand replaces the computed number.
    """
    blocks: list[Block] = []
    headings = 0
    counters = [0, 0, 0]
    for section in revision.sections.all():
        continues = section.is_subsection and bool(blocks)
        numeral = ""
        if not continues and section.numbering != Section.Numbering.NONE:
            headings += 1
            numeral = (
                roman(headings) if section.numbering == Section.Numbering.ROMAN else str(headings)
            )
        columns = blocks[-1].columns if continues else section.table_columns
        block = Block(section=section, numeral=numeral, continues=continues, columns=columns)
        if not section.continue_numbering:
            counters = [0, 0, 0]
        for index, item in enumerate(section.items.all(), start=1):
            if item.is_group:
                block.rows.append(Row("", item, index, columns))
                continue
            level = min(item.level, 2)
            counters[level] += 1
            for deeper in range(level + 1, 3):
                counters[deeper] = 0
            number = ".".join(str(max(n, 1)) for n in counters[: level + 1])
            block.rows.append(Row(item.label or number, item, index, columns))
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
    lines = [*revision.title_lines]
    if revision.place:
        lines.append(f"{revision.place}, {revision.plan.year}")
    for stamp in revision.stamps.all():
        parts = [stamp.get_kind_display() + ":", *stamp.basis_lines, *stamp.position_lines]
        lines.append(" ".join([*parts, stamp.person_name]).strip())
    for block in outline(revision):
        lines.append(block.heading)
        if block.section.text:
            lines.extend(block.section.text.splitlines())
        keys = [key for key, _label in block.columns if key not in ("number", "text")]
        if not keys and block.section.has_items:
            keys = ["timing", "responsible"]
        for row in block.rows:
            if row.is_group:
                lines.append(f"== {row.item.text}")
                continue
            parts = [f"{row.numbered} {item_text(row)}".strip()]
            parts += [row.cell(key) for key in keys]
            lines.append(" | ".join(p for p in parts if p))
    lines.append(f"{revision.signature_position} {revision.signature_name}".strip())
    return lines
