"""What a campaign page and, in round two, its e-mails read: who is asked, who answered.

A member answered the campaign when their profile was confirmed (saved or
«данные не изменились») after the campaign opened. Round two's outbox adds
``queue_campaign_messages(campaign)`` (one invitation per ``recipients``) and
a periodic ``queue_campaign_reminders(on)`` (one per ``reminder_recipients``
and reminder day, unique per campaign × member × day); both render
``invitation_message``.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, F, Q
from django.template.loader import render_to_string

from .models import Campaign, Member
from .tokens import campaign_path


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
