"""The meetings card of the home page (rumo/dashboard.py asks for it)."""

from django.db.models import F

from .models import Meeting
from .rules import readable_meetings
from .views.pages import with_list_data


def upcoming_for(user, limit: int = 5) -> list[Meeting]:
    """Return the user's next meetings, soonest first, with the user's answers.

    Render with templates/meetings/includes/dashboard_card.html as ``upcoming_meetings``.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    meetings = readable_meetings(user).upcoming()
    meetings = with_list_data(meetings, getattr(user, "member", None))
    order = ["year", F("planned_month").asc(nulls_last=True), F("starts_at").asc(nulls_last=True)]
    return list(meetings.order_by(*order, "number")[:limit])
