"""What a campaign page and its e-mails read: who is asked, who answered.

A member answered the campaign when their profile was confirmed (saved or
«данные не изменились») after the campaign opened. Opening a campaign records
one invitation per ``recipients`` in the outbox; a periodic task records one
reminder per ``reminder_recipients`` and reminder day (keys unique per
campaign × member [× day], so asking twice records nothing). Both render
``invitation_message``.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, F, Q
from django.template.loader import render_to_string

from rumo import outbox

from .models import Campaign, Member
from .tokens import campaign_path

INVITATION = "campaign_invitation"
REMINDER = "campaign_reminder"


def answered_q(campaign: Campaign) -> Q:
    return Q(confirmed_at__gte=campaign.opened_at)


def recipients(campaign: Campaign):
    """Return the members the campaign asks (the association's librarians)."""
    return Member.objects.of_association(campaign.association)


def unanswered(campaign: Campaign):
    return (
        recipients(campaign)
        .exclude(answered_q(campaign))
        .select_related("organization", "user")
        .order_by("organization__short_name", "last_name", "first_name", "pk")
    )


def reminder_recipients(campaign: Campaign, *, on: date):
    """Return who gets a reminder on ``on``: nobody before the due date or after closing."""
    if not campaign.is_running or on not in campaign.reminder_dates(on):
        return Member.objects.none()
    return unanswered(campaign).exclude(email="")


@dataclass
class CollegeProgress:
    name: str
    asked: int
    answered: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 0


def progress(campaign: Campaign) -> tuple[list[CollegeProgress], CollegeProgress]:
    """Return completion per college and in total, counted in one grouped query."""
    rows = (
        recipients(campaign)
        .values(name=F("organization__short_name"))
        .annotate(asked=Count("pk"), answered=Count("pk", filter=answered_q(campaign)))
        .order_by("name")
    )
    colleges = [CollegeProgress(r["name"] or "—", r["asked"], r["answered"]) for r in rows]
    total = CollegeProgress(
        "Итого", sum(c.asked for c in colleges), sum(c.answered for c in colleges)
    )
    return colleges, total


def invitation_message(campaign: Campaign, member: Member, *, reminder: bool) -> tuple[str, str]:
    """Return the subject and text of the member's invitation or reminder e-mail."""
    context = {
        "campaign": campaign,
        "member": member,
        "reminder": reminder,
        "link": settings.SITE_URL + campaign_path(campaign.pk, member.pk),
    }
    subject = render_to_string("emails/members/campaign_subject.txt", context).strip()
    return subject, render_to_string("emails/members/campaign_invitation.txt", context)


def invitation_key(campaign: Campaign, member: Member) -> str:
    return f"campaign:{campaign.pk}:invitation:{member.pk}"


def reminder_key(campaign: Campaign, member: Member, on: date) -> str:
    return f"campaign:{campaign.pk}:reminder:{member.pk}:{on.isoformat()}"


def mails(campaign: Campaign, members, *, on: date | None = None) -> list[outbox.Mail]:
    """Return the invitations (``on`` is None) or the reminders of day ``on`` for ``members``."""
    result = []
    for member in members:
        subject, body = invitation_message(campaign, member, reminder=on is not None)
        result.append(
            outbox.Mail(
                key=invitation_key(campaign, member)
                if on is None
                else reminder_key(campaign, member, on),
                kind=INVITATION if on is None else REMINDER,
                slot="" if on is None else on.isoformat(),
                subject=subject,
                body=body,
                to_email=member.email,
                to_name=member.full_name,
                about=campaign,
                recipient_id=member.pk,
            )
        )
    return result


def stale_ids(rows, now: datetime) -> set[int]:
    """The outbox's check for rows about campaigns: closed, or the member answered since."""
    found = Campaign.objects.in_bulk({row.object_id for row in rows})
    answered = set(
        Member.objects.filter(pk__in={row.recipient_id for row in rows})
        .exclude(confirmed_at=None)
        .values_list("pk", "confirmed_at")
    )
    confirmed = dict(answered)
    stale = set()
    for row in rows:
        campaign = found.get(row.object_id)
        at = confirmed.get(row.recipient_id)
        if (
            campaign is None
            or not campaign.is_running
            or (at is not None and at >= campaign.opened_at)
        ):
            stale.add(row.pk)
    return stale


def deliveries(campaign: Campaign, *, limit: int = 100) -> dict:
    """Return what the deliveries partial shows: counts by state (all rows), the newest rows."""
    rows = outbox.about(campaign)
    counts = {state: 0 for state in outbox.State.values}
    for row in rows.values("state").annotate(n=Count("pk")).order_by():
        counts[row["state"]] = row["n"]
    counts["bounced"] = rows.filter(state=outbox.State.FAILED, sent_at__isnull=False).count()
    return {"rows": list(rows.order_by("-due_at", "-pk")[:limit]), "counts": counts}
