"""The contests card of the home page (rumo/dashboard.py asks for it): one query."""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from members.rules import is_office_staff, roles_by_association

from .models import Contest, CouncilVote, Juror, Regulation
from .rules import COUNCIL_ROLES


def contests_for(user, limit: int = 6) -> dict:
    """Running contests the user sees, and the ones waiting for the user's vote or scores.

    Render with templates/contests/includes/dashboard_card.html.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    member = getattr(user, "member", None)
    councils = [pk for pk, held in roles_by_association(user).items() if held & COUNCIL_ROLES]
    in_council = Exists(
        Contest.organizers.through.objects.filter(
            contest_id=OuterRef("pk"), association_id__in=councils
        )
    )
    approved = Exists(
        Regulation.objects.filter(contest=OuterRef("pk"), status=Regulation.Status.APPROVED)
    )
    voting = Regulation.objects.filter(
        contest=OuterRef("pk"),
        status=Regulation.Status.ON_REVIEW,
        vote_deadline__gt=timezone.now(),
        contest__organizers__in=councils,
    ).exclude(Exists(CouncilVote.objects.filter(regulation=OuterRef("pk"), member=member)))
    scoring = Juror.objects.filter(contest=OuterRef("pk"), member=member, submitted_at__isnull=True)
    visible = Q() if is_office_staff.test(user) else Q(approved) | Q(in_council)
    contests = (
        Contest.objects.filter(is_external=False)
        .annotate(
            vote_regulation=Subquery(voting.values("pk")[:1]),
            vote_deadline=Subquery(voting.values("vote_deadline")[:1]),
            to_score=Exists(scoring.filter(contest__results_approved_at__isnull=True)),
        )
        .filter(
            (Q(status=Contest.Status.RUNNING) & visible)
            | Q(vote_regulation__isnull=False)
            | Q(to_score=True)
        )
        .order_by("-year", "title")[:limit]
    )
    contests = list(contests)
    return {
        "running_contests": [c for c in contests if c.status == Contest.Status.RUNNING],
        "regulations_to_vote": [c for c in contests if c.vote_regulation],
        "sheets_to_score": [c for c in contests if c.to_score],
    }
