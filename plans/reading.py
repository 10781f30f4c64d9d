"""Recognise a plan in a document read as paragraphs and tables, in body order.

The .docx reader (``plans.docx_import``) and the pasted-text reader
(``plans.text_import``) turn their input into ``Para`` and ``Table`` blocks;
``read_blocks`` finds in them the stamps, the title, the place line, the
period, the sections with their numbered paragraphs and tables (columns from
the header texts, group rows, row numbers as written) and the closing
signature, and returns a ``PlanSpec``. Nothing is dropped: what it cannot
place is kept as text and named in ``PlanSpec.warnings``. It never raises on
odd input.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from .models import SEED_EVENT_COLUMNS, SEED_ORGWORK_COLUMNS
from .spec import ColumnSpec, PlanSpec, RowSpec, SectionSpec, StampSpec

MAX_COLUMNS = 10


@dataclass
class Para:
    text: str
    bold: bool = False  # a heading in Word: bold throughout, or a heading style
    numbered: bool = False  # a Word list paragraph (automatic numbering)
    level: int = 0  # its list level
    joined: bool = False  # pasted text: continues the line above (no blank line between)
    heading: bool = False  # a Word heading style («Заголовок 1»)


@dataclass
class Cell:
    text: str
    span: int = 1  # how many grid columns it covers (merged cells)


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    width: int = 0  # grid columns


Block = Para | Table

# Stamps

STAMP_WORDS = {
    "СОГЛАСОВАНО": "agreed",
    "УТВЕРЖДЕНО": "approved",
    "УТВЕРЖДЕН": "approved",
    "УТВЕРЖДАЮ": "approve",
    "ПРИНЯТО": "accepted",
    "ПРИНЯТ": "accepted",
}
STAMP_RE = re.compile(
    r"^\s*(СОГЛАСОВАНО|УТВЕРЖДЕНО|УТВЕРЖДЕН|УТВЕРЖДАЮ|ПРИНЯТО|ПРИНЯТ)\b[:.]?\s*(.*)$", re.S
)
SIGNATURE_RE = re.compile(r"^(?P<before>.*?)_{3,}[\s_/]*(?P<name>.*?)[\s/]*$")
DATE_LINE_RE = re.compile(
    r"^[«\"]?\s*_*\s*(?:\d{1,2})?\s*_*\s*[»\"]?\s*[_а-яё ]*\s*"
    r"(?P<year>\d{4})\s*(?P<style>года|г\.?)?\s*$",
    re.I,
)
BASIS_START_RE = re.compile(
    r"^(приказом|приказ|распоряжением|решением|постановлением|на\s+заседании|протокол|"
    r"\(протокол)",
    re.I,
)
BASIS_CONTINUE_RE = re.compile(r"^(от\s|№|\(|протокол|\d{2}\.\d{2}\.\d{4})", re.I)
PERSON_RE = re.compile(
    r"^(?:[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
    r"|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.?)$"
)

# Title, place, period

PLACE_RE = re.compile(
    r"^(?:г\.\s*)?(?P<place>[А-ЯЁ][А-ЯЁа-яё .\-]{1,60}?)\s*,?\s+(?P<year>20\d{2})\s*(?:г\.?|год)?$"
)
# A title starts in capitals («ПЛАН РАБОТЫ») or names a plan («План работы …»).
TITLE_WORD_RE = re.compile(
    r"^(?:(?:ПЛАН|ПАСПОРТ|ПРОГРАММА|ГРАФИК|ЦИКЛОГРАММА)\b"
    r"|(?:План|Паспорт|Программа)\s+(?:работы|мероприятий|проведения|деятельности)\b)"
)
YEAR_ONLY_RE = re.compile(r"^(?P<year>20\d{2})\s*(?:г\.?|год)?$")
DASH = r"\s*[-–—]\s*"
ACADEMIC_RE = re.compile(
    rf"(?P<first>20\d{{2}}){DASH}(?P<second>20\d{{2}})\s*(?:учебн\w*\s+год\w*|уч\.\s*г(?:\.|од\w*)?)",
    re.I,
)
ACADEMIC_BARE_RE = re.compile(rf"\bна\s+(?P<first>20\d{{2}}){DASH}(?P<second>20\d{{2}})\b", re.I)
DATES_RE = re.compile(
    rf"(?:с\s+)?(?P<start>\d{{1,2}}\.\d{{1,2}}\.\d{{4}})(?:\s*г\.?)?(?:\s+по\s+|{DASH})"
    rf"(?P<end>\d{{1,2}}\.\d{{1,2}}\.\d{{4}})",
    re.I,
)
CALENDAR_RE = re.compile(r"\bна\s+(?P<year>20\d{2})\s*(?:год|г\.)", re.I)
ANY_YEAR_RE = re.compile(r"\b(20\d{2})\b")

# Sections and rows

ROMAN_RE = re.compile(r"^(?P<num>(?:X{0,2})(?:IX|IV|V?I{0,3}))\s*[.)]\s*(?P<title>\S.*)$", re.S)
ARABIC_RE = re.compile(r"^(?P<num>\d{1,2})\s*[.)]\s*(?P<title>\S.*)$", re.S)
ROW_NUMBER_RE = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)\.?\)?$")
NUMBERED_RE = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)(?P<dot>[.)])?\s+(?P<text>\S.*)$", re.S)
BULLET_RE = re.compile(r"^[-–—•·▪●]\s+")
MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
          "сентябрь", "октябрь", "ноябрь", "декабрь"]  # fmt: skip

# Column headers → keys, first match wins; the header text is kept as the label.
HEADER_PATTERNS = [
    (r"^№|^n\s*п/п|^п/п|^номер", "number"),
    (r"сроки?\s+и\s+место", "timing"),
    (r"отметк\w*\s+о\s+выполн|^выполнени", "execution_note"),
    (r"результат", "result"),
    (r"^форма", "form"),
    (r"ответствен|организатор|исполнител", "responsible"),
    (r"участник", "participants"),
    (r"^время", "time"),
    (r"^место", "place"),
    (r"^срок|^дата|^месяц|^период", "timing"),
    (r"наименовани|содержани|мероприяти|^тема|^вопрос|^направлени|^название", "text"),
]


def header_key(text: str) -> str | None:
    clean = " ".join(text.split()).lower()
    for pattern, key in HEADER_PATTERNS:
        if re.search(pattern, clean):
            return key
    return None


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, char in enumerate(numeral):
        value = values[char]
        if i + 1 < len(numeral) and values[numeral[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def parse_date(text: str) -> date | None:
    try:
        day, month, year = (int(part) for part in text.split("."))
        return date(year, month, day)
    except ValueError:
        return None


# The reader


class Reader:
    def __init__(self, blocks: list[Block]):
        self.blocks = [b for b in blocks if not (isinstance(b, Para) and not b.text.strip())]
        self.spec = PlanSpec()
        self.warnings = self.spec.warnings
        self.section: SectionSpec | None = None
        self.extra_stamps = []
        self.preamble = ""
        self.roman = any(
            isinstance(b, Para) and self.roman_heading(b.text) is not None for b in self.blocks
        )

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # The whole document

    def read(self) -> PlanSpec:
        if not self.blocks:
            self.warn("Документ пуст: в нём нет ни текста, ни таблиц.")
            return self.spec
        rest = self.read_stamps(self.blocks)
        rest = self.read_title(rest)
        rest = self.read_closing(rest)
        self.read_body(rest)
        self.read_period()
        self.settle_columns()
        self.settle_numbers()
        if self.preamble:
            self.spec.sections.insert(
                0,
                SectionSpec(
                    title="Текст до заголовка", kind="text", numbering="none", text=self.preamble
                ),
            )
        if self.extra_stamps:
            text = "\n".join(self.extra_stamps)
            self.spec.sections.insert(
                0, SectionSpec(title="Грифы", kind="text", numbering="none", text=text)
            )
        if not self.spec.sections:
            self.warn("В документе не найдено ни одного раздела.")
        return self.spec

    # Stamps: paragraphs, or cells of a table side by side, at the top

    def read_stamps(self, blocks: list[Block]) -> list[Block]:
        index = 0
        found: list[list[str]] = []
        sides: list[str | None] = []
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Table) and self.is_stamp_table(block):
                columns = self.stamp_columns(block)
                for number, lines in enumerate(columns):
                    found.append(lines)
                    sides.append("left" if number == 0 and len(columns) > 1 else "right")
                index += 1
                continue
            if isinstance(block, Para) and STAMP_RE.match(block.text.strip()):
                lines = lines_of(block.text)
                index += 1
                while index < len(blocks):
                    following = blocks[index]
                    if not isinstance(following, Para) or not self.stamp_line(following.text):
                        break
                    lines.extend(lines_of(following.text))
                    index += 1
                    if DATE_LINE_RE.match(following.text.strip()):
                        break
                found.append(lines)
                sides.append(None)
                continue
            break
        if not found:
            return blocks
        if all(side is None for side in sides):
            sides = ["left" if i == 0 and len(found) > 1 else "right" for i in range(len(found))]
        for lines, side in zip(found, sides, strict=True):
            if not STAMP_RE.match(lines[0]):  # a column beside the stamps: kept as text
                self.extra_stamps.append("\n".join(lines))
                self.warn(
                    f"Текст рядом с грифами («{shorten(lines[0], 40)}») сохранён в разделе «Грифы»."
                )
                continue
            stamp = self.stamp_of(lines, side or "right")
            kinds = {kept.kind for kept in self.spec.stamps}
            if len(self.spec.stamps) == 2 or stamp.kind in kinds:
                # A plan has two places for stamps, one of each kind: keep the text.
                self.extra_stamps.append("\n".join(lines))
                self.warn(
                    f"Гриф «{shorten(lines[0], 40)}» не поместился (в плане два места для "
                    "грифов, по одному каждого вида): его текст сохранён в разделе «Грифы»."
                )
                continue
            self.spec.stamps.append(stamp)
        if len(self.spec.stamps) == 2 and self.spec.stamps[0].side == self.spec.stamps[1].side:
            self.spec.stamps[0].side, self.spec.stamps[1].side = "left", "right"
        return blocks[index:]

    extra_stamps: list[str]

    def is_stamp_table(self, table: Table) -> bool:
        """Stamps side by side: a table whose first filled row starts each cell with a stamp."""
        rows = [row for row in table.rows if any(c.text.strip() for c in row)]
        if not rows or len(rows) > 12:
            return False
        cells = [c for c in rows[0] if c.text.strip()]
        return 0 < len(cells) <= 3 and all(STAMP_RE.match(c.text.strip()) for c in cells)

    def stamp_columns(self, table: Table) -> list[list[str]]:
        """The lines of each stamp: a column of the table, top to bottom (cells of a row
        may hold a whole stamp, as in Word, or one line each, as in pasted text)."""
        columns: dict[int, list[str]] = {}
        for row in table.rows:
            position = 0
            for cell in row:
                columns.setdefault(position, []).extend(lines_of(cell.text))
                position += cell.span
        return [lines for _, lines in sorted(columns.items()) if lines]

    def stamp_line(self, text: str) -> bool:
        """Is this paragraph still part of the stamp above (not the title, not a new stamp)?"""
        text = text.strip()
        if STAMP_RE.match(text) or len(text) > 200:
            return False
        if text.upper().startswith(("ПЛАН", "ПАСПОРТ", "ПРОГРАММА")):
            return False
        return not (ROMAN_RE.match(text) or PLACE_RE.match(text))

    def stamp_of(self, lines: list[str], side: str) -> StampSpec:
        caption = STAMP_RE.match(lines[0])
        stamp = StampSpec(kind=STAMP_WORDS[caption.group(1)], side=side)
        rest = [caption.group(2).strip()] if caption.group(2).strip() else []
        rest += lines[1:]
        before: list[str] = []
        after: list[str] = []
        basis: list[str] = []
        signed = False
        for line in rest:
            if DATE_LINE_RE.match(line) and ("_" in line or "«" in line or "»" in line):
                style = DATE_LINE_RE.match(line).group("style")
                if style:
                    self.spec.date_style = "года" if style.lower() == "года" else "г."
                if re.search(r"«\s*\d", line) or re.search(r"\d\s*»", line):
                    self.warn(
                        f"Дата подписи «{line}» в грифе «{caption.group(1)}» не перенесена: "
                        "подпись ставится в портале или отмечается как сделанная на бумаге."
                    )
                continue
            if basis and BASIS_CONTINUE_RE.match(line):
                basis.append(line)
                continue
            if BASIS_START_RE.match(line):
                basis.append(line)
                continue
            signature = SIGNATURE_RE.match(line) if "___" in line else None
            if signature and not signed:
                signed = True
                stamp.person_name = signature.group("name").strip(" /")
                if signature.group("before").strip():
                    before.append(signature.group("before").strip())
                continue
            if not signed and not stamp.person_name and PERSON_RE.match(line):
                stamp.person_name = line
                signed = True
                continue
            (after if signed else before).append(line)
        stamp.basis = "\n".join(basis)
        if before and not after:
            stamp.layout = "gost"
        stamp.position = "\n".join(before + after)
        if before and after:
            self.warn(
                f"Гриф «{caption.group(1)}»: должность записана и до, и после подписи; "
                "строки объединены."
            )
        return stamp

    # Title and place line

    def read_title(self, blocks: list[Block]) -> list[Block]:
        # A few lines before the title (a letter's greeting): kept as a text section.
        start = next(
            (
                i
                for i, block in enumerate(blocks[:6])
                if isinstance(block, Para) and TITLE_WORD_RE.match(block.text.strip())
            ),
            0,
        )
        if start and not self.spec.stamps and all(isinstance(b, Para) for b in blocks[:start]):
            text = "\n".join(b.text.strip() for b in blocks[:start])
            self.preamble = text
            self.warn(
                "Текст перед заголовком сохранён в разделе «Текст до заголовка»: "
                f"«{shorten(text)}»."
            )
            blocks = blocks[start:]
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if not isinstance(block, Para):
                break
            text = block.text.strip()
            if place := self.place_line(text):
                self.spec.place, year = place
                self.place_year = year
                index += 1
                break
            if self.spec.title_lines and (
                self.heading_of(block, title_done=False)
                or (block.numbered and not block.bold)
                or (block.heading and not self.looks_like_title(block, []))
                or self.lead_in(block, blocks[index + 1] if index + 1 < len(blocks) else None)
            ):
                break
            if not self.spec.title_lines and not self.looks_like_title(block, blocks[index:]):
                break
            self.spec.title_lines.extend(lines_of(text))
            index += 1
            if len(self.spec.title_lines) > 12:
                break
        return blocks[index:]

    place_year = 0

    def place_line(self, text: str) -> tuple[str, int] | None:
        if match := PLACE_RE.match(text):
            place = match.group("place").strip(" ,")
            if place.lower().startswith(("на ", "план")) or len(place.split()) > 4:
                return None
            return place, int(match.group("year"))
        if match := YEAR_ONLY_RE.match(text):
            return "", int(match.group("year"))
        return None

    def looks_like_title(self, block: Para, rest: list[Block]) -> bool:
        text = block.text.strip()
        if self.heading_of(block, title_done=False) or NUMBERED_RE.match(text):
            return False
        if TITLE_WORD_RE.match(text):
            return True
        # Some lines, then a place line or a heading within the next few paragraphs.
        for following in rest[1:6]:
            if not isinstance(following, Para):
                return False
            if self.place_line(following.text.strip()):
                return True
        return False

    # The closing signature: the position, then a name, at the very end

    def read_closing(self, blocks: list[Block]) -> list[Block]:
        if not blocks:
            return blocks
        last = blocks[-1]
        if isinstance(last, Table) and len(last.rows) == 1:
            cells = [c.text.strip() for c in last.rows[0] if c.text.strip()]
            if len(cells) == 2 and self.person(cells[1]):
                self.spec.signature_position = " ".join(lines_of(cells[0]))
                self.spec.signature_name = self.person(cells[1])
                return blocks[:-1]
        if not isinstance(last, Para):
            return blocks
        text = last.text.strip()
        if name := self.person(text):
            if len(blocks) > 1 and isinstance(blocks[-2], Para):
                position = blocks[-2].text.strip()
                if self.closing_position(position):
                    self.spec.signature_position = " ".join(lines_of(position))
                    self.spec.signature_name = name
                    return blocks[:-2]
            return blocks
        match = re.match(r"^(?P<position>.+?)[\s_\t]{2,}(?P<name>\S.*)$", text, re.S)
        if (
            match
            and self.person(match.group("name"))
            and self.closing_position(match.group("position"))
        ):
            self.spec.signature_position = " ".join(lines_of(match.group("position")))
            self.spec.signature_name = self.person(match.group("name"))
            return blocks[:-1]
        return blocks

    def person(self, text: str) -> str:
        text = " ".join(text.split()).strip(" _/")
        return text if PERSON_RE.match(text) else ""

    def closing_position(self, text: str) -> bool:
        text = text.strip()
        return 0 < len(text) <= 200 and not NUMBERED_RE.match(text) and not ROMAN_RE.match(text)

    # Sections

    def roman_heading(self, text: str) -> tuple[str, str] | None:
        match = ROMAN_RE.match(text.strip())
        if match and match.group("num") and len(match.group("title")) <= 300:
            return match.group("num"), match.group("title").strip()
        return None

    def heading_of(self, block: Para, *, title_done: bool = True) -> tuple[str, str] | None:
        """Return (numbering, title) when the paragraph is a section heading."""
        text = " ".join(block.text.split())
        if roman := self.roman_heading(text):
            return "roman", roman[1]
        if title_done and block.heading and 0 < len(text) <= 300:
            # A Word heading style; its number, if any, is Word's own list numbering.
            arabic = ARABIC_RE.match(text)
            if arabic:
                return "arabic", arabic.group("title").strip()
            return ("arabic" if block.numbered else "none"), text
        if not title_done:  # the title is bold too: only a numeral ends it
            arabic = ARABIC_RE.match(text)
            if arabic and int(arabic.group("num")) == 1 and not self.roman and len(text) <= 200:
                return "arabic", arabic.group("title").strip()
            return None
        if self.roman:
            if block.bold and not NUMBERED_RE.match(text) and len(text) <= 200:
                return "none", text
            return None
        arabic = ARABIC_RE.match(text)
        if arabic and len(text) <= 200 and not block.numbered:
            title = arabic.group("title").strip()
            number = int(arabic.group("num"))
            expected = sum(1 for s in self.spec.sections if s.numbering == "arabic") + 1
            if number == expected and (block.bold or not title.endswith((".", ";", ","))):
                return "arabic", title
        if block.bold and not block.numbered and len(text) <= 200 and not NUMBERED_RE.match(text):
            return "none", text
        return None

    def new_section(self, title: str, numbering: str, kind: str = "text") -> SectionSpec:
        self.section = SectionSpec(title=title, kind=kind, numbering=numbering)
        self.spec.sections.append(self.section)
        return self.section

    layout = None

    def read_body(self, blocks: list[Block]) -> None:
        for index, block in enumerate(blocks):
            if isinstance(block, Table):
                self.read_table(block)
                continue
            self.layout = None
            text = block.text.strip()
            if heading := self.heading_of(block):
                self.new_section(heading[1], heading[0])
                continue
            if self.lead_in(block, blocks[index + 1] if index + 1 < len(blocks) else None):
                self.new_section(" ".join(text.split()), "none")
                continue
            if self.section is None:
                if not self.spec.sections and not self.spec.title_lines and not self.spec.stamps:
                    self.new_section("Текст плана", "none")
                    self.warn(
                        "Не удалось распознать структуру плана (грифы, заголовок, разделы): "
                        "весь текст помещён в один раздел."
                    )
                else:
                    self.new_section("", "none")
                    self.warn(
                        "Текст перед первым разделом помещён в раздел без заголовка: "
                        f"«{shorten(text)}»."
                    )
            self.read_paragraph(block)

    def lead_in(self, block: Para, following: Block | None) -> bool:
        """«Мероприятия:» before a table or a numbered list: a heading without a numeral."""
        text = block.text.strip()
        if not text.endswith(":") or len(text) > 150 or NUMBERED_RE.match(text) or block.numbered:
            return False
        if isinstance(following, Table):
            return True
        if not isinstance(following, Para):
            return False
        numbered = NUMBERED_RE.match(following.text.strip())
        if self.section is not None and self.section.kind != "text" and not block.bold:
            # Inside a list «…:» is the list's own text, unless a new list starts at 1.
            return bool(numbered and numbered.group("num") == "1")
        return bool(numbered or following.numbered)

    def read_paragraph(self, block: Para) -> None:
        section = self.section
        text = block.text.strip()
        numbered = NUMBERED_RE.match(text)
        if section.kind in ("text", "numbered") and (numbered or block.numbered):
            if section.kind == "text" and section.rows:
                pass
            section.kind = "numbered"
            if numbered:
                label = numbered.group("num") + (numbered.group("dot") or "")
                row = RowSpec(
                    cells={"text": numbered.group("text").strip()},
                    label=label,
                    level=label.rstrip(".)").count("."),
                )
            else:
                row = RowSpec(cells={"text": text}, level=block.level)
            section.rows.append(row)
            return
        if section.rows and section.kind == "numbered":
            last = section.rows[-1]
            joiner = " " if block.joined else "\n"
            last.cells["text"] = f"{last.cells['text']}{joiner}{text}"
            return
        if section.rows:
            # Text after a table: a section of its own, so nothing moves or disappears.
            self.new_section("", "none")
            self.warn(f"Текст после таблицы помещён в отдельный раздел: «{shorten(text)}».")
            section = self.section
        joiner = " " if block.joined else "\n"
        section.text = f"{section.text}{joiner}{text}" if section.text else text

    # Tables

    def read_table(self, table: Table) -> None:
        rows = [row for row in table.rows if any(c.text.strip() for c in row)]
        if not rows:
            return
        header_at = next(
            (i for i, row in enumerate(rows[:3]) if self.is_header(row)), None
        )  # fmt: skip
        if header_at is None:
            if (
                self.layout
                and self.section
                and self.section.kind in ("events", "orgwork", "meetings")
                and self.layout.width == table.width
            ):
                for row in rows:  # the table above, continued (split by a page break)
                    self.read_row(row, self.layout)
                return
            self.read_headless_table(rows)
            return
        for row in rows[:header_at]:
            self.read_body([Para(" ".join(c.text.strip() for c in row if c.text.strip()))])
        header = rows[header_at]
        body = rows[header_at + 1 :]
        if body and all(re.fullmatch(r"\d{1,2}\.?", c.text.strip()) for c in body[0]):
            body = body[1:]  # a row of column numbers «1 2 3 4» under the header
        layout = self.layout = self.columns_of(header)
        section = self.section
        if section is None or section.rows or section.kind not in ("text", "events", "orgwork"):
            section = self.new_section("", "none")
            if len(self.spec.sections) > 1 or self.spec.title_lines:
                self.warn("Таблица без заголовка раздела помещена в раздел без заголовка.")
        section.kind = "orgwork" if re.search(r"организационн", section.title, re.I) else "events"
        section.columns = [ColumnSpec(key, label) for key, label in layout.columns]
        for row in body:
            self.read_row(row, layout)

    def is_header(self, row: list[Cell]) -> bool:
        keys = [header_key(c.text) for c in row if c.text.strip()]
        known = [k for k in keys if k]
        enough = len(known) >= 3 or len(known) * 2 >= len(keys)
        return len(known) >= 2 and enough and "text" in known

    def columns_of(self, header: list[Cell]) -> "Layout":
        layout = Layout()
        position = 0
        for cell in header:
            label = " ".join(cell.text.split())
            key = header_key(label)
            slot = Slot(position=position, span=cell.span, label=label)
            position += cell.span
            if key is None or key in layout.keys:
                if label:
                    self.warn(
                        f"Столбец «{label}» не распознан: его текст добавлен к тексту "
                        "строки как «{label}: …»."
                    )
                slot.extra = True
            elif len(layout.columns) >= MAX_COLUMNS:
                self.warn(
                    f"В таблице больше {MAX_COLUMNS} столбцов: столбец «{label}» добавлен "
                    "к тексту строки."
                )
                slot.extra = True
            else:
                slot.key = key
                layout.columns.append((key, label))
                layout.keys.add(key)
            layout.slots.append(slot)
        if "text" not in layout.keys:
            layout.columns.insert(1 if "number" in layout.keys else 0, ("text", ""))
            layout.keys.add("text")
        return layout

    def read_row(self, row: list[Cell], layout: "Layout") -> None:
        section = self.section
        values = layout.values(row)
        filled = [c.text.strip() for c in row if c.text.strip()]
        number = values.pop("number", "").strip()
        extras = values.pop("", [])
        text = values.get("text", "").strip()
        # A row spanning the table, or with one text and nothing else: a group row.
        single = filled[0] if len(filled) == 1 else ""
        if single and not ROW_NUMBER_RE.match(single):
            spans = len(row) == 1 and layout.width > 1
            in_text = text == single
            last = section.rows[-1] if section.rows else None
            if spans or not in_text or self.group_text(single) or last is None or last.is_group:
                self.read_group_row(single)
                return
            # The rest of the row above, carried to a new row (a page break in Word).
            last.cells["text"] = f"{last.cells.get('text', '')} {single}".strip()
            return
        cells = {key: value.strip() for key, value in values.items() if value.strip()}
        if layout.timing_with_place and "place" not in layout.keys and cells.get("timing"):
            cells["timing"], place = split_place(cells["timing"])
            if place:
                cells["place"] = place
        for label, value in extras:
            if value.strip():
                addition = f"{label}: {value.strip()}" if label else value.strip()
                cells["text"] = f"{cells.get('text', '')}\n{addition}".strip()
        row_spec = RowSpec(cells=cells)
        if number:
            match = ROW_NUMBER_RE.match(number)
            if match:
                row_spec.label = number
                row_spec.level = match.group("num").count(".")
            else:
                cells["text"] = f"{number} {cells.get('text', '')}".strip()
                self.warn(
                    f"Номер строки «{shorten(number)}» не распознан: он добавлен к её тексту."
                )
        section.rows.append(row_spec)

    def read_group_row(self, title: str) -> None:
        section = self.section
        meetings = re.search(r"заседани", title, re.I) and title.endswith(":")
        if meetings and section.kind in ("events", "meetings"):
            # «Проведение заседаний РУМО:» — the meetings list continuing the table.
            self.new_section(title, "none", kind="meetings")
            self.section.columns = list(section.columns)
            return
        section.rows.append(RowSpec(cells={"text": title}, is_group=True))

    def group_text(self, text: str) -> bool:
        return bool(
            re.match(r"^(день|неделя|раздел|модуль|этап|блок)\b", text, re.I)
            or text.lower().rstrip(":. ") in MONTHS
            or text.endswith(":")
        )

    def read_headless_table(self, rows: list[list[Cell]]) -> None:
        """A table without recognisable headers: each row kept as a paragraph."""
        self.warn("Таблица без распознаваемых заголовков столбцов: её строки сохранены как текст.")
        for row in rows:
            text = "\t".join(c.text.strip() for c in row)
            self.read_body([Para(text.strip())])

    # What the model computes by itself need not be stored

    def settle_columns(self) -> None:
        """The kind's usual columns are kept as "the default"; a meetings list has its table's."""
        for section in self.spec.sections:
            pairs = [[c.key, c.label] for c in section.columns]
            usual = SEED_ORGWORK_COLUMNS if section.kind == "orgwork" else SEED_EVENT_COLUMNS
            if section.kind == "meetings" or pairs == usual:
                section.columns = []

    def settle_numbers(self) -> None:
        """Numbers are computed as the plan prints them; a nested number unlike that is kept.

        «1.», «2.», «3.» become computed numbers; a top-level number out of order
        (the seed's second «4.») is replaced by its place, with a warning; «2.1.»
        in a section whose rows are counted from 1 stays as written.
        """
        last = 0
        for section in self.spec.sections:
            numbered = [r for r in section.rows if not r.is_group and r.label]
            first = written_number(numbered[0].label) if numbered else None
            if first and numbered[0].level == 0 and first[0] == last + 1 and last > 0:
                section.continue_numbering = True
            counters = [last, 0, 0] if section.continue_numbering else [0, 0, 0]
            for row in section.rows:
                if row.is_group:
                    continue
                level = min(row.level, 2)
                counters[level] += 1
                for deeper in range(level + 1, 3):
                    counters[deeper] = 0
                computed = [max(n, 1) for n in counters[: level + 1]]
                written = written_number(row.label) if row.label else None
                if written is None or written == computed:
                    row.label = ""
                elif level == 0:
                    self.warn(
                        f"Номер «{row.label}» в разделе «{shorten(section.title, 40)}» заменён "
                        f"на «{computed[0]}.»: номера пунктов считаются по порядку."
                    )
                    row.label = ""
                row.level = level
            last = counters[0]

    # Period

    def read_period(self) -> None:
        spec = self.spec
        title = " ".join(spec.title_lines)
        if match := DATES_RE.search(title):
            start, end = parse_date(match.group("start")), parse_date(match.group("end"))
            if start and end and start <= end:
                spec.period, spec.year, spec.starts_on, spec.ends_on = (
                    "dates",
                    start.year,
                    start,
                    end,
                )
        elif match := ACADEMIC_RE.search(title) or ACADEMIC_BARE_RE.search(title):
            first, second = int(match.group("first")), int(match.group("second"))
            spec.period, spec.year = "academic", first
            if second != first + 1:
                self.warn(f"Учебный год «{match.group(0)}» записан необычно: проверьте период.")
        elif match := CALENDAR_RE.search(title):
            spec.period, spec.year = "year", int(match.group("year"))
        elif self.place_year:
            spec.period, spec.year = "year", self.place_year
        elif match := ANY_YEAR_RE.search(title):
            spec.period, spec.year = "year", int(match.group(1))
        else:
            self.warn("Период плана (год) не найден в заголовке: проверьте его.")
        if not title.upper().startswith("ПЛАН РАБОТЫ") and spec.title_lines:
            name = " ".join(spec.title_lines)
            for pattern in (DATES_RE, ACADEMIC_RE, ACADEMIC_BARE_RE, CALENDAR_RE):
                name = pattern.sub("", name)
            name = re.sub(r"(\s+(на|с|за|в))+\s*$", "", " ".join(name.split()).rstrip(" ,."))
            spec.name = name[:200]


@dataclass
class Slot:
    position: int
    span: int
    label: str
    key: str = ""
    extra: bool = False


@dataclass
class Layout:
    columns: list[tuple[str, str]] = field(default_factory=list)
    keys: set = field(default_factory=set)
    slots: list[Slot] = field(default_factory=list)

    @property
    def width(self) -> int:
        return sum(slot.span for slot in self.slots)

    @property
    def timing_with_place(self) -> bool:
        """«Сроки и место проведения»: one column holding both."""
        return any(s.key == "timing" and re.search(r"мест", s.label, re.I) for s in self.slots)

    def values(self, row: list[Cell]) -> dict:
        """Return {key: text} of a row, and under "" the [(label, text)] of unknown columns."""
        values: dict = {"": []}
        position = 0
        for cell in row:
            slot = self.slot_at(position)
            position += cell.span
            if slot is None:
                values[""].append(("", cell.text))
            elif slot.extra:
                values[""].append((slot.label, cell.text))
            else:
                values[slot.key] = f"{values.get(slot.key, '')}\n{cell.text}".strip("\n")
        return values

    def slot_at(self, position: int) -> Slot | None:
        for slot in self.slots:
            if slot.position <= position < slot.position + slot.span:
                return slot
        return None


TIMING_THEN_PLACE_RE = re.compile(
    r"^(?P<timing>.*\b20\d{2}\s*(?:г\.|года))\s+(?P<place>\S.*)$", re.S
)


def split_place(text: str) -> tuple[str, str]:
    """Split «январь, 2024 г.\nонлайн» or «январь, 2024 г. онлайн» into timing and place."""
    lines = lines_of(text)
    if len(lines) > 1:
        return lines[0], " ".join(lines[1:])
    if match := TIMING_THEN_PLACE_RE.match(text):
        return match.group("timing").strip(), match.group("place").strip()
    return text, ""


def written_number(label: str) -> list[int] | None:
    match = ROW_NUMBER_RE.match(label.strip())
    return [int(n) for n in match.group("num").split(".")] if match else None


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_blocks(blocks: list[Block]) -> PlanSpec:
    """Return the plan found in the blocks; never raises on odd input."""
    return Reader(blocks).read()


def describe(spec: PlanSpec) -> list[str]:
    """Return the plan's structure in a few lines (``import_plan --dry-run``)."""
    period = {
        "year": f"{spec.year} год",
        "academic": f"{spec.year}–{spec.year + 1} учебный год",
        "dates": f"{spec.starts_on:%d.%m.%Y} – {spec.ends_on:%d.%m.%Y}"
        if spec.starts_on and spec.ends_on
        else "",
    }[spec.period]
    lines = [
        "Заголовок: " + " / ".join(spec.title_lines),
        f"Период: {period}" + (f"; место: {spec.place}" if spec.place else "; без строки места"),
    ]
    if spec.name:
        lines.append(f"Вид плана: {spec.name}")
    for stamp in spec.stamps:
        position = " ".join(stamp.position.split())
        lines.append(
            f"Гриф {stamp.kind} ({stamp.side}, {stamp.layout}): {position} {stamp.person_name}"
            + (f" — {stamp.basis}" if stamp.basis else "")
        )
    for section in spec.sections:
        columns = ", ".join(c.label or c.key for c in section.columns)
        groups = sum(1 for r in section.rows if r.is_group)
        lines.append(
            f"Раздел [{section.kind}, {section.numbering}] «{section.title}»: "
            f"строк {len(section.rows) - groups}, групп {groups}"
            + (f"; столбцы: {columns}" if columns else "")
        )
    if spec.signature_position or spec.signature_name:
        lines.append(f"Подпись: {spec.signature_position} {spec.signature_name}".strip())
    return lines


def dump_spec(spec: PlanSpec) -> dict:
    """Return the spec as JSON-ready data (kept in the session between preview and confirm)."""
    data = asdict(spec)
    for key in ("starts_on", "ends_on"):
        data[key] = data[key].isoformat() if data[key] else None
    return data


def load_spec(data: dict) -> PlanSpec:
    """Return the spec written by ``dump_spec``."""
    data = dict(data)
    for key in ("starts_on", "ends_on"):
        data[key] = date.fromisoformat(data[key]) if data.get(key) else None
    data["stamps"] = [StampSpec(**stamp) for stamp in data.get("stamps", [])]
    sections = []
    for section in data.get("sections", []):
        section = dict(section)
        section["columns"] = [ColumnSpec(**column) for column in section.get("columns", [])]
        section["rows"] = [RowSpec(**row) for row in section.get("rows", [])]
        sections.append(SectionSpec(**section))
    data["sections"] = sections
    return PlanSpec(**data)
