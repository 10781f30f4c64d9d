"""Who may manage contests; staff administer them across associations."""

import rules

from members.rules import is_office_staff

for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"contests.{action}_contest", is_office_staff)
