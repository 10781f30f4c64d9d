"""Read a plan from pasted plain text (from a PDF, an e-mail, the seed file).

Lines are paragraphs; lines with tabs are the rows of a table (a blank line
inside a table does not end it). The recognisers are those of the .docx
reader (``plans.reading``).
"""

import re

from .reading import Block, Cell, Para, Table, read_blocks
from .spec import PlanSpec

MAX_CHARS = 500_000


SIDE_BY_SIDE = re.compile(
    r"^\s*(?:СОГЛАСОВАНО|УТВЕРЖДЕНО|УТВЕРЖДЕН|УТВЕРЖДАЮ|ПРИНЯТО|ПРИНЯТ)\b.*?\s{3,}"
    r"(?P<second>(?:СОГЛАСОВАНО|УТВЕРЖДЕНО|УТВЕРЖДЕН|УТВЕРЖДАЮ|ПРИНЯТО|ПРИНЯТ)\b)"
)


def side_by_side(lines: list[str]) -> list[str]:
    """Stamps copied from a PDF side by side («СОГЛАСОВАНО      УТВЕРЖДЕНО») become two
    columns of a tab-separated row each, so the table reader takes them as stamps."""
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    match = SIDE_BY_SIDE.match(lines[start]) if start is not None else None
    if match is None:
        return lines
    column = match.start("second")
    out = lines[:start]
    blank = 0
    for number, line in enumerate(lines[start:], start=start):
        blank = blank + 1 if not line.strip() else 0
        stop = blank >= 2 or line.strip().upper().startswith(("ПЛАН", "ПАСПОРТ", "ПРОГРАММА"))
        if stop:
            return out + lines[number:]
        if line.strip():
            out.append(f"{line[:column].strip()}\t{line[column:].strip()}")
    return out


def text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    table: Table | None = None
    blank = True
    lines = side_by_side(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for raw in lines:
        line = raw.rstrip("\n ")
        if "\t" in line and line.strip():
            cells = [Cell(part.strip()) for part in line.split("\t")]
            if table is None:
                table = Table()
                blocks.append(table)
            table.rows.append(cells)
            table.width = max(table.width, len(cells))
            blank = False
            continue
        if not line.strip():
            blank = True
            continue
        table = None
        blocks.append(Para(line.strip(), joined=not blank))
        blank = False
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:  # ragged rows: pad with empty cells
                row.extend(Cell("") for _ in range(block.width - len(row)))
    return blocks


def read_text(text: str) -> PlanSpec:
    """Return the plan in the text; never raises on odd input."""
    text = (text or "").replace("\x00", "")
    spec = read_blocks(text_blocks(text[:MAX_CHARS]))
    if len(text) > MAX_CHARS:
        spec.warnings.append("Текст слишком длинный: прочитаны первые 500 000 знаков.")
    return spec
