"""Who may do what: the one answer used by views, templates and the admin.

Predicates take the user and, where it matters, an association (or an object
with an ``association`` attribute). A user's active roles are read once per
user object and cached on it.
"""

import rules

from .models import Member, Membership

Role = Membership.Role
ROLES_CACHE = "_rumo_roles"


def roles_by_association(user) -> dict[int, set[str]]:
    """Return {association id: set of active roles} for the user.

    The user's Member comes in the same query and is kept on the user (``user.member``,
    which the menu of every page shows): one query, not two.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, ROLES_CACHE, None)
    if cached is None:
        cached = {}
        rows = Membership.objects.active().filter(member__user=user).select_related("member")
        for row in rows:
            cached.setdefault(row.association_id, set()).add(row.role)
        setattr(user, ROLES_CACHE, cached)
        account = Member._meta.get_field("user")
        if rows and not account.remote_field.is_cached(user):  # user.member
            account.remote_field.set_cached_value(user, rows[0].member)
            account.set_cached_value(rows[0].member, user)
    return cached


def association_id_of(obj) -> int | None:
    if obj is None:
        return None
    if hasattr(obj, "association_id"):
        return obj.association_id
    return obj.pk


def has_role(*roles: str):
    wanted = set(roles)

    @rules.predicate(name="has_role_" + "_".join(roles))
    def predicate(user, obj=None) -> bool:
        association_id = association_id_of(obj)
        if association_id is None:
            return False
        return bool(roles_by_association(user).get(association_id, set()) & wanted)

    return predicate


@rules.predicate
def is_office_staff(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


is_chair = has_role(Role.CHAIR, Role.DEPUTY)
is_secretary = has_role(Role.SECRETARY)
is_council = has_role(Role.CHAIR, Role.DEPUTY, Role.COUNCIL)
is_curator = has_role(Role.CURATOR)
is_approver = has_role(Role.APPROVER)
is_in_association = has_role(*Role.values)

# Staff act across associations; the admin modules of the apps are theirs.
rules.add_perm("members", is_office_staff)
rules.add_perm("meetings", is_office_staff)
rules.add_perm("contests", is_office_staff)
rules.add_perm("plans", is_office_staff)
for model in (
    "association",
    "organization",
    "member",
    "membership",
    "course",
    "award",
    "consent",
    "deletionrequest",
    "accesslog",
    "campaign",
    "councilelection",
    "importbatch",
):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"members.{action}_{model}", is_office_staff)

rules.add_perm("members.manage_people", is_office_staff)
rules.add_perm("members.open_association", rules.is_authenticated)
rules.add_perm("members.manage_association", is_office_staff | is_chair)


# The data bank. A member sees their own full profile; the chair of an
# association the member belongs to and staff see the data-bank fields;
# everybody else sees name, college and position only.


def chaired_association_ids(user) -> set[int]:
    return {
        association_id
        for association_id, roles in roles_by_association(user).items()
        if roles & {Role.CHAIR, Role.DEPUTY}
    }


@rules.predicate
def is_self(user, member) -> bool:
    return bool(member is not None and user.is_authenticated and member.user_id == user.pk)


@rules.predicate
def chairs_association_of(user, member) -> bool:
    chaired = chaired_association_ids(user)
    if member is None or not chaired:
        return False
    return Membership.objects.active().filter(member=member, association_id__in=chaired).exists()


@rules.predicate
def chairs_any_association(user) -> bool:
    return bool(chaired_association_ids(user))


rules.add_perm("members.view_directory", rules.is_authenticated)


@rules.predicate
def has_profile(user) -> bool:
    return bool(user.is_authenticated and hasattr(user, "member"))


rules.add_perm("members.keep_profile", has_profile)
rules.add_perm("members.view_databank", is_office_staff | is_self | chairs_association_of)
rules.add_perm("members.review_databank", is_office_staff | chairs_association_of)
# Campaigns, the report, import and export of an association (object: the association).
rules.add_perm("members.manage_databank", is_office_staff | is_chair)
rules.add_perm("members.open_databank", is_office_staff | chairs_any_association)
rules.add_perm("members.view_access_log", is_office_staff)
rules.add_perm("members.view_council", rules.is_authenticated)
