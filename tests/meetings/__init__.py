"""Helpers for the meetings tests: meetings in a given state, PDF text."""

import re
import subprocess
from datetime import timedelta

from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from members.models import Membership
from tests import factories

LINK = "https://meet.example.org/rumo-library"


def planned(association, *, starts_in=timedelta(days=30), agenda=("Выборы совета РУМО",),
            **fields) -> Meeting:  # fmt: skip
    """Return a planned meeting of the association with an exact time ahead (or behind).

    A meeting days away starts at 10:00 Moscow time, so moving it by a few hours
    keeps it in the same day (and year).
    """
    starts_at = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    if abs(starts_in) >= timedelta(days=1):
        starts_at = timezone.localtime(starts_at).replace(hour=10, minute=0)
    fields = {"format": Meeting.Format.ONLINE, "link": LINK, **fields}
    return services.create_meeting(
        association,
        year=timezone.localtime(starts_at).year,
        planned_month=timezone.localtime(starts_at).month,
        starts_at=starts_at,
        agenda=[(title, "") for title in agenda],
        **fields,
    )


def announced(association, **kwargs) -> Meeting:
    """Return a meeting as helper notices leave it once announced."""
    meeting = planned(association, **kwargs)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.ANNOUNCED, announced_at=timezone.now()
    )
    meeting.refresh_from_db()
    return meeting


def held(association, present, *, invited_count=0, **kwargs) -> Meeting:
    """Return a meeting that took place three days ago with the given members present."""
    meeting = planned(association, starts_in=-timedelta(days=3), **kwargs)
    return services.record_attendance(meeting, present=present, invited_count=invited_count)


def minuted(meeting: Meeting, *, decided="Принять к сведению.", votes=(1, 0, 0)) -> Meeting:
    """Fill the minutes of every question so that they can be approved."""
    services.record_minutes(meeting, chair_name="С.Н. Лоскутова", secretary_name="И.Г. Николаева")
    for item in meeting.agenda_items.all():
        services.record_item_minutes(
            item, heard=f"Доклад: {item.title}", decided=decided, votes_for=votes[0],
            votes_against=votes[1], votes_abstained=votes[2],
        )  # fmt: skip
    return meeting


def rank_and_file(association, count: int) -> list:
    """Add ``count`` ordinary members to the association."""
    people = factories.MemberFactory.create_batch(count)
    for person in people:
        factories.MembershipFactory(
            member=person, association=association, role=Membership.Role.MEMBER
        )
    return people


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
        check=True,
    )  # fmt: skip
    return result.stdout.decode()


def squash(text: str) -> str:
    """Drop whitespace and automatic hyphens: lines wrap anywhere."""
    return re.sub(r"\s+", "", text.replace("\u2010\n", "").replace("\u2010", ""))
