"""The data an award petition (ходатайство о награждении) prints for the selected members.

``award_petition`` gathers the rows, in the order and wording the petition
lists them; ``petition_rows`` adds each nominee's merits from a saved
``AwardPetition``. The PDF (members/pdf.py, kind ``members.petition``) and the
petition page print them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _

from .models import Award, AwardPetition, Course, Member, Membership
from .search import Folded


@dataclass
class PetitionRow:
    number: int
    member_id: int
    full_name: str
    position: str
    organization: str
    education: str
    library_education: bool
    category: str
    category_date: date | None
    total_experience: int | None
    library_experience: int | None
    awards: list[str]
    recent_courses: list[str]
    reason: str = ""


def award_petition(
    member_ids: Iterable[int], *, on: date, reasons: Mapping[int, str] | None = None
) -> list[PetitionRow]:
    """Return one numbered row per member, in alphabetical order, with awards and recent courses."""
    reasons = reasons or {}
    members = Member.objects.filter(pk__in=list(member_ids))
    return [replace(row, reason=reasons.get(row.member_id, "")) for row in rows_of(members, on=on)]


def petition_rows(petition: AwardPetition, *, on: date) -> list[PetitionRow]:
    """Return the petition's rows with the merits written for each nominee (three queries)."""
    members = Member.objects.filter(nominations__petition=petition).annotate(
        reason=F("nominations__reason")
    )
    return rows_of(members, on=on)


def rows_of(members, *, on: date) -> list[PetitionRow]:
    recent = Course.objects.filter(year__gte=on.year - 2).order_by("-year", "title")
    members = (
        members.select_related("organization")
        .prefetch_related(
            Prefetch("awards", queryset=Award.objects.order_by("-year", "title")),
            Prefetch("courses", queryset=recent, to_attr="recent_courses"),
        )
        # «Ё» sorts as «Е» (a plain ORDER BY puts «Ёлкина» before «Алексеева»).
        .order_by(Folded("last_name"), Folded("first_name"), Folded("patronymic"), "pk")
    )
    return [
        PetitionRow(
            number=number,
            member_id=m.pk,
            full_name=m.full_name,
            position=m.position,
            organization=m.organization.name if m.organization else "",
            education=m.get_education_display() if m.education else "",
            library_education=m.has_library_education,
            category=m.get_category_display(),
            category_date=m.category_date,
            total_experience=m.total_experience,
            library_experience=m.library_experience,
            awards=[str(a) for a in m.awards.all()],
            recent_courses=[str(c) for c in m.recent_courses],
            reason=getattr(m, "reason", ""),
        )
        for number, m in enumerate(members, start=1)
    ]


def missing_reasons(rows: list[PetitionRow]) -> list[str]:
    """Return the names of the nominees whose merits are not written yet."""
    return [row.full_name for row in rows if not row.reason.strip()]


def petition_refusal(rows: list[PetitionRow]) -> str | None:
    """Why the petition cannot be printed yet (in Russian, as the panel shows it), or None."""
    if not rows:
        return _("В ходатайстве нет ни одного участника: отметьте, кого представить к награде.")
    if missing := missing_reasons(rows):
        return _("Не написаны заслуги: %(names)s. Заполните их на странице ходатайства.") % {
            "names": ", ".join(missing)
        }
    return None


@dataclass
class Signatory:
    position: str
    name: str  # «С.Н. Лоскутова»; "" when the association has no chair recorded


def chair_of(petition: AwardPetition, *, on: date) -> Signatory:
    """The association's chair on the day, who signs the petition."""
    association = petition.association
    seat = (
        Membership.objects.active(on)
        .filter(association=association, role=Membership.Role.CHAIR)
        .select_related("member")
        .order_by("-start", "pk")
        .first()
    )
    position = _("Председатель %(name)s") % {"name": association.name}
    if seat is None:
        return Signatory(position=position, name="")
    return Signatory(position=seat.title or position, name=seat.member.short_name)
