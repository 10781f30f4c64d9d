"""A meeting's PDFs: ask for one, watch it being built (htmx polling), download it."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import services
from ..models import AgendaItem, Meeting, MeetingDocument
from ..pdf import load_meeting
from .lookup import require
from .pages import document_state

Kind = MeetingDocument.Kind
READ_PERMS = {
    Kind.AGENDA: "meetings.read_meeting",
    Kind.MINUTES: "meetings.read_minutes",
    Kind.EXTRACT: "meetings.read_minutes",
}


def target(request, pk: int, kind: str):
    """Return (meeting, agenda item or None) of a document the user may read."""
    item = None
    if kind == Kind.EXTRACT:
        item = get_object_or_404(AgendaItem, pk=pk)
        pk = item.meeting_id
    try:
        meeting = load_meeting(pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    require(request, READ_PERMS[kind], meeting)
    if (kind == Kind.MINUTES and not meeting.is_held) or (
        kind == Kind.EXTRACT and not meeting.minutes_approved
    ):
        raise Http404
    return meeting, item


def render_state(request, meeting, kind, item):
    row = (
        MeetingDocument.objects.select_related("issued")
        .filter(meeting=meeting, kind=kind, agenda_item=item)
        .first()
    )
    doc = document_state(meeting, kind, row, item)
    return render(request, "meetings/includes/document.html", {"doc": doc})


@login_required
def document_status(request, pk, kind):
    meeting, item = target(request, pk, kind)
    return render_state(request, meeting, kind, item)


@require_POST
@login_required
def document_request(request, pk, kind):
    meeting, item = target(request, pk, kind)
    services.request_document(meeting, kind=kind, item=item)
    if request.htmx:
        return render_state(request, meeting, kind, item)
    return redirect(meeting.get_absolute_url() + "#documents")


@login_required
def document_file(request, pk, kind):
    meeting, item = target(request, pk, kind)
    row = get_object_or_404(
        MeetingDocument.objects.select_related("issued"),
        meeting=meeting,
        kind=kind,
        agenda_item=item,
        issued__isnull=False,
    )
    try:
        handle = row.issued.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=file_name(meeting, kind, item),
        content_type="application/pdf",
    )


def file_name(meeting, kind: str, item=None) -> str:
    name = f"{kind}-{meeting.association.slug}-{meeting.year}-{meeting.number}"
    return f"{name}-{item.position}.pdf" if item else f"{name}.pdf"
