"""A plan as plain data: what an import reads and an export writes.

The .docx and pasted-text readers produce a ``PlanSpec``; the importing service
turns it into an ordinary draft (``plans.services.importing``); the .docx writer
and the round-trip tests read a revision back into one (``spec_of``). Every text
piece is kept as written; what a reader could not place goes to ``warnings`` and
is kept as text in the plan, never dropped.
"""

from dataclasses import dataclass, field
from datetime import date

# The columns a table section can show, in their usual order, with the header
# the seed and most plans use. ``Section.columns`` stores [key, label] pairs.
COLUMN_KEYS = (
    "number",
    "text",
    "timing",
    "time",
    "place",
    "form",
    "responsible",
    "participants",
    "result",
    "execution_note",
)


@dataclass
class ColumnSpec:
    key: str  # one of COLUMN_KEYS
    label: str  # the header as written


@dataclass
class RowSpec:
    # Cell texts by column key ("text", "timing", "time", "place", "form",
    # "responsible", "participants", "result", "execution_note"); "number" is
    # not a cell: it is ``label`` (as written) or computed from ``level``.
    cells: dict[str, str] = field(default_factory=dict)
    label: str = ""  # the row's number as written («2.1.1.»), "" to compute it
    level: int = 0  # 0: «2.», 1: «2.1.», 2: «2.1.1.»
    is_group: bool = False  # «День 1», «Январь»: spans the table, not numbered


@dataclass
class SectionSpec:
    title: str
    # "numbered" (a numbered list of paragraphs), "events" (a table),
    # "meetings" (a table of meetings continuing the table before it),
    # "orgwork" (a table), "text" (paragraphs only)
    kind: str = "events"
    numbering: str = "roman"  # the heading's numeral: "roman", "arabic" or "none"
    text: str = ""  # paragraphs before the rows
    columns: list[ColumnSpec] = field(default_factory=list)  # [] = the kind's default
    rows: list[RowSpec] = field(default_factory=list)
    continue_numbering: bool = False  # rows go on from the previous section's last number


@dataclass
class StampSpec:
    kind: (
        str  # "agreed" СОГЛАСОВАНО, "approved" УТВЕРЖДЕНО, "approve" УТВЕРЖДАЮ, "accepted" ПРИНЯТО
    )
    side: str = "right"  # "left" or "right"
    position: str = ""  # lines separated by "\n"
    person_name: str = ""
    # «приказом директора от 30.08.2024 № 125», «на заседании педагогического
    # совета (протокол № 1 от 30.08.2024)»: printed instead of a signature line.
    basis: str = ""
    layout: str = (
        "classic"  # "classic": line+name, position, date; "gost": position, line+name, date
    )


@dataclass
class PlanSpec:
    title_lines: list[str] = field(default_factory=list)
    place: str = ""  # «Чебоксары»; "" prints no place line
    period: str = "year"  # "year", "academic" or "dates"
    year: int = 0  # the first year of the period
    starts_on: date | None = None  # for "dates"
    ends_on: date | None = None
    name: str = ""  # the plan's kind among the association's plans; "" = the annual work plan
    date_style: str = "года"  # «2024 года» or «2024 г.» in stamp dates
    stamps: list[StampSpec] = field(default_factory=list)
    sections: list[SectionSpec] = field(default_factory=list)
    signature_position: str = ""
    signature_name: str = ""
    warnings: list[str] = field(default_factory=list)
