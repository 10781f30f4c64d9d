"""Write a plan to a Word file (.docx) with the structure of its PDF.

Stamps side by side in a borderless two-column table, the title centred and
bold, the place line, sections with their numerals, tables with the section's
columns and header labels, group rows merged across the table, a meetings list
continuing the table before it, the closing signature. Reading the file back
(``plans.docx_import``) gives the same structure.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .models import SEED_EVENT_COLUMNS, SEED_ORGWORK_COLUMNS, roman
from .spec import ColumnSpec, PlanSpec, RowSpec, SectionSpec, StampSpec

STAMP_CAPTIONS = {
    "agreed": "СОГЛАСОВАНО",
    "approved": "УТВЕРЖДЕНО",
    "approve": "УТВЕРЖДАЮ",
    "accepted": "ПРИНЯТО",
}
TABLE_KINDS = ("events", "orgwork", "meetings")
WIDE = 6  # a table with this many columns or more is printed on a landscape page


def columns_of(section: SectionSpec) -> list[ColumnSpec]:
    """The section's columns, or its kind's usual ones (as ``Section.table_columns``)."""
    if section.columns:
        return section.columns
    usual = SEED_ORGWORK_COLUMNS if section.kind == "orgwork" else SEED_EVENT_COLUMNS
    return [ColumnSpec(key, label) for key, label in usual]


class Numbers:
    """Row numbers as ``plans.outline`` computes them: 1., 2.1., a label as written."""

    def __init__(self):
        self.counters = [0, 0, 0]

    def of(self, section: SectionSpec) -> list[str]:
        if not section.continue_numbering:
            self.counters = [0, 0, 0]
        numbers = []
        for row in section.rows:
            if row.is_group:
                numbers.append("")
                continue
            level = min(max(row.level, 0), 2)
            self.counters[level] += 1
            for deeper in range(level + 1, 3):
                self.counters[deeper] = 0
            computed = ".".join(str(max(n, 1)) for n in self.counters[: level + 1]) + "."
            numbers.append(row.label or computed)
        return numbers


class Writer:
    def __init__(self, spec: PlanSpec):
        self.spec = spec
        self.document = Document()
        self.table = None  # the table a meetings list continues
        self.grids: list = []
        self.plain: list = []  # the borderless tables: stamps and the closing signature
        self.table_columns: list[ColumnSpec] = []
        normal = self.document.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(12)
        for section in self.document.sections:
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.left_margin = Mm(25)
            section.right_margin = section.top_margin = section.bottom_margin = Mm(15)

    def write(self) -> bytes:
        self.stamps()
        self.title()
        self.sections()
        self.closing()
        for table, columns in self.grids:
            set_widths(table, columns, self.usable_width())
        halves = [ColumnSpec("half", ""), ColumnSpec("half", "")]
        for table in self.plain:
            set_widths(table, halves, self.usable_width())
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def paragraph(self, text: str = "", *, bold=False, align=None, space_after=0):
        paragraph = self.document.add_paragraph()
        if text:
            paragraph.add_run(text).bold = bold
        if align is not None:
            paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(space_after)
        return paragraph

    # Stamps

    def stamps(self) -> None:
        stamps = self.spec.stamps
        if not stamps:
            return
        left = [s for s in stamps if s.side == "left"]
        right = [s for s in stamps if s.side != "left"]
        table = self.document.add_table(rows=1, cols=2)
        no_borders(table)
        self.plain.append(table)
        for cell, side in zip(table.rows[0].cells, (left, right), strict=True):
            lines: list[str] = []
            for stamp in side:
                if lines:
                    lines.append("")
                lines.extend(self.stamp_lines(stamp))
            fill(cell, lines, captions=set(STAMP_CAPTIONS.values()))
        self.paragraph(space_after=12)

    def stamp_lines(self, stamp: StampSpec) -> list[str]:
        """The stamp as the PDF prints it (templates/plans/includes/stamp_text.html)."""
        caption = STAMP_CAPTIONS.get(stamp.kind, stamp.kind.upper())
        position = [line for line in stamp.position.splitlines() if line.strip()]
        if stamp.basis:
            basis = [line for line in stamp.basis.splitlines() if line.strip()]
            name = [stamp.person_name] if stamp.person_name else []
            return [caption, *basis, *position, *name]
        signature = f"_____ {stamp.person_name}".rstrip()
        if stamp.layout == "gost":
            lines = [caption, *position, signature]
        else:
            lines = [caption, signature, *position]
        return [*lines, f"« ____ » _____ {self.spec.year or ''} {self.spec.date_style}"]

    # Title and place

    def title(self) -> None:
        for line in self.spec.title_lines:
            self.paragraph(line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        if self.spec.place:
            place = f"{self.spec.place}, {self.spec.year}" if self.spec.year else self.spec.place
            self.paragraph(place, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)

    # Sections

    def sections(self) -> None:
        counter = 0
        numbers = Numbers()
        for section in self.spec.sections:
            if section.kind == "meetings" and self.table is not None:
                self.table_rows(section, self.table_columns, numbers.of(section), title=True)
                continue
            self.table = None
            numeral = ""
            if section.numbering != "none":
                counter += 1
                numeral = roman(counter) if section.numbering == "roman" else str(counter)
            heading = f"{numeral}. {section.title}" if numeral else section.title
            if heading:
                self.paragraph(heading, bold=True, space_after=6)
            for line in section.text.splitlines():
                if line.strip():
                    self.paragraph(line.strip(), space_after=4)
            if section.kind in TABLE_KINDS:
                self.new_table(section, numbers.of(section))
            elif section.rows:
                for row, number in zip(section.rows, numbers.of(section), strict=True):
                    text = row.cells.get("text", "")
                    paragraph = self.paragraph(
                        f"{number} {text}".strip(), bold=row.is_group, space_after=4
                    )
                    paragraph.paragraph_format.first_line_indent = Mm(12.5)

    def new_table(self, section: SectionSpec, numbers: list[str]) -> None:
        columns = columns_of(section)
        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        repeat_header(table.rows[0])
        for cell, column in zip(table.rows[0].cells, columns, strict=True):
            fill(cell, [column.label], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.table, self.table_columns = table, columns
        self.grids.append((table, columns))
        if len(columns) >= WIDE:
            self.landscape()
        self.table_rows(section, columns, numbers, title=False)

    def table_rows(self, section, columns, numbers, *, title: bool) -> None:
        table = self.table
        if title and section.title:
            self.group_row(section.title)
        for row, number in zip(section.rows, numbers, strict=True):
            if row.is_group:
                self.group_row(row.cells.get("text", ""))
                continue
            cells = table.add_row().cells
            for cell, column in zip(cells, columns, strict=True):
                if column.key == "number":
                    fill(cell, [number], align=WD_ALIGN_PARAGRAPH.CENTER)
                    continue
                fill(cell, cell_lines(row, column, columns))

    def group_row(self, text: str) -> None:
        cells = self.table.add_row().cells
        merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
        fill(merged, [text], bold=True)

    def usable_width(self) -> int:
        section = self.document.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def landscape(self) -> None:
        section = self.document.sections[-1]
        if section.orientation != WD_ORIENT.LANDSCAPE:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)

    # The closing signature

    def closing(self) -> None:
        spec = self.spec
        if not (spec.signature_position or spec.signature_name):
            return
        self.paragraph(space_after=12)
        table = self.document.add_table(rows=1, cols=2)
        no_borders(table)
        self.plain.append(table)
        position, name = table.rows[0].cells
        fill(position, [spec.signature_position])
        fill(name, [spec.signature_name], align=WD_ALIGN_PARAGRAPH.RIGHT)


def cell_lines(row: RowSpec, column: ColumnSpec, columns: list[ColumnSpec]) -> list[str]:
    value = row.cells.get(column.key, "")
    keys = {c.key for c in columns}
    if column.key == "timing" and "place" not in keys and row.cells.get("place"):
        value = "\n".join(part for part in (value, row.cells["place"]) if part)
    return value.splitlines() or [""]


# Relative widths of the columns, by key (the number column stays narrow).
WEIGHTS = {"number": 1, "text": 5, "time": 1.6, "timing": 2.2, "responsible": 2.8}


def set_widths(table, columns: list[ColumnSpec], total: int) -> None:
    weights = [WEIGHTS.get(column.key, 2.2) for column in columns]
    widths = [int(total * weight / sum(weights)) for weight in weights]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        tcs = row._tr.tc_lst
        if len(tcs) == len(widths):
            for tc, width in zip(tcs, widths, strict=True):
                tc.width = width
        elif len(tcs) == 1:
            tcs[0].width = sum(widths)


def fill(cell, lines: list[str], *, bold=False, align=None, captions=()) -> None:
    lines = lines or [""]
    paragraphs = [cell.paragraphs[0]] + [cell.add_paragraph() for _ in lines[1:]]
    for paragraph, line in zip(paragraphs, lines, strict=True):
        if line:
            paragraph.add_run(line).bold = bold or line in captions
        if align is not None:
            paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def write_docx(spec: PlanSpec) -> bytes:
    """Return the plan as the bytes of a .docx file."""
    return Writer(spec).write()
