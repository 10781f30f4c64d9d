from django import template

register = template.Library()

MONTHS_GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip


@register.filter
def stamp_date(value, year=None):
    """Write a stamp's date as the seed does: «« 15 » января 2024 года», blanks when unsigned."""
    if value:
        return f"« {value.day} » {MONTHS_GENITIVE[value.month - 1]} {value.year} года"
    return f"« ____ » _____ {year or ''} года".replace("  ", " ")
