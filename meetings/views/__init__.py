"""Meeting pages: reading (pages), planning (editing), holding (minutes).

The PDFs are served by the document pipeline (rumo.document_views, meetings/urls.py).
"""

from .editing import (
    agenda_add,
    agenda_delete,
    agenda_edit,
    agenda_move,
    meeting_cancel,
    meeting_create,
    meeting_edit,
    meeting_reschedule,
)
from .minutes import attendance, item_minutes, minutes, minutes_approve
from .pages import agenda_file, answer, meeting_detail, meeting_list

__all__ = [
    "agenda_add",
    "agenda_delete",
    "agenda_edit",
    "agenda_file",
    "agenda_move",
    "answer",
    "attendance",
    "item_minutes",
    "meeting_cancel",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "meeting_reschedule",
    "minutes",
    "minutes_approve",
]
