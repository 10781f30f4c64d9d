"""Understand timings as people write them: «апрель-май», «январь – март, 2024 г.»."""

import re

MONTH_STEMS = [
    ("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма[йяе]", 5), ("июн", 6),
    ("июл", 7), ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12),
]  # fmt: skip
MONTH_RE = re.compile(r"\b(" + "|".join(stem for stem, _ in MONTH_STEMS) + r")[а-я]*", re.I)
QUARTER_RE = re.compile(r"\b(I{1,3}|IV|[1-4])\s*(?:-?й\s*)?квартал", re.I)
WHOLE_YEAR_RE = re.compile(r"в\s+течени[еи]\s+(?:учебного\s+)?года|ежемесячно|постоянно", re.I)
YEAR_END_RE = re.compile(r"по\s+итогам\s+года|в\s+конце\s+года", re.I)
HALF_RE = re.compile(r"(перв|втор)\w*\s+полугоди", re.I)
QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def month_number(word: str) -> int:
    for stem, number in MONTH_STEMS:
        if re.match(stem, word, re.I):
            return number
    raise ValueError(word)


def parse_months(text: str) -> tuple[int, int] | None:
    """Return the (first, last) month the timing covers, or None when it cannot tell."""
    if not text:
        return None
    if WHOLE_YEAR_RE.search(text):
        return (1, 12)
    if YEAR_END_RE.search(text):
        return (12, 12)
    if half := HALF_RE.search(text):
        return (1, 6) if half.group(1).lower() == "перв" else (7, 12)
    months = [month_number(m.group(1)) for m in MONTH_RE.finditer(text)]
    if months:
        if months == sorted(months):
            return (months[0], months[-1])
        return (months[0], 12)  # «ноябрь – январь»: the part within this year
    quarters = [QUARTERS[q.group(1).upper()] for q in QUARTER_RE.finditer(text)]
    if quarters:
        return (3 * min(quarters) - 2, 3 * max(quarters))
    return None
