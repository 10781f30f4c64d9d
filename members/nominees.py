"""Choosing whom a petition puts forward, among the thousands of an association.

The petition form (templates/members/petition_form.html) lists the chosen
nominees and one page of the members a search finds, each with «Добавить». The
choice lives in the form itself (a ticked checkbox per nominee), so every step —
a search, a page, an addition — is a plain POST that keeps what was typed, and
htmx only swaps the picker in place. Whatever the association's size, a step
costs the same queries: the chosen members, one page of results and its count
(cached per content generation).
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.core.paginator import Page
from django.db.models import Q

from rumo import page_cache

from .models import Association, Member
from .search import CountedPaginator, Folded, fold

RESULTS_PER_PAGE = 10
QUERY_MAX = 100


@dataclass
class Picker:
    chosen: list[Member]
    query: str
    results: Page
    added: Member | None = None
    step: str = ""  # the button pressed: "add", "search", "page" (what the status line says)

    @cached_property
    def chosen_ids(self) -> set[int]:
        return {m.pk for m in self.chosen}


def as_id(value: str) -> int | None:
    """Return the row id a form's value names, or None (not a number, or out of range)."""
    value = value.strip()
    if value.isdecimal() and value.isascii() and 0 < int(value) < 2**31:
        return int(value)
    return None


def posted_ids(values: list[str]) -> list[int]:
    """Return the member ids of a form's values, each once, ignoring what is not an id."""
    ids = []
    for pk in map(as_id, values):
        if pk is not None and pk not in ids:
            ids.append(pk)
    return ids


def picker(
    association: Association,
    chosen,
    *,
    query: str = "",
    page: str | int | None = 1,
    add: int | None = None,
    on: date,
) -> Picker:
    """Return the chosen members (those of ``chosen``, ids or a queryset, who belong to the
    association, and the one to ``add``) and the page of search results to show."""
    query = " ".join(query.split())[:QUERY_MAX]
    wanted = Q(pk__in=chosen)
    if add is not None:
        wanted |= Q(pk=add)
    members = Member.objects.of_association(association, on)
    # A few: sorted as the petition prints them, «Ё» as «Е» on every database.
    chosen_members = list(
        members.filter(wanted)
        .select_related("organization")
        .order_by(Folded("last_name"), Folded("first_name"), Folded("patronymic"), "pk")
    )
    added = next((m for m in chosen_members if m.pk == add), None)
    found = members.search(query)  # as the directory finds them
    count = page_cache.cached(
        ("members.nominees.count", association.pk, on.isoformat(), fold(query)), found.count, 600
    )
    # The directory's order: the database's Russian collation, read from an index.
    ordered = found.select_related("organization").order_by(
        "last_name", "first_name", "patronymic", "pk"
    )
    results = CountedPaginator(ordered, RESULTS_PER_PAGE, count=count).get_page(page)
    return Picker(chosen=chosen_members, query=query, results=results, added=added)
