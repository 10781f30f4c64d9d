from django.db import transaction

from members.models import Association

from .models import AgendaItem, Meeting


@transaction.atomic
def create_meeting(
    association: Association,
    *,
    year: int,
    planned_month: int | None = None,
    format: str = Meeting.Format.ONLINE,
    place: str = "",
    topic: str = "",
    agenda: list[tuple[str, str]] = (),
    status: str = Meeting.Status.PLANNED,
) -> Meeting:
    """Create the next meeting of the year with its agenda [(title, speakers)]."""
    meeting = Meeting.objects.create(
        association=association,
        year=year,
        number=Meeting.next_number(association, year),
        planned_month=planned_month,
        format=format,
        place=place,
        topic=topic,
        status=status,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=index, title=title, speakers=speakers)
        for index, (title, speakers) in enumerate(agenda, start=1)
    )
    return meeting


@transaction.atomic
def copy_meeting(meeting: Meeting, *, year: int, rewrite=lambda text: text) -> Meeting:
    """Plan the same meeting for another year, its agenda texts passed through ``rewrite``."""
    return create_meeting(
        meeting.association,
        year=year,
        planned_month=meeting.starts_at.month if meeting.starts_at else meeting.planned_month,
        format=meeting.format,
        place=meeting.place,
        topic=rewrite(meeting.topic),
        agenda=[(rewrite(a.title), a.speakers) for a in meeting.agenda_items.all()],
    )
