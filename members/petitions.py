"""The data an award petition (ходатайство о награждении) prints for the selected members.

Round two renders it as a pipeline document; this module only gathers the
rows, in the order and wording the petition lists them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from .models import Award, Course, Member


@dataclass
class PetitionRow:
    number: int
    full_name: str
    position: str
    organization: str
    education: str
    category: str
    total_experience: int | None
    library_experience: int | None
    awards: list[str]
    recent_courses: list[str]


def award_petition(member_ids: Iterable[int], *, on: date) -> list[PetitionRow]:
    """Return one numbered row per member, in alphabetical order, with awards and recent courses."""
    recent = Course.objects.filter(year__gte=on.year - 2).order_by("-year", "title")
    members = (
        Member.objects.filter(pk__in=list(member_ids))
        .select_related("organization")
        .prefetch_related(
            Prefetch("awards", queryset=Award.objects.order_by("-year", "title")),
            Prefetch("courses", queryset=recent, to_attr="recent_courses"),
        )
        .order_by("last_name", "first_name", "patronymic", "pk")
    )
    return [
        PetitionRow(
            number=number,
            full_name=m.full_name,
            position=m.position,
            organization=m.organization.name if m.organization else "",
            education=m.get_education_display() if m.education else "",
            category=m.get_category_display(),
            total_experience=m.total_experience,
            library_experience=m.library_experience,
            awards=[str(a) for a in m.awards.all()],
            recent_courses=[str(c) for c in m.recent_courses],
        )
        for number, m in enumerate(members, start=1)
    ]
