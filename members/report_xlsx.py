"""The characteristics report as XLSX: the totals, then one table per dimension by college."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .reports import Characteristics
from .spreadsheets import fit_to_page_width, write_cell


def characteristics_xlsx(report: Characteristics) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Характеристика кадров"
    title = f"Характеристика кадров: {report.association.name}"
    write_cell(sheet, 1, 1, title).font = Font(bold=True, size=13)
    write_cell(sheet, 2, 1, f"на {report.on:%d.%m.%Y}; участников: {report.total.headcount}")
    row = 4
    for dimension, totals, colleges in report.sections():
        write_cell(sheet, row, 1, str(dimension.title)).font = Font(bold=True)
        row += 1
        headers = ["Организация", "Всего"]
        for bucket in totals:
            headers += [bucket.label, "%"]
        for col, header in enumerate(headers, start=1):
            cell = write_cell(sheet, row, col, header)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        sheet.row_dimensions[row].height = 45
        for college, buckets in [*colleges, (report.total, totals)]:
            row += 1
            values = [college.name, college.headcount]
            for bucket in buckets:
                values += [bucket.count, bucket.percent]
            for col, value in enumerate(values, start=1):
                write_cell(sheet, row, col, value)
        sheet.cell(row=row, column=1).font = Font(bold=True)
        row += 2
    sheet.column_dimensions["A"].width = 34
    for col in range(2, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 16 if col % 2 else 7
    fit_to_page_width(sheet)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
