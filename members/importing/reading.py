"""Reading member lists: XLSX or CSV (UTF-8 or Windows-1251, «;» or «,») into cells."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..spreadsheets import COLUMNS, HEADERS, header_key

MAX_ROWS = 20_000
READ_PROGRESS_EVERY = 500


class ImportProblem(Exception):
    """The file as a whole cannot be read; the message says why, in Russian."""


@dataclass
class Cell:
    value: object
    is_formula: bool = False


def read_rows(
    data: bytes, filename: str, *, progress: Callable[[int], None] | None = None
) -> tuple[list, list[list[Cell]]]:
    """Return the header row and the data rows of an XLSX or CSV file.

    ``progress(rows read)`` is called every READ_PROGRESS_EVERY rows of a
    spreadsheet: reading it is most of an import's time, and its size is not
    known before the end.
    """
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        rows = read_xlsx(data, progress)
    elif filename.lower().endswith((".csv", ".txt")):
        rows = read_csv(data)
    else:
        raise ImportProblem(_("Загрузите файл XLSX или CSV."))
    rows = [r for r in rows if any(str(c.value or "").strip() for c in r)]
    if not rows:
        raise ImportProblem(_("Файл пуст: нет ни строки заголовков, ни данных."))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportProblem(_("В файле больше %(max)s строк; разделите его.") % {"max": MAX_ROWS})
    return [c.value for c in rows[0]], rows[1:]


def read_xlsx(data: bytes, progress: Callable[[int], None] | None = None) -> list[list[Cell]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportProblem(_("Файл XLSX повреждён или это не XLSX.")) from error
    sheet = workbook.worksheets[0]
    # Files written in write-only mode carry no dimensions; without this openpyxl
    # reads the whole sheet once more just to find its size.
    sheet.reset_dimensions()
    rows = []
    for row in sheet.iter_rows():
        rows.append([Cell(c.value, c.data_type == "f") for c in row])
        if progress and len(rows) % READ_PROGRESS_EVERY == 0:
            progress(len(rows) - 1)  # the header row is not a member
    workbook.close()
    return rows


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:2000]:
        raise ImportProblem(
            _("Кодировка файла (UTF-16) не поддерживается: сохраните CSV в UTF-8 или Windows-1251.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as error:
        raise ImportProblem(
            _("Не удалось прочитать CSV: сохраните его в кодировке UTF-8 или Windows-1251.")
        ) from error


def read_csv(data: bytes) -> list[list[Cell]]:
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        return [
            [Cell(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise ImportProblem(_("CSV повреждён: %(error)s") % {"error": error}) from error


def map_headers(headers: list) -> dict[str, int]:
    """Return {field: column index}; a missing required column stops the import."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = HEADERS.get(header_key(header))
        if name and name not in found:
            found[name] = index
    if not found:
        raise ImportProblem(
            _(
                "Строка 1: не распознан ни один заголовок столбца. Первая строка должна "
                "содержать заголовки («Фамилия», «Имя», …); если они на месте, проверьте "
                "кодировку CSV (UTF-8 или Windows-1251)."
            )
        )
    missing = [c.header for c in COLUMNS if c.required and c.field not in found]
    if missing:
        raise ImportProblem(
            _("Строка 1: нет столбца %(columns)s.")
            % {"columns": ", ".join(f"«{m}»" for m in missing)}
        )
    return found
