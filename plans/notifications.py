"""E-mails about a plan's workflow: one outbox row per person, recorded with the step."""

from django.conf import settings

from members.models import Membership
from rumo import outbox

from .models import Revision

Role = Membership.Role
RECIPIENTS = {
    Revision.Status.ON_AGREEMENT: [Role.CURATOR],
    Revision.Status.AGREED: [Role.APPROVER],
    Revision.Status.APPROVED: [Role.CHAIR, Role.SECRETARY],
    "returned": [Role.CHAIR],
}


def record(revision: Revision, event: str) -> int:
    """Record the messages telling the people concerned that the revision reached ``event``.

    Call in the transaction of the step, after the revision is saved: each step
    (told apart by the revision's ``updated_at``) is told once. Return rows recorded.
    """
    if event not in RECIPIENTS:
        return 0
    plan = revision.plan
    people = {
        m.member
        for m in Membership.objects.active()
        .filter(association_id=plan.association_id, role__in=RECIPIENTS[event])
        .select_related("member")
    }
    context = {
        "revision": revision,
        "plan": plan,
        "url": settings.SITE_URL + revision.get_absolute_url(),
    }
    slot = f"{revision.number}:{event}@{revision.updated_at.isoformat()}"
    mails = []
    for person in sorted(people, key=lambda p: p.pk):
        subject, body = outbox.render_mail(f"emails/plan_{event}.txt", context | {"person": person})
        mails.append(
            outbox.Mail(
                key=f"plan:{plan.pk}:{slot}:{person.pk}",
                kind=f"plan_{event}",
                slot=slot,
                about=plan,
                recipient_id=person.pk,
                to_email=person.email,
                to_name=person.full_name,
                subject=subject,
                body=body,
            )
        )
    return outbox.enqueue(mails)
