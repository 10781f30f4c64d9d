"""Asking for a meeting's PDFs; the document pipeline builds them (kinds in meetings/pdf.py)."""

from rumo import pipeline
from rumo.models import DocumentBuild

from ..models import AgendaItem, Meeting


def request_document(
    meeting: Meeting, *, kind: str, item: AgendaItem | None = None
) -> DocumentBuild:
    """Queue a PDF build (agenda, minutes, or an extract of one item) and return its row."""
    from ..pdf import KINDS, load_item, load_meeting

    # The fingerprint of what the document shows needs the meeting as the pipeline loads it.
    obj = load_item(item.pk) if item is not None else load_meeting(meeting.pk)
    return pipeline.request_build(KINDS[kind], obj)
