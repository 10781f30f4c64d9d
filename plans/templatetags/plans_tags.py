from django import template
from django.utils.dates import MONTHS_ALT  # genitive in Russian: «января»

register = template.Library()


@register.filter
def stamp_date(value, year=None, style="года"):
    """Write a stamp's date as the seed does: «« 15 » января 2024 года», blanks when unsigned.

    ``year`` may be "2024|г." to choose «2024 г.» instead of «2024 года».
    """
    if isinstance(year, str) and "|" in year:
        year, style = year.split("|", 1)
    if value:
        return f"« {value.day} » {MONTHS_ALT[value.month]} {value.year} {style}"
    return f"« ____ » _____ {year or ''} {style}".replace("  ", " ")


@register.filter
def cell(row, key):
    """The text of the row's column ``key`` (plans.outline.Row.cell)."""
    return row.cell(key, {k for k, _label in row.columns}) if hasattr(row, "columns") else ""


@register.simple_tag
def stamp_year(revision):
    """The argument of ``stamp_date``: the plan's year and the revision's date style."""
    return f"{revision.plan.year}|{revision.date_style}"
