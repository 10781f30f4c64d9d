"""Who may read, manage, vote on, apply to and score contests.

Object permissions take a contest (or a regulation, an application, a juror:
anything with ``contest`` or being one). The chair (or deputy) of an
organising association manages the contest; its council votes on the
regulations; staff administer everything.
"""

import rules

from members.models import Membership
from members.rules import is_office_staff, roles_by_association

from .models import Contest, Regulation

Role = Membership.Role
CHAIR_ROLES = {Role.CHAIR, Role.DEPUTY}
COUNCIL_ROLES = {Role.CHAIR, Role.DEPUTY, Role.COUNCIL}


def contest_of(obj):
    if obj is None:
        return None
    if isinstance(obj, Contest):
        return obj
    return getattr(obj, "contest", None)


def organizer_ids(contest) -> set[int]:
    if not hasattr(contest, "_organizer_ids"):
        contest._organizer_ids = set(contest.organizers.values_list("pk", flat=True))
    return contest._organizer_ids


def holds(user, contest, wanted) -> bool:
    roles = roles_by_association(user)
    return any(roles.get(pk, set()) & wanted for pk in organizer_ids(contest))


@rules.predicate
def is_contest_chair(user, obj=None) -> bool:
    contest = contest_of(obj)
    return contest is not None and holds(user, contest, CHAIR_ROLES)


@rules.predicate
def is_contest_council(user, obj=None) -> bool:
    contest = contest_of(obj)
    return contest is not None and holds(user, contest, COUNCIL_ROLES)


@rules.predicate
def is_contest_insider(user, obj=None) -> bool:
    contest = contest_of(obj)
    return contest is not None and holds(user, contest, set(Role.values))


@rules.predicate
def is_published(user, obj=None) -> bool:
    """A contest with approved regulations is public, as is an external one."""
    contest = contest_of(obj)
    return contest is not None and (contest.is_external or contest.approved_regulation is not None)


@rules.predicate
def is_juror(user, obj=None) -> bool:
    contest = contest_of(obj)
    member = getattr(user, "member", None) if getattr(user, "is_authenticated", False) else None
    return (
        contest is not None and member is not None and contest.jurors.filter(member=member).exists()
    )


@rules.predicate
def has_member_record(user) -> bool:
    return getattr(user, "member", None) is not None


@rules.predicate
def is_regulation_public(user, obj=None) -> bool:
    return isinstance(obj, Regulation) and obj.status == Regulation.Status.APPROVED


@rules.predicate
def is_own_application(user, obj=None) -> bool:
    member = getattr(user, "member", None) if getattr(user, "is_authenticated", False) else None
    return member is not None and getattr(obj, "applicant_id", None) == member.pk


manager = is_contest_chair | is_office_staff
reader = manager | is_contest_council | is_published | is_juror


@rules.predicate
def chairs_association(user, association=None) -> bool:
    return association is not None and bool(
        roles_by_association(user).get(association.pk, set()) & CHAIR_ROLES
    )


rules.add_perm("contests.add_contest_to", chairs_association | is_office_staff)
rules.add_perm("contests.read_contest", reader)
rules.add_perm("contests.manage_contest", manager)
rules.add_perm("contests.read_regulation", manager | is_contest_council | is_regulation_public)
rules.add_perm("contests.vote_regulation", is_contest_council & has_member_record)
rules.add_perm("contests.apply", is_published & has_member_record)
rules.add_perm("contests.read_application", manager | is_own_application | is_juror)
rules.add_perm("contests.score", is_juror)
rules.add_perm("contests.record_external", is_contest_chair | is_office_staff)

for model in ("contest", "regulation", "application", "juror", "externalparticipation"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"contests.{action}_{model}", is_office_staff)


def managed_associations(user):
    from members.models import Association

    if is_office_staff.test(user):
        return Association.objects.order_by("name")
    ids = [pk for pk, held in roles_by_association(user).items() if held & CHAIR_ROLES]
    return Association.objects.filter(pk__in=ids).order_by("name")


def readable_contests(user):
    """Contests the user may list: published ones, plus drafts of their associations."""
    from django.db.models import Exists, OuterRef, Q

    contests = Contest.objects.all()
    if is_office_staff.test(user):
        return contests
    approved = Regulation.objects.filter(contest=OuterRef("pk"), status=Regulation.Status.APPROVED)
    mine = [pk for pk, held in roles_by_association(user).items() if held & COUNCIL_ROLES]
    return contests.filter(
        Q(Exists(approved)) | Q(is_external=True) | Q(organizers__in=mine)
    ).distinct()
