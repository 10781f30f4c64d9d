"""E-mails about a plan's workflow: one message per person, in Russian."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from members.models import Membership

from .models import Revision

Role = Membership.Role
RECIPIENTS = {
    Revision.Status.ON_AGREEMENT: [Role.CURATOR],
    Revision.Status.AGREED: [Role.APPROVER],
    Revision.Status.APPROVED: [Role.CHAIR, Role.SECRETARY],
    "returned": [Role.CHAIR],
}


def notify(revision_id: int, event: str) -> int:
    """Tell the people concerned that the revision reached ``event``; return messages sent."""
    revision = Revision.objects.select_related("plan__association").filter(pk=revision_id).first()
    if revision is None or event not in RECIPIENTS:
        return 0
    association = revision.plan.association
    people = {
        m.member
        for m in Membership.objects.active()
        .filter(association=association, role__in=RECIPIENTS[event])
        .select_related("member")
        if m.member.email
    }
    context = {
        "revision": revision,
        "plan": revision.plan,
        "url": settings.SITE_URL + revision.get_absolute_url(),
    }
    sent = 0
    for person in sorted(people, key=lambda p: p.pk):
        text = render_to_string(f"emails/plan_{event}.txt", context | {"person": person})
        subject, _, body = text.strip().partition("\n")
        EmailMessage(subject.strip(), body.strip() + "\n", to=[person.email]).send()
        sent += 1
    return sent
