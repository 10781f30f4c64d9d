"""Understand timings as people write them, as a set of months within the plan's period.

«апрель-май», «сентябрь–май» (wraps over New Year), «май, сентябрь» (a list,
not a range), «с января по март», «ежеквартально», «I полугодие», «III квартал»,
«в течение 2024–2025 учебного года», «по итогам года». Month names count only
as whole words: «Маяковский» is not May. What cannot be understood gives an
empty set; the text as written is always what prints.
"""

import re

ALL = frozenset(range(1, 13))
# Every form of every month name: «январь», «января», «январе», «январём», «мая», «маем».
MONTH_FORMS = [
    (r"январ(?:ь|я|е|ю|ём|ем)", 1), (r"феврал(?:ь|я|е|ю|ём|ем)", 2), (r"март(?:а|е|у|ом)?", 3),
    (r"апрел(?:ь|я|е|ю|ем)", 4), (r"ма(?:й|я|е|ю|ем)", 5), (r"июн(?:ь|я|е|ю|ем)", 6),
    (r"июл(?:ь|я|е|ю|ем)", 7), (r"август(?:а|е|у|ом)?", 8), (r"сентябр(?:ь|я|е|ю|ём|ем)", 9),
    (r"октябр(?:ь|я|е|ю|ём|ем)", 10), (r"ноябр(?:ь|я|е|ю|ём|ем)", 11),
    (r"декабр(?:ь|я|е|ю|ём|ем)", 12),
]  # fmt: skip
WORD_END = r"(?![а-яёa-z])"
WORD_START = r"(?<![а-яёa-z])"
MONTH_RE = re.compile(
    WORD_START + "(" + "|".join(f"(?:{form})" for form, _n in MONTH_FORMS) + ")" + WORD_END, re.I
)
# Two months joined by a dash or «по»/«до» form a range; a comma or «и» a list.
RANGE_JOIN_RE = re.compile(r"^\s*(?:[-–—]|по|до)\s*$", re.I)
ROMAN_OR_DIGIT = r"(IV|I{1,3}|[1-4])"
QUARTER_RE = re.compile(WORD_START + ROMAN_OR_DIGIT + r"\s*(?:-?й\s*)?квартал", re.I)
HALF_RE = re.compile(
    WORD_START + r"(?:(I{1,2}|[12])\s*(?:-?е\s*)?|(перв|втор)\w*\s+)полугоди", re.I
)
EVERY_MONTH_RE = re.compile(
    r"в\s+течени[еи]\s+(?:всего\s+)?(?:\d{4}\s*[-–—]\s*\d{4}\s+|\d{4}\s+)?(?:учебного\s+|календарного\s+)?года"
    r"|в\s+течени[еи]\s+периода|ежемесячно|постоянно|систематически|весь\s+период",
    re.I,
)
EVERY_QUARTER_RE = re.compile(r"ежеквартально|раз\s+в\s+квартал", re.I)
YEAR_END_RE = re.compile(
    r"по\s+итогам\s+(?:учебного\s+)?года|в\s+конце\s+(?:учебного\s+)?года", re.I
)
NUMBERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def month_number(word: str) -> int:
    for form, number in MONTH_FORMS:
        if re.fullmatch(form, word, re.I):
            return number
    raise ValueError(word)


def span(first: int, last: int) -> set[int]:
    """The months from ``first`` to ``last``, wrapping over New Year («сентябрь–май»)."""
    if first <= last:
        return set(range(first, last + 1))
    return set(range(first, 13)) | set(range(1, last + 1))


def half_year(second: bool, first_month: int) -> set[int]:
    """An academic year's halves are September–December and January–June, as schools count."""
    if first_month == 9:
        return span(1, 6) if second else span(9, 12)
    start = (first_month - 1 + (6 if second else 0)) % 12 + 1
    return span(start, (start + 4) % 12 + 1)


def parse_months(text: str, *, first_month: int = 1) -> set[int]:
    """Return the calendar months the timing covers; empty when it cannot tell.

    ``first_month`` is the month the plan's period starts with (9 for an academic
    year): halves and the year's end are counted from it.
    """
    if not text:
        return set()
    if EVERY_MONTH_RE.search(text):
        return set(ALL)
    # The year's end: December, or June for an academic year (its summer is a holiday).
    last_month = 6 if first_month == 9 else (first_month - 2) % 12 + 1
    if YEAR_END_RE.search(text):
        return {last_month}
    if EVERY_QUARTER_RE.search(text):
        return {3, 6, 9, 12}  # due by the end of each (calendar) quarter
    months: set[int] = set()
    matches = list(MONTH_RE.finditer(text))
    for index, match in enumerate(matches):
        number = month_number(match.group(1))
        months.add(number)
        if index + 1 < len(matches):
            between = text[match.end() : matches[index + 1].start()]
            if RANGE_JOIN_RE.match(between):
                months |= span(number, month_number(matches[index + 1].group(1)))
    if not months:
        for quarter in QUARTER_RE.finditer(text):
            q = NUMBERS[quarter.group(1).upper()]
            months |= span(3 * q - 2, 3 * q)  # calendar quarters, as accounting counts them
        for half in HALF_RE.finditer(text):
            second = (half.group(1) or "").upper() in ("II", "2") or (
                (half.group(2) or "").lower() == "втор"
            )
            months |= half_year(second, first_month)
    return months


def mask(months: set[int]) -> int:
    return sum(1 << (m - 1) for m in months)


def months_of(mask_value: int) -> set[int]:
    return {m for m in range(1, 13) if mask_value & (1 << (m - 1))}
