"""The agenda of a meeting: questions added, changed, removed and put in order."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from members.models import Member
from rumo.uploads import discard_file

from ..models import AgendaItem, Meeting
from .scheduling import MeetingError, lock, note_change


def note_agenda_change(meeting: Meeting, note: str) -> None:
    """Say what changed in the agenda of an announced meeting.

    After an announced version, the change starts the next one (and its
    SEQUENCE); further edits before the re-send stay in that version and add
    their lines to its note.
    """
    if not meeting.is_announced:
        return
    fields = note_change(meeting, note, new_version=False)
    meeting.save(update_fields=[*fields, "updated_at"])


def lock_agenda(meeting: Meeting) -> Meeting:
    meeting = lock(meeting)
    if meeting.is_cancelled:
        raise MeetingError(_("Заседание отменено."))
    if meeting.minutes_approved:
        raise MeetingError(_("Протокол утверждён: повестка больше не изменяется."))
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
    note_agenda_change(meeting, _("Добавлен вопрос: %(title)s") % {"title": title})
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
    meeting = lock_agenda(item.meeting)
    was = item.title
    item.title, item.speakers = title, speakers
    fields = ["title", "speakers"]
    if document or clear_document:
        discard_file(item.document)
        item.document = document or ""
        fields.append("document")
    item.save(update_fields=fields)
    item.speaker_members.set(speaker_members)
    note = _("Изменён вопрос: %(title)s") % {"title": title}
    if title != was:
        note = _("Изменён вопрос: %(was)s → %(title)s") % {"was": was, "title": title}
    note_agenda_change(meeting, note)
    return item


@transaction.atomic
def delete_agenda_item(item: AgendaItem) -> None:
    meeting = lock_agenda(item.meeting)
    discard_file(item.document)
    item.delete()
    renumber(list(meeting.agenda_items.order_by("position", "pk")))
    note_agenda_change(meeting, _("Снят вопрос: %(title)s") % {"title": item.title})


@transaction.atomic
def move_agenda_item(item: AgendaItem, *, offset: int) -> None:
    """Move a question up (-1) or down (+1); at either end nothing changes."""
    meeting = lock_agenda(item.meeting)
    items = list(meeting.agenda_items.order_by("position", "pk"))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    target = min(max(index + offset, 0), len(items) - 1)
    if target == index:
        return
    items.insert(target, items.pop(index))
    renumber(items)
    note_agenda_change(meeting, _("Изменён порядок вопросов."))


def renumber(items: list[AgendaItem]) -> None:
    for position, row in enumerate(items, start=1):
        row.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
