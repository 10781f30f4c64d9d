from django import template
from django.utils.dates import MONTHS_ALT  # genitive in Russian: «января»

register = template.Library()


@register.filter
def stamp_date(value, revision):
    """Write a stamp's date as the seed does: «« 15 » января 2024 года», blanks when unsigned.

    The revision gives the plan's year and the writer's choice of «года» or «г.».
    """
    style = revision.date_style
    if value:
        return f"« {value.day} » {MONTHS_ALT[value.month]} {value.year} {style}"
    return f"« ____ » _____ {revision.plan.year} {style}"


@register.filter
def cell(row, key):
    """The text of the row's column ``key`` (plans.outline.Row.cell)."""
    return row.cell(key)
