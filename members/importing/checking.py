"""Checking one row of a member list: each value parsed, each problem named by its column."""

from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Member
from ..search import fold
from ..spreadsheets import COLUMNS, NO, YES
from ..validators import MAX_EXPERIENCE_YEARS, validate_phone
from .reading import Cell

LABELS = {c.field: c.header for c in COLUMNS}
EDUCATION = {fold(str(label)): value for value, label in Member.Education.choices}
CATEGORY = {fold(str(label)): value for value, label in Member.Category.choices}
CATEGORY |= {"высшая категория": "highest", "первая категория": "first", "нет": "none"}


def text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    if isinstance(cell.value, float) and cell.value.is_integer():
        return str(int(cell.value))
    return " ".join(str(cell.value).split())


def parse_int(raw: Cell) -> int | None:
    value = text(raw)
    if not value:
        return None
    try:
        number = int(float(value.replace(",", ".")))
    except ValueError:
        raise ValidationError(_("ожидается число лет")) from None
    if number < 0:
        raise ValidationError(_("стаж не может быть отрицательным"))
    if number > MAX_EXPERIENCE_YEARS:
        raise ValidationError(_("больше %(max)s лет") % {"max": MAX_EXPERIENCE_YEARS})
    return number


def parse_date(raw: Cell) -> date | None:
    value = raw.value
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        string = text(raw)
        if not string:
            return None
        for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
            try:
                value = datetime.strptime(string, pattern).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(_("ожидается дата ДД.ММ.ГГГГ"))
    if value > timezone.localdate():
        raise ValidationError(_("дата в будущем"))
    return value


def parse_choice(table: dict, message: str) -> Callable[[Cell], str | None]:
    def parse(raw: Cell):
        value = fold(text(raw))
        if not value:
            return None
        if value not in table:
            raise ValidationError(message)
        return table[value]

    return parse


def parse_yes_no(raw: Cell) -> bool | None:
    value = fold(text(raw))
    if not value:
        return None
    if value in {YES, "1", "true", "есть"}:
        return True
    if value in {NO, "0", "false"}:
        return False
    raise ValidationError(_("ожидается «да» или «нет»"))


def parse_email(raw: Cell) -> str:
    value = text(raw).lower()
    if value:
        validate_email(value)
    return value


def parse_phone(raw: Cell) -> str:
    value = text(raw)
    if value:
        validate_phone(value)
    return value


PARSERS = {
    "email": parse_email,
    "phone": parse_phone,
    "education": parse_choice(EDUCATION, _("ожидается «высшее», «среднее профессиональное»…")),
    "category": parse_choice(CATEGORY, _("ожидается «высшая», «первая» или «без категории»")),
    "has_library_education": parse_yes_no,
    "category_date": parse_date,
    "total_experience": parse_int,
    "library_experience": parse_int,
}


def parse_row(cells: list[Cell], columns: dict[str, int]) -> tuple[dict, list]:
    values, errors = {}, []
    for name, index in columns.items():
        cell = cells[index] if index < len(cells) else None
        if cell is not None and cell.is_formula:
            errors.append((LABELS[name], _("формулы не принимаются, введите значение")))
            continue
        try:
            parser = PARSERS.get(name)
            values[name] = parser(cell or Cell(None)) if parser else text(cell)[:255]
        except ValidationError as error:
            message = error.messages[0] if name != "email" else _("неверный адрес почты")
            errors.append((LABELS[name], message))
    for required in ("last_name", "first_name"):
        if required in values and not values[required]:
            errors.append((LABELS[required], _("не заполнено")))
    if values.get("category_date") and values.get("category") == Member.Category.NONE:
        errors.append((LABELS["category_date"], _("указана без категории")))
    total, library = values.get("total_experience"), values.get("library_experience")
    if total is not None and library is not None and library > total:
        errors.append((LABELS["library_experience"], _("больше общего стажа")))
    return values, errors
