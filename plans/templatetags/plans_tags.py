from functools import cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.dates import MONTHS_ALT  # genitive in Russian: «января»

register = template.Library()
# A number no real row has, reversed once per URL name and put in place of the pk.
MARKER = 918273645546372819


@cache
def url_pattern(name: str, prefix: str) -> tuple[str, str]:
    before, after = reverse(name, args=[MARKER]).split(str(MARKER))
    return before, after


@register.filter
def pk_url(pk, name):
    """``{% url name pk %}`` for a URL whose one argument is an integer pk, without
    resolving it anew for each of a plan's hundreds of rows (each has seven)."""
    before, after = url_pattern(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"


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
