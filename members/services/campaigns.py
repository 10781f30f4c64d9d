"""Collection campaigns: open, close, and the one-click «данные не изменились»."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from ..models import Association, Campaign, Member
from .profile import require_consent


@transaction.atomic
def open_campaign(
    association: Association,
    *,
    title: str,
    due_date: date,
    reminder_interval_days: int,
    by,
    at: datetime | None = None,
) -> Campaign:
    """Open a collection campaign; members count as answered once they confirm after ``at``.

    Round two queues the invitation e-mails here (one outbox row per member of
    ``members.campaigns.recipients(campaign)``, with ``campaign_path`` links).
    """
    return Campaign.objects.create(
        association=association,
        title=title,
        opened_at=at or timezone.now(),
        due_date=due_date,
        reminder_interval_days=reminder_interval_days,
        created_by=by,
    )


@transaction.atomic
def close_campaign(campaign: Campaign, *, at: datetime | None = None) -> Campaign:
    if campaign.closed_at is None:
        campaign.closed_at = at or timezone.now()
        campaign.save(update_fields=["closed_at"])
    return campaign


@transaction.atomic
def confirm_profile(member: Member, *, at: datetime | None = None) -> Member:
    """Record that the member checked the profile and it is current («данные не изменились»)."""
    require_consent(member)
    member.confirmed_at = at or timezone.now()
    member.save(update_fields=["confirmed_at", "updated_at"])
    return member
