from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from ..models import Association, Member, Membership


@transaction.atomic
def assign_role(
    member: Member,
    *,
    association: Association,
    role: str,
    start: date | None = None,
    end: date | None = None,
    title: str = "",
    note: str = "",
) -> Membership:
    """Give the member a role in the association for a term (idempotent per start date)."""
    membership, _ = Membership.objects.update_or_create(
        member=member,
        association=association,
        role=role,
        start=start,
        defaults={"end": end, "title": title, "note": note},
    )
    return membership


@transaction.atomic
def end_role(membership: Membership, *, on: date) -> Membership:
    """Close the term of a role, keeping it in the history."""
    if membership.start and on < membership.start:
        on = membership.start
    membership.end = on
    membership.save(update_fields=["end"])
    return membership


@transaction.atomic
def create_login(member: Member, *, username: str, password: str | None = None):
    """Give the member an account; without a password the member sets one by e-mail."""
    user_model = get_user_model()
    user = user_model(username=username, email=member.email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.first_name = member.first_name
    user.last_name = member.last_name
    user.save()
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    return user
