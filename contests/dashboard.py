"""The contests card of the home page (rumo/dashboard.py asks for it)."""

from django.utils import timezone

from members.rules import roles_by_association

from .models import Contest, Juror, Regulation
from .rules import COUNCIL_ROLES, readable_contests


def contests_for(user, limit: int = 5) -> dict:
    """Running contests, regulations waiting for the user's vote, sheets waiting for scores.

    Render with templates/contests/includes/dashboard_card.html.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    running = list(
        readable_contests(user)
        .filter(status=Contest.Status.RUNNING, is_external=False)
        .order_by("-year", "title")[:limit]
    )
    member = getattr(user, "member", None)
    councils = [pk for pk, held in roles_by_association(user).items() if held & COUNCIL_ROLES]
    to_vote = []
    if member is not None and councils:
        to_vote = list(
            Regulation.objects.filter(
                status=Regulation.Status.ON_REVIEW,
                contest__organizers__in=councils,
                vote_deadline__gt=timezone.now(),
            )
            .exclude(votes__member=member)
            .select_related("contest")
            .distinct()[:limit]
        )
    to_score = []
    if member is not None:
        to_score = list(
            Juror.objects.filter(
                member=member, submitted_at__isnull=True, contest__results_approved_at__isnull=True
            ).select_related("contest")[:limit]
        )
    return {
        "running_contests": running,
        "regulations_to_vote": to_vote,
        "sheets_to_score": to_score,
    }
