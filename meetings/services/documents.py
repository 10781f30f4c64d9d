"""Asking for a meeting's PDFs; meetings/pdf.py builds them in a task."""

from django.db import transaction
from django.utils import timezone

from ..models import AgendaItem, Meeting, MeetingDocument


@transaction.atomic
def request_document(
    meeting: Meeting, *, kind: str, item: AgendaItem | None = None
) -> MeetingDocument:
    """Queue a PDF build (agenda, minutes, or an extract of one item) and return its row."""
    from ..pdf import build_meeting_document_task, is_current

    document, created = MeetingDocument.objects.select_for_update().get_or_create(
        meeting=meeting, kind=kind, agenda_item=item
    )
    if not created and (document.busy or is_current(document)):
        return document
    document.state = MeetingDocument.State.PENDING
    document.error = ""
    document.requested_at = timezone.now()
    document.save(update_fields=["state", "error", "requested_at"])
    pk = document.pk
    transaction.on_commit(lambda: build_meeting_document_task.delay(pk), robust=True)
    return document
