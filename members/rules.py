"""Who may do what: the one answer used by views, templates and the admin.

Predicates take the user and, where it matters, an association (or an object
with an ``association`` attribute). A user's active roles are read once per
user object and cached on it.
"""

import rules

from .models import Membership

Role = Membership.Role
ROLES_CACHE = "_rumo_roles"


def roles_by_association(user) -> dict[int, set[str]]:
    """Return {association id: set of active roles} for the user."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, ROLES_CACHE, None)
    if cached is None:
        cached = {}
        rows = Membership.objects.active().filter(member__user=user)
        for association_id, role in rows.values_list("association_id", "role"):
            cached.setdefault(association_id, set()).add(role)
        setattr(user, ROLES_CACHE, cached)
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
for model in ("association", "organization", "member", "membership"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"members.{action}_{model}", is_office_staff)

rules.add_perm("members.manage_people", is_office_staff)
rules.add_perm("members.open_association", rules.is_authenticated)
rules.add_perm("members.manage_association", is_office_staff | is_chair)
