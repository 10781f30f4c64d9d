"""Every change of state in the members app, one obvious home each."""

from .access import log_access
from .campaigns import (
    close_campaign,
    confirm_profile,
    open_campaign,
    queue_invitations,
    queue_reminders,
)
from .council import record_council_election
from .petitions import delete_petition, save_petition, write_merits
from .profile import (
    add_award,
    add_course,
    erase_personal_data,
    give_consent,
    remove_award,
    remove_course,
    request_deletion,
    update_profile,
)
from .roles import assign_role, create_login, end_role

__all__ = [
    "add_award",
    "add_course",
    "assign_role",
    "close_campaign",
    "confirm_profile",
    "create_login",
    "delete_petition",
    "end_role",
    "erase_personal_data",
    "give_consent",
    "log_access",
    "open_campaign",
    "queue_invitations",
    "queue_reminders",
    "record_council_election",
    "remove_award",
    "remove_course",
    "request_deletion",
    "save_petition",
    "update_profile",
    "write_merits",
]
