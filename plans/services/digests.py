"""The monthly digest: what the plan in force schedules this month, mailed to its keepers.

Each digest is an outbox row (rumo/outbox.py) keyed by (association, member,
year, month): a re-run or a second sweep finds the key and records nothing; the
outbox sends the row after the commit and retries a failed hand-off.
"""

import logging
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch

from meetings.models import AgendaItem, month_name
from members.models import Member, Membership
from rumo import outbox

from ..models import Item, Revision, Section
from ..outline import Row, item_text

log = logging.getLogger(__name__)

Role = Membership.Role
RECIPIENT_ROLES = [Role.CHAIR, Role.SECRETARY]
SCHEDULED_KINDS = [Section.Kind.EVENTS, Section.Kind.MEETINGS, Section.Kind.ORGWORK]
# A digest announces the month ahead: after its first week the month is under
# way, and a plan approved later waits for the next month's digest.
DIGEST_DAYS = 7


def send_month_digests(today: date) -> int:
    """Record the month's items for the chairs and secretaries of plans in force; return rows."""
    if today.day > DIGEST_DAYS:
        return 0
    revisions = Revision.objects.filter(
        status=Revision.Status.APPROVED, plan__starts_on__lte=today, plan__ends_on__gte=today
    ).select_related("plan__association")
    sent = 0
    for revision in revisions:
        rows = month_rows(revision, month=today.month, year=today.year)
        if not rows:
            continue
        for person in recipients(revision.plan.association_id, on=today):
            sent += send_digest(revision, person, rows, today=today)
    return sent


def month_rows(revision: Revision, *, month: int, year: int | None = None) -> list[Row]:
    """Return the revision's items still planned for ``month``, earliest start first."""
    items = (
        Item.objects.in_force()
        .due_in(year=year or revision.plan.year, month=month)
        .filter(
            section__revision=revision,
            section__kind__in=SCHEDULED_KINDS,
            execution=Item.Execution.PLANNED,
        )
        .select_related("meeting")
        .prefetch_related(
            "responsible_members",
            Prefetch(
                "meeting__agenda_items", queryset=AgendaItem.objects.order_by("position", "pk")
            ),
        )
        .order_by("section__position", "position")
    )
    order = {month: index for index, month in enumerate(revision.plan.months_in_order())}

    def start_and_end(item: Item) -> tuple[int, int]:
        spots = sorted(order[m] for m in item.months)
        return (spots[0], spots[-1]) if spots else (99, 99)

    items = sorted(items, key=start_and_end)  # stable: the plan's order among equals
    return [Row(str(number), item) for number, item in enumerate(items, start=1)]


def recipients(association_id: int, *, on: date) -> list[Member]:
    """Return the association's chairs and secretaries who have an e-mail address."""
    held = Membership.objects.active(on).filter(
        association_id=association_id, role__in=RECIPIENT_ROLES
    )
    people = Member.objects.filter(pk__in=held.values("member_id")).order_by("pk")
    return [person for person in people if person.email.strip()]


def send_digest(revision: Revision, person: Member, rows: list[Row], *, today: date) -> int:
    """Record the digest for ``person`` unless already recorded this month; return 0 or 1."""
    with transaction.atomic():
        return outbox.enqueue(
            [digest_mail(revision, person, rows, month=today.month, year=today.year)]
        )


def digest_mail(revision: Revision, person: Member, rows: list[Row], *, month: int, year: int):
    plan = revision.plan
    context = {
        "person": person,
        "plan": plan,
        "association": plan.association,
        "month": month_name(month),
        "rows": [
            {
                "number": row.number,
                "text": item_text(row),
                "timing": row.timing,
                "responsible": responsible_of(row.item),
            }
            for row in rows
        ],
        "url": settings.SITE_URL + plan.get_absolute_url(),
    }
    subject, body = outbox.render_mail("emails/plan_month_digest.txt", context)
    slot = f"{year}-{month:02d}"
    return outbox.Mail(
        key=f"plan-digest:{plan.association_id}:{slot}:{person.pk}",
        kind="plan_month_digest",
        slot=slot,
        about=plan,
        recipient_id=person.pk,
        to_email=person.email,
        to_name=person.full_name,
        subject=subject,
        body=body,
    )


def responsible_of(item: Item) -> str:
    """Return the responsibles as written, followed by the members linked to the item."""
    written = " ".join(item.responsible.split())
    linked = ", ".join(member.short_name for member in item.responsible_members.all())
    return "; ".join(part for part in (written, linked) if part)
