"""Finding the meeting a request is about, and refusing it to those who may not see it."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from ..models import AgendaItem, Meeting
from ..pdf import agenda_queryset

MEETINGS = Meeting.objects.select_related("association")


def require(request, perm: str, obj) -> None:
    """Raise 403 unless the user has ``perm`` on ``obj`` (views are behind login_required)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def meeting_for(request, pk: int, perm: str = "meetings.read_meeting", *, agenda=False) -> Meeting:
    queryset = MEETINGS
    if agenda:
        queryset = queryset.prefetch_related(Prefetch("agenda_items", queryset=agenda_queryset()))
    meeting = get_object_or_404(queryset, pk=pk)
    require(request, perm, meeting)
    return meeting


def item_for(request, pk: int, perm: str = "meetings.manage_meeting") -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__association"), pk=pk)
    require(request, perm, item.meeting)
    return item
