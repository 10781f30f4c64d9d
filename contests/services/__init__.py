"""The rules of contests live here; views and tasks only call these functions."""

from .council import (
    cast_vote,
    close_due_votes,
    close_vote,
    council_of,
    councils_of_member,
    non_voters,
    record_meeting_decision,
    remind_non_voters,
    send_to_council,
    tallies,
)
from .entries import check_window, decide_application, submit_application
from .jury import (
    appoint_juror,
    approve_results,
    publish_results,
    remove_juror,
    request_diplomas,
    save_scores,
    score_table,
    scoring_sheet,
    submit_scores,
)
from .regulations import as_text, compare, create_contest, new_version, newest, numbered, roman

__all__ = [
    "appoint_juror",
    "approve_results",
    "as_text",
    "cast_vote",
    "check_window",
    "close_due_votes",
    "close_vote",
    "compare",
    "council_of",
    "councils_of_member",
    "create_contest",
    "decide_application",
    "new_version",
    "newest",
    "non_voters",
    "numbered",
    "publish_results",
    "record_meeting_decision",
    "remind_non_voters",
    "remove_juror",
    "request_diplomas",
    "roman",
    "save_scores",
    "score_table",
    "scoring_sheet",
    "send_to_council",
    "submit_application",
    "submit_scores",
    "tallies",
]
