"""The member list as a spreadsheet: the columns both export and import read, and the export.

Headers are the Russian ones people type; import recognises them in any
order, ignoring case, «ё» and extra spaces. Text cells are written as text
(never as formulas): a value beginning with «=», «+», «-» or «@» opens as
the same characters in Excel and LibreOffice.
"""

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
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


def display_value(member: Member, field: str):
    """Return the cell value of ``field`` as the export writes it and import reads it."""
    value = getattr(member, field)
    if field == "organization":
        return value.short_name if value else ""
    if field in ("education", "category"):
        return getattr(member, f"get_{field}_display")() if value else ""
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


def write_sheet(sheet, headers: list[str], rows, widths: list[int]) -> None:
    for index, header in enumerate(headers, start=1):
        write_cell(sheet, 1, index, header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    for row_number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            write_cell(sheet, row_number, index, value)
    sheet.freeze_panes = "A2"


def export_members(association: Association) -> bytes:
    """Return the association's members as XLSX: people, their courses and awards."""
    members = (
        Member.objects.of_association(association)
        .select_related("organization")
        .prefetch_related(
            Prefetch("courses", queryset=Course.objects.order_by("-year", "title")),
            Prefetch("awards", queryset=Award.objects.order_by("-year", "title")),
        )
        .order_by("last_name", "first_name", "patronymic", "pk")
    )
    workbook = Workbook()
    people = workbook.active
    people.title = "Участники"
    write_sheet(
        people,
        [c.header for c in COLUMNS],
        ([display_value(m, c.field) for c in COLUMNS] for m in members),
        [c.width for c in COLUMNS],
    )
    courses = workbook.create_sheet("Курсы")
    write_sheet(
        courses,
        ["ФИО", "Электронная почта", "Программа", "Организатор", "Часов", "Год"],
        (
            [m.full_name, m.email, c.title, c.organizer, c.hours, c.year]
            for m in members
            for c in m.courses.all()
        ),  # fmt: skip
        [34, 28, 50, 30, 8, 8],
    )
    awards = workbook.create_sheet("Награды")
    write_sheet(
        awards,
        ["ФИО", "Электронная почта", "Награда", "Кем награждён(а)", "Год"],
        (
            [m.full_name, m.email, a.title, a.issued_by, a.year]
            for m in members
            for a in m.awards.all()
        ),  # fmt: skip
        [34, 28, 50, 30, 8],
    )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
