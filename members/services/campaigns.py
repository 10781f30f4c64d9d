"""Collection campaigns: open, close, and the one-click «данные не изменились»."""

import logging
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from rumo import outbox

from .. import campaigns
from ..models import Association, Campaign, Member
from .profile import require_consent

log = logging.getLogger(__name__)


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

    Every member asked gets an invitation with a personal link, recorded in the
    outbox with the campaign (sent after the commit).
    """
    campaign = Campaign.objects.create(
        association=association,
        title=title,
        opened_at=at or timezone.now(),
        due_date=due_date,
        reminder_interval_days=reminder_interval_days,
        created_by=by,
    )
    queue_invitations(campaign)
    return campaign


@transaction.atomic
def queue_invitations(campaign: Campaign) -> int:
    """Record the invitation of every member asked (once each); return rows inserted."""
    return outbox.enqueue(campaigns.mails(campaign, campaigns.recipients(campaign)))


def queue_reminders(on: date | None = None) -> int:
    """Record the reminders due on ``on`` for every running campaign; return rows inserted.

    One per campaign × member × day: a second run the same day records nothing.
    """
    on = on or timezone.localdate()
    created = 0
    for campaign in Campaign.objects.running().select_related("association"):
        with transaction.atomic():
            members = campaigns.reminder_recipients(campaign, on=on)
            created += outbox.enqueue(campaigns.mails(campaign, members, on=on))
    if created:
        log.info("Campaign reminders for %s: %s recorded", on, created)
    return created


@transaction.atomic
def close_campaign(campaign: Campaign, *, at: datetime | None = None) -> Campaign:
    if campaign.closed_at is None:
        campaign.closed_at = at or timezone.now()
        campaign.save(update_fields=["closed_at"])
        outbox.skip_stale(outbox.about(campaign), now=timezone.now())
    return campaign


@transaction.atomic
def confirm_profile(member: Member, *, at: datetime | None = None) -> Member:
    """Record that the member checked the profile and it is current («данные не изменились»)."""
    require_consent(member)
    member.confirmed_at = at or timezone.now()
    member.save(update_fields=["confirmed_at", "updated_at"])
    return member
