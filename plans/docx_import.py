"""Read a plan from a Word file (.docx) with python-docx.

Paragraphs and tables are read in body order (content controls included);
a merged cell is read once, with the number of grid columns it spans; a cell
continuing a vertical merge is read as empty (its text is in the cell above).
Word's automatic list numbering is kept as "a numbered paragraph". What the
document means is found by ``plans.reading``, shared with pasted text.
"""

import io
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .reading import Block, Cell, Para, Table, read_blocks
from .spec import PlanSpec

HEADING_STYLES = ("heading", "заголовок", "title", "название")


class Unreadable(ValueError):
    """The file is not a Word document python-docx can open."""


def read_docx(data: bytes) -> PlanSpec:
    """Return the plan in the .docx; raise Unreadable when the file cannot be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise Unreadable("no word/document.xml")
        document = Document(io.BytesIO(data))
    except Unreadable:
        raise
    except Exception as error:  # python-docx, zipfile and lxml raise many kinds
        raise Unreadable(str(error)) from error
    reader = DocxBlocks(document)
    spec = read_blocks(reader.blocks())
    spec.warnings.extend(reader.warnings)
    return spec


class DocxBlocks:
    def __init__(self, document):
        self.document = document
        self.warnings: list[str] = []

    def blocks(self) -> list[Block]:
        return list(self.walk(self.document.element.body))

    def walk(self, element):
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                yield self.paragraph(Paragraph(child, self.document))
            elif child.tag == qn("w:tbl"):
                yield self.table(child)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                yield from self.walk(child)

    def paragraph(self, paragraph: Paragraph) -> Para:
        text = paragraph.text
        style = paragraph.style
        name = (style.name or "").lower() if style is not None else ""
        return Para(
            text=text,
            heading=name.startswith(HEADING_STYLES[:2]),
            bold=self.is_bold(paragraph),
            numbered=self.list_level(paragraph) is not None,
            level=self.list_level(paragraph) or 0,
        )

    def is_bold(self, paragraph: Paragraph) -> bool:
        style = paragraph.style
        name = (style.name or "").lower() if style is not None else ""
        if name.startswith(HEADING_STYLES):
            return True
        style_bold = bool(style is not None and style.font.bold)
        runs = [run for run in paragraph.runs if run.text.strip()]
        if not runs:
            return False
        return all(run.bold or (run.bold is None and style_bold) for run in runs)

    def list_level(self, paragraph: Paragraph) -> int | None:
        properties = paragraph._p.pPr
        numbering = properties.numPr if properties is not None else None
        if numbering is None:
            style = paragraph.style
            style_properties = style.element.pPr if style is not None else None
            numbering = style_properties.numPr if style_properties is not None else None
        if numbering is None or numbering.numId is None or numbering.numId.val == 0:
            return None
        return numbering.ilvl.val if numbering.ilvl is not None else 0

    def table(self, tbl) -> Table:
        grid = tbl.tblGrid
        table = Table(width=len(grid.gridCol_lst) if grid is not None else 0)
        for tr in tbl.tr_lst:
            row: list[Cell] = []
            before = tr.grid_before
            if before:
                row.append(Cell("", before))
            for tc in tr.tc_lst:
                if tc.vMerge == "continue":
                    row.append(Cell("", tc.grid_span))
                    continue
                row.append(Cell(self.cell_text(tc), tc.grid_span))
            table.rows.append(row)
            table.width = max(table.width, sum(cell.span for cell in row))
        return table

    def cell_text(self, tc) -> str:
        lines = [Paragraph(p, None).text for p in tc.iterchildren(qn("w:p"))]
        for nested in tc.iterchildren(qn("w:tbl")):
            # A table inside a cell: its text joins the cell's, nothing is lost.
            lines.extend(Paragraph(p, None).text for p in nested.iter(qn("w:p")))
            if NESTED not in self.warnings:
                self.warnings.append(NESTED)
        return "\n".join(lines).strip()


NESTED = "Таблица внутри ячейки прочитана как текст этой ячейки."
