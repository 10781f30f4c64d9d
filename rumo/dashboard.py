"""What the home page shows: one place that asks each app for its part."""

from members.models import Association, Membership


def public_context() -> dict:
    return {"associations": Association.objects.order_by("name")}


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
    return {
        "roles_by_association": by_association,
        "is_office_staff": user.is_staff,
    }
