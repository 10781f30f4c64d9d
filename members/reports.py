"""The staff characteristics report (характеристика кадров) of an association.

Every number comes from grouped queries (counts per college with a filter
per bucket); Python only arranges the rows and sums the colleges.
``staff_characteristics`` returns the data the page, the XLSX and, in round
two, the PDF template print: a
pipeline document kind whose context is ``staff_characteristics(association,
on=…)`` with ``charts.bar_chart`` per section (the SVG includes as is).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from rumo import page_cache

from .models import Association, Course, Member

Education, Category = Member.Education, Member.Category


def experience_bands(name: str) -> list[tuple[str, str, Q]]:
    return [
        ("lt3", _("до 3 лет"), Q(**{f"{name}__lt": 3})),
        ("3to10", _("от 3 до 10 лет"), Q(**{f"{name}__gte": 3, f"{name}__lt": 10})),
        ("10to20", _("от 10 до 20 лет"), Q(**{f"{name}__gte": 10, f"{name}__lt": 20})),
        ("20plus", _("20 лет и более"), Q(**{f"{name}__gte": 20})),
        ("unknown", _("не указан"), Q(**{f"{name}__isnull": True})),
    ]


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    buckets: list  # (key, label, Q)


DIMENSIONS = [
    Dimension(
        "education",
        _("Образование"),
        [
            *((value, label, Q(education=value)) for value, label in Education.choices),
            ("unknown", _("не указано"), Q(education="")),
        ],
    ),
    Dimension(
        "library_education",
        _("Библиотечное образование"),
        [
            ("yes", _("есть"), Q(has_library_education=True)),
            ("no", _("нет"), Q(has_library_education=False)),
        ],
    ),
    Dimension(
        "category",
        _("Квалификационная категория"),
        [
            ("highest", _("высшая"), Q(category=Category.HIGHEST)),
            ("first", _("первая"), Q(category=Category.FIRST)),
            ("none", _("без категории"), Q(category=Category.NONE)),
        ],
    ),
    Dimension("total_experience", _("Общий стаж"), experience_bands("total_experience")),
    Dimension("library_experience", _("Библиотечный стаж"), experience_bands("library_experience")),
    # Counted by a second grouped query over the courses (see ``recent_courses``).
    Dimension(
        "courses",
        _("Курсы повышения квалификации за последние 3 года"),
        [("yes", _("прошли"), None), ("no", _("не проходили"), None)],
    ),
]


@dataclass
class Bucket:
    key: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.count / self.total, 1) if self.total else 0.0

    @property
    def percent_text(self) -> str:
        """Return the share as Russian text writes it: «33,3»."""
        return f"{self.percent:g}".replace(".", ",")


@dataclass
class Row:
    """One college (or the total): headcount and a list of buckets per dimension."""

    name: str
    headcount: int
    by_dimension: dict = field(default_factory=dict)  # key → [Bucket]


@dataclass
class Characteristics:
    association: Association
    on: date
    courses_since: int
    dimensions: list[Dimension]
    colleges: list[Row]
    total: Row

    # Cached (cached_characteristics) by the dimensions' keys: unpickling their lazy
    # titles rebuilds a lazy class each, ~3 ms apiece, most of a cached page's time.
    def __getstate__(self):
        return {**self.__dict__, "dimensions": [d.key for d in self.dimensions]}

    def __setstate__(self, state):
        by_key = {d.key: d for d in DIMENSIONS}
        self.__dict__.update(state, dimensions=[by_key[k] for k in state["dimensions"]])

    def sections(self):
        """Yield (dimension, total buckets, [(college, buckets)]) for templates."""
        for dimension in self.dimensions:
            yield (
                dimension,
                self.total.by_dimension[dimension.key],
                [(row, row.by_dimension[dimension.key]) for row in self.colleges],
            )


def staff_characteristics(association: Association, *, on: date) -> Characteristics:
    """Count the association's members by every dimension, per college and in total.

    Two grouped queries: the member fields with one filtered count per bucket,
    then the members with a course in the last three years. (One query with a
    correlated subquery per member made PostgreSQL's planner estimate it costly
    enough to JIT-compile it, which took longer than running it.)
    """
    courses_since = on.year - 2
    members = Member.objects.of_association(association, on)
    counts = {
        f"{d.key}__{key}": Count("pk", filter=condition)
        for d in DIMENSIONS
        for key, _label, condition in d.buckets
        if condition is not None
    }
    rows = list(
        members.values(college=F("organization__short_name"))
        .annotate(headcount=Count("pk"), **counts)
        .order_by("college")
    )
    trained = dict(
        Course.objects.filter(year__gte=courses_since, member__in=members.values("pk"))
        .values_list("member__organization__short_name")
        .annotate(people=Count("member", distinct=True))
        .order_by()
    )
    for row in rows:
        row["courses__yes"] = trained.get(row["college"], 0)
        row["courses__no"] = row["headcount"] - row["courses__yes"]
    names = ["headcount", *counts, "courses__yes", "courses__no"]
    totals = {name: sum(r[name] for r in rows) for name in names}
    colleges = [make_row(r["college"] or str(_("без организации")), r) for r in rows]
    return Characteristics(
        association=association,
        on=on,
        courses_since=courses_since,
        dimensions=DIMENSIONS,
        colleges=colleges,
        total=make_row(str(_("Всего по объединению")), totals),
    )


def cached_characteristics(association: Association, *, on: date) -> Characteristics:
    """The report as ``staff_characteristics`` counts it, kept per content generation
    (rumo/page_cache.py): every saved member, role, college or course moves it on, and
    an import (bulk writes) bumps it; the page, the PDF's version and its context share it."""
    parts = ("members.report.data", association.pk, on.isoformat())
    return page_cache.cached(parts, lambda: staff_characteristics(association, on=on), 600)


def make_row(name: str, values: dict) -> Row:
    headcount = values["headcount"]
    return Row(
        name=name,
        headcount=headcount,
        by_dimension={
            d.key: [
                Bucket(key, str(label), values[f"{d.key}__{key}"], headcount)
                for key, label, _q in d.buckets
            ]
            for d in DIMENSIONS
        },
    )
