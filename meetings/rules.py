"""Who may read, answer and manage meetings; staff administer them across associations.

Object permissions take a meeting (or an agenda item); ``meetings.add_meeting_to``
takes an association.
"""

import rules
from django.db.models import Q

from members.models import Association, Membership
from members.rules import (
    has_role,
    is_chair,
    is_in_association,
    is_office_staff,
    is_secretary,
    roles_by_association,
)

from .models import Meeting


def meeting_of(obj):
    """Return the meeting of a meeting or an agenda item (or None)."""
    return getattr(obj, "meeting", obj)


def on_meeting_association(predicate):
    @rules.predicate(name=f"{predicate.name}_on_meeting")
    def check(user, obj=None) -> bool:
        meeting = meeting_of(obj)
        return meeting is not None and predicate.test(user, meeting)

    return check


@rules.predicate
def is_published(user, obj=None) -> bool:
    """A meeting members see: announced, held or cancelled (a planned one is still a draft)."""
    meeting = meeting_of(obj)
    return meeting is not None and meeting.status != Meeting.Status.PLANNED


@rules.predicate
def minutes_are_approved(user, obj=None) -> bool:
    meeting = meeting_of(obj)
    return meeting is not None and meeting.minutes_approved_at is not None


@rules.predicate
def has_member_record(user) -> bool:
    return getattr(user, "member", None) is not None


organiser = is_chair | is_secretary  # object: an association
# The association's own people, who are invited and count towards the quorum
# (curators and approvers oversee it from the parent body).
is_participant = has_role(*Membership.OWN_ROLES)
participant = on_meeting_association(is_participant)
manager = on_meeting_association(organiser) | is_office_staff
insider = on_meeting_association(is_in_association)
reader = manager | (insider & is_published)

rules.add_perm("meetings.add_meeting_to", organiser | is_office_staff)  # object: association
rules.add_perm("meetings.read_meeting", reader)
rules.add_perm("meetings.manage_meeting", manager)
rules.add_perm("meetings.answer_meeting", participant & is_published & has_member_record)
rules.add_perm("meetings.read_minutes", manager | (reader & minutes_are_approved))

for model in (
    "meeting",
    "agendaitem",
    "reminderdelivery",
    "response",
    "attendance",
    "calendarfeed",
    "meetingdocument",
):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"meetings.{action}_{model}", is_office_staff)


# The same answers for lists: which associations and meetings a user sees.

ORGANISER_ROLES = {Membership.Role.CHAIR, Membership.Role.DEPUTY, Membership.Role.SECRETARY}


def readable_associations(user):
    """Return the associations whose meetings the user may list."""
    if is_office_staff.test(user):
        return Association.objects.order_by("name")
    return Association.objects.filter(pk__in=list(roles_by_association(user))).order_by("name")


def managed_associations(user):
    """Return the associations in which the user may plan meetings."""
    if is_office_staff.test(user):
        return Association.objects.order_by("name")
    ids = [pk for pk, roles in roles_by_association(user).items() if roles & ORGANISER_ROLES]
    return Association.objects.filter(pk__in=ids).order_by("name")


def readable_meetings(user):
    """Return the meetings the user may open (``meetings.read_meeting`` as a filter)."""
    meetings = Meeting.objects.all()
    if is_office_staff.test(user):
        return meetings
    roles = roles_by_association(user)
    managed = [pk for pk, held in roles.items() if held & ORGANISER_ROLES]
    published = ~Q(status=Meeting.Status.PLANNED)
    return meetings.filter(
        Q(association_id__in=managed) | Q(association_id__in=list(roles)) & published
    )
