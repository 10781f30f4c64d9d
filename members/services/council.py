"""Council elections: the seats of a year's council as role terms, earlier terms closed."""

from datetime import date, timedelta

from django.db import transaction

from ..models import Association, CouncilElection, Member, Membership
from ..models.people import COUNCIL_ROLES


@transaction.atomic
def record_council_election(
    association: Association,
    *,
    year: int,
    elected_on: date,
    term_start: date,
    term_end: date,
    basis: str,
    seats: list[tuple[Member, str]],
    by,
    source: str = "",
) -> CouncilElection:
    """Record who was elected to which council role; the terms still open end the day before.

    ``source`` is the electing agenda item's key («meetings.agendaitem:42»):
    the meetings app calls this service when its minutes record elections.
    """
    election = CouncilElection.objects.create(
        association=association,
        year=year,
        elected_on=elected_on,
        term_start=term_start,
        term_end=term_end,
        basis=basis,
        source=source,
        recorded_by=by,
    )
    previous_end = term_start - timedelta(days=1)
    still_open = Membership.objects.active(term_start).filter(
        association=association, role__in=COUNCIL_ROLES
    )
    for membership in still_open.filter(start__lte=previous_end):
        membership.end = previous_end
        membership.save(update_fields=["end"])
    # A term that would start on the same day again (an open row) is replaced by the seat.
    still_open.filter(start__gte=term_start).delete()
    still_open.filter(start__isnull=True).update(end=previous_end)
    for member, role in seats:
        Membership.objects.create(
            member=member,
            association=association,
            role=role,
            start=term_start,
            end=term_end,
            election=election,
            note=basis[:255],
        )
    return election
