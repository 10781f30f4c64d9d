from django.utils import timezone

from ..models import AccessLog, Association, Member


def log_access(
    user,
    *,
    action: str,
    what: str = "",
    association: Association | None = None,
    member: Member | None = None,
    who: str = "",
) -> AccessLog:
    """Record that ``user`` (or a script named by ``who``) opened or exported data-bank fields.

    The values themselves are never written to the log.
    """
    if user is not None:
        who = getattr(getattr(user, "member", None), "full_name", "") or user.get_username()
    return AccessLog.objects.create(
        user=user,
        who=who[:255],
        at=timezone.now(),
        action=action,
        association=association,
        member=member,
        what=what[:255],
    )
