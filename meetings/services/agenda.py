"""The agenda of a meeting: questions added, changed, removed and put in order."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from members.models import Member

from ..models import AgendaItem, Meeting, ReminderDelivery
from .scheduling import MeetingError, lock


def open_new_version(meeting: Meeting) -> None:
    """After an announced version, an agenda change starts the next one (and its SEQUENCE).

    The chair can then re-send the announcement saying what changed; further
    edits before that stay in the same version.
    """
    announced = meeting.deliveries.filter(
        kind=ReminderDelivery.Kind.ANNOUNCEMENT, slot=str(meeting.sequence)
    )
    if not meeting.is_announced or not announced.exists():
        return
    meeting.sequence += 1
    meeting.change_note = _("Изменена повестка.")
    meeting.save(update_fields=["sequence", "change_note", "updated_at"])


def lock_agenda(meeting: Meeting) -> Meeting:
    meeting = lock(meeting)
    if meeting.is_cancelled:
        raise MeetingError(_("Заседание отменено."))
    if meeting.minutes_approved:
        raise MeetingError(_("Протокол утверждён: повестка больше не изменяется."))
    open_new_version(meeting)
    return meeting


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    *,
    title: str,
    speakers: str = "",
    speaker_members: Iterable[Member] = (),
    document=None,
) -> AgendaItem:
    """Append a question to the agenda."""
    meeting = lock_agenda(meeting)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=title,
        speakers=speakers,
        document=document or "",
    )
    item.speaker_members.set(speaker_members)
    return item


@transaction.atomic
def update_agenda_item(
    item: AgendaItem,
    *,
    title: str,
    speakers: str = "",
    speaker_members: Iterable[Member] = (),
    document=None,
    clear_document: bool = False,
) -> AgendaItem:
    """Change a question's text, speakers or attached document."""
    lock_agenda(item.meeting)
    item.title, item.speakers = title, speakers
    fields = ["title", "speakers"]
    if document or clear_document:
        item.document = document or ""
        fields.append("document")
    item.save(update_fields=fields)
    item.speaker_members.set(speaker_members)
    return item


@transaction.atomic
def delete_agenda_item(item: AgendaItem) -> None:
    meeting = lock_agenda(item.meeting)
    item.delete()
    renumber(list(meeting.agenda_items.order_by("position", "pk")))


@transaction.atomic
def move_agenda_item(item: AgendaItem, *, offset: int) -> None:
    """Move a question up (-1) or down (+1); at either end nothing changes."""
    meeting = lock_agenda(item.meeting)
    items = list(meeting.agenda_items.order_by("position", "pk"))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    renumber(items)


def renumber(items: list[AgendaItem]) -> None:
    for position, row in enumerate(items, start=1):
        row.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
