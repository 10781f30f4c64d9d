"""Every change of a meeting: scheduling, agenda, answers, attendance, minutes, PDFs.

The meetings app never imports plans: a plan learns that minutes were approved
through ``meetings.signals.minutes_approved`` (handled in plans/receivers.py).
"""

from .agenda import add_agenda_item, delete_agenda_item, move_agenda_item, update_agenda_item
from .documents import request_document
from .minutes import (
    VOTING_ROLES,
    Quorum,
    approval_problems,
    approve_minutes,
    association_members,
    check_votes,
    default_signers,
    meeting_day,
    quorum_of,
    record_attendance,
    record_item_minutes,
    record_minutes,
    vote_limit,
)
from .notices import announce_meeting, plan_reminders, queue_change_notice
from .scheduling import (
    MeetingError,
    announce_problems,
    answer_meeting,
    cancel_meeting,
    check_announceable,
    check_schedule,
    copy_meeting,
    create_meeting,
    reschedule_meeting,
    schedule_meeting,
    update_meeting,
)

__all__ = [
    "announce_meeting",
    "plan_reminders",
    "queue_change_notice",
    "VOTING_ROLES",
    "MeetingError",
    "Quorum",
    "add_agenda_item",
    "announce_problems",
    "answer_meeting",
    "approval_problems",
    "approve_minutes",
    "association_members",
    "cancel_meeting",
    "check_announceable",
    "check_schedule",
    "check_votes",
    "copy_meeting",
    "create_meeting",
    "default_signers",
    "delete_agenda_item",
    "meeting_day",
    "move_agenda_item",
    "quorum_of",
    "record_attendance",
    "record_item_minutes",
    "record_minutes",
    "request_document",
    "reschedule_meeting",
    "schedule_meeting",
    "update_agenda_item",
    "update_meeting",
    "vote_limit",
]
