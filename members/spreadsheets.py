"""The member list as a spreadsheet: the columns both export and import read, and the export.

Headers are the Russian ones people type; import recognises them in any
order, ignoring case, «ё» and extra spaces. Text cells are written as text
(never as formulas): a value beginning with «=», «+», «-» or «@» opens as
the same characters in Excel and LibreOffice.
"""

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import Association, Award, Course, Member
from .search import fold

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD.MM.YYYY"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    width: int = 18


COLUMNS = [
    Column("Фамилия", "last_name", required=True),
    Column("Имя", "first_name", required=True, width=14),
    Column("Отчество", "patronymic"),
    Column("Организация", "organization", width=30),
    Column("Должность", "position", width=24),
    Column("Электронная почта", "email", width=28),
    Column("Телефон", "phone"),
    Column("Образование", "education", width=24),
    Column("Библиотечное образование", "has_library_education", width=12),
    Column("Квалификационная категория", "category", width=16),
    Column("Дата присвоения категории", "category_date", width=14),
    Column("Общий стаж, лет", "total_experience", width=10),
    Column("Библиотечный стаж, лет", "library_experience", width=10),
]
# Headers people write differently, read as the same column.
ALIASES = {
    "e-mail": "email",
    "email": "email",
    "почта": "email",
    "эл. почта": "email",
    "электронная почта": "email",
    "колледж": "organization",
    "организация (поо)": "organization",
    "категория": "category",
    "общий стаж": "total_experience",
    "библиотечный стаж": "library_experience",
    "дата категории": "category_date",
}
YES, NO = "да", "нет"


def header_key(text) -> str:
    return " ".join(fold(str(text or "")).split())


HEADERS = {header_key(c.header): c.field for c in COLUMNS} | ALIASES


def choice_labels() -> dict[str, dict[str, str]]:
    """The labels of the choice columns, translated once per export (not once per cell)."""
    return {
        "education": {value: str(label) for value, label in Member.Education.choices},
        "category": {value: str(label) for value, label in Member.Category.choices},
    }


def display_value(member: Member, field: str, labels: dict | None = None):
    """Return the cell value of ``field`` as the export writes it and import reads it."""
    value = getattr(member, field)
    if field == "organization":
        return value.short_name if value else ""
    if field in ("education", "category"):
        if not value:
            return ""
        if labels is not None:
            return labels[field].get(value, value)
        return getattr(member, f"get_{field}_display")()
    if field == "has_library_education":
        return YES if value else NO
    return "" if value is None else value


def write_cell(sheet, row: int, column: int, value):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None)
    cell.value = value
    if isinstance(value, str):
        # openpyxl stores a string beginning with «=» as a formula; force text.
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def fit_to_page_width(sheet) -> None:
    """Print the sheet landscape, as wide as one page, with the header row repeated."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def stream_cell(sheet, value):
    """Return what a write-only sheet appends for ``value``: formula-like text stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def write_sheet(workbook, title: str, headers: list[str], rows, widths: list[int]) -> None:
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    fit_to_page_width(sheet)
    sheet.print_title_rows = "1:1"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in rows:
        sheet.append([stream_cell(sheet, value) for value in values])


def export_members(association: Association) -> bytes:
    """Return the association's members as XLSX: people, their courses and awards.

    The workbook is written in openpyxl's write-only mode, and courses and awards
    are read with a subquery rather than a prefetch of ten thousand ids.
    """
    members = Member.objects.of_association(association)
    people = members.select_related("organization").order_by(
        "last_name", "first_name", "patronymic", "pk"
    )
    workbook = Workbook(write_only=True)
    labels = choice_labels()
    write_sheet(
        workbook, "Участники", [c.header for c in COLUMNS],
        ([display_value(m, c.field, labels) for c in COLUMNS] for m in people.iterator(2000)),
        [c.width for c in COLUMNS],
    )  # fmt: skip
    order = ("member__last_name", "member__first_name", "member__patronymic", "member_id")
    courses = Course.objects.filter(member__in=members.values("pk")).select_related("member")
    write_sheet(
        workbook, "Курсы", ["ФИО", "Электронная почта", "Программа", "Организатор", "Часов", "Год"],
        ([c.member.full_name, c.member.email, c.title, c.organizer, c.hours, c.year]
         for c in courses.order_by(*order, "-year", "title").iterator(2000)),
        [34, 28, 50, 30, 8, 8],
    )  # fmt: skip
    awards = Award.objects.filter(member__in=members.values("pk")).select_related("member")
    write_sheet(
        workbook, "Награды", ["ФИО", "Электронная почта", "Награда", "Кем награждён(а)", "Год"],
        ([a.member.full_name, a.member.email, a.title, a.issued_by, a.year]
         for a in awards.order_by(*order, "-year", "title").iterator(2000)),
        [34, 28, 50, 30, 8],
    )  # fmt: skip
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
