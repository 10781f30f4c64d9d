"""What the home page shows: one place that asks each app for its part."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from contests.dashboard import contests_for
from meetings.dashboard import upcoming_for
from members.models import Association, Membership
from plans.models import Item, Plan, Revision, Section, month_count
from rumo import page_cache
from rumo.public import next_meeting_start, public_meetings

Role = Membership.Role
Status = Revision.Status
CHAIR_ROLES = {Role.CHAIR, Role.DEPUTY}
PUBLISHED_ON_WELCOME = 12
MEETINGS_ON_WELCOME = 5


def public_context() -> dict:
    published = (
        Revision.objects.filter(status=Status.APPROVED)
        .select_related("plan__association")
        .order_by("-plan__year", "plan__association__name")[:PUBLISHED_ON_WELCOME]
    )
    return {
        "associations": Association.objects.select_related("parent").order_by("name"),
        "published_plans": list(published),
        "upcoming_meetings": list(public_meetings()[:MEETINGS_ON_WELCOME]),
    }


def cached_user_context(user) -> dict:
    """Return user_context(user), computed once per user, day, content generation and
    next meeting start (a meeting that starts leaves the upcoming ones).

    Any written membership, plan, meeting or answer moves the generation on
    (rumo/page_cache.py), so the next request shows it.
    """
    parts = ("dashboard", user.pk, timezone.localdate(), next_meeting_start())
    return page_cache.cached(parts, lambda: user_context(user), 300)


def user_context(user) -> dict:
    memberships = (
        Membership.objects.active()
        .filter(member__user=user)
        .select_related("association")
        .order_by("association__name", "role")
    )
    by_association: dict = {}
    for membership in memberships:
        by_association.setdefault(membership.association, []).append(membership)
    context = {
        "roles_by_association": by_association,
        "is_office_staff": user.is_staff,
        "upcoming_meetings": upcoming_for(user),
    }
    return context | plans_context(by_association) | contests_for(user)


@dataclass
class PlanEntry:
    """A plan on the dashboard: its newest revision and the approved one in force."""

    plan: Plan
    newest: Revision
    approved: Revision | None = None

    def add(self, revision: Revision) -> None:
        if revision.number > self.newest.number:
            self.newest = revision
        if revision.status == Status.APPROVED:
            self.approved = revision


@dataclass
class PlanCard:
    """One association's plans on the dashboard: this year's, and next year's when begun."""

    association: Association
    is_chair: bool
    year: int
    plans: dict = field(default_factory=dict)  # plan pk → PlanEntry
    returned: list[Revision] = field(default_factory=list)

    @property
    def entries(self) -> list[PlanEntry]:
        return sorted(self.plans.values(), key=lambda e: (e.plan.starts_on, e.plan.name))

    @property
    def year_to_create(self) -> int | None:
        """Return the year the chair is offered to create an annual plan for, if any."""
        if not self.is_chair:
            return None
        annual = {e.plan.year for e in self.plans.values() if not e.plan.name}
        return next((y for y in (self.year, self.year + 1) if y not in annual), None)

    def add(self, revision: Revision) -> None:
        if revision.status == Status.DRAFT and revision.return_comment and self.is_chair:
            self.returned.append(revision)
        plan = revision.plan
        if plan.ends_on.year < self.year or plan.year > self.year + 1:
            return  # neither in force this year nor next year's
        if plan.pk in self.plans:
            self.plans[plan.pk].add(revision)
        else:
            self.plans[plan.pk] = PlanEntry(plan=plan, newest=revision)
            self.plans[plan.pk].add(revision)


def plans_context(by_association: dict) -> dict:
    """Return the plan cards and the revisions waiting for the user's signature (one query)."""
    year = timezone.localdate().year
    roles = {a.pk: {m.role for m in ms} for a, ms in by_association.items()}
    having = {role: [pk for pk, held in roles.items() if role in held] for role in Role.values}
    chaired = [pk for pk, held in roles.items() if held & CHAIR_ROLES]
    revisions = Revision.objects.filter(
        Q(
            plan__association__in=list(roles),
            plan__ends_on__year__gte=year,
            plan__year__lte=year + 1,
        )
        | Q(status=Status.ON_AGREEMENT, plan__association__in=having[Role.CURATOR])
        | Q(status=Status.AGREED, plan__association__in=having[Role.APPROVER])
        | Q(status=Status.DRAFT, plan__association__in=chaired, return_comment__gt="")
    ).select_related("plan__association")
    cards = {
        a.pk: PlanCard(association=a, is_chair=a.pk in chaired, year=year) for a in by_association
    }
    waiting = []
    for revision in sorted(revisions, key=lambda r: (r.plan.year, r.number)):
        if waits_for(revision, having):
            waiting.append(revision)
        if revision.plan.association_id in cards:
            cards[revision.plan.association_id].add(revision)
    return {
        "this_month": this_month(list(roles)),
        "plan_cards": list(cards.values()),
        "waiting_for_signature": waiting,
        "signs_plans": bool(having[Role.CURATOR] or having[Role.APPROVER]),
    }


def this_month(association_ids: list[int], limit: int = 8) -> list[Item]:
    """Return what the plans in force schedule for this month, the most specific first."""
    today = timezone.localdate()
    items = (
        Item.objects.in_force()
        .due_in(year=today.year, month=today.month)
        .filter(
            section__revision__plan__association__in=association_ids,
            execution=Item.Execution.PLANNED,
            section__kind__in=[Section.Kind.EVENTS, Section.Kind.MEETINGS, Section.Kind.ORGWORK],
        )
        .select_related("section__revision__plan__association", "meeting")
        # The most specific first: a task of this month before one «в течение года».
        .alias(months=month_count())
        .order_by("months", "section__position", "position")
    )
    return list(items[:limit])


def waits_for(revision: Revision, having: dict) -> bool:
    association_id = revision.plan.association_id
    if revision.status == Status.ON_AGREEMENT:
        return association_id in having[Role.CURATOR]
    return revision.status == Status.AGREED and association_id in having[Role.APPROVER]
