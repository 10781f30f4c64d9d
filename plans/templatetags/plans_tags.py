from django import template
from django.utils.dates import MONTHS_ALT  # genitive in Russian: «января»

register = template.Library()


@register.filter
def stamp_date(value, year=None):
    """Write a stamp's date as the seed does: «« 15 » января 2024 года», blanks when unsigned."""
    if value:
        return f"« {value.day} » {MONTHS_ALT[value.month]} {value.year} года"
    return f"« ____ » _____ {year or ''} года".replace("  ", " ")
