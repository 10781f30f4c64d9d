"""Who may manage meetings; staff administer them across associations."""

import rules

from members.rules import is_office_staff

for model in (
    "meeting",
    "agendaitem",
    "reminderdelivery",
    "response",
    "attendance",
    "calendarfeed",
):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"meetings.{action}_{model}", is_office_staff)
