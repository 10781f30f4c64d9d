"""A meeting's documents as PDFs: the agenda, the minutes, an extract of one decision.

Builds run in Celery tasks that take the id of a MeetingDocument row, re-read
it and are safe to run twice: a file that still shows the current text is not
built again, and approved minutes (frozen) are issued to the register once.
The tasks live here rather than in tasks.py (the notices' module) and are
registered by MeetingsConfig.ready().
"""

import hashlib
import json
import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumo.documents import issue_document
from rumo.models import IssuedDocument
from rumo.pdf import approval, render_pdf, signature_mark
from rumo.signing import signing_configured

from .models import AgendaItem, Meeting, MeetingDocument, speaker_text
from .services import quorum_of

logger = logging.getLogger(__name__)
Kind = MeetingDocument.Kind
State = MeetingDocument.State
TEMPLATES = {
    Kind.AGENDA: "meetings/pdf/agenda.html",
    Kind.MINUTES: "meetings/pdf/minutes.html",
    Kind.EXTRACT: "meetings/pdf/extract.html",
}
REGISTER_KINDS = {
    Kind.AGENDA: IssuedDocument.Kind.AGENDA,
    Kind.MINUTES: IssuedDocument.Kind.MINUTES,
    Kind.EXTRACT: IssuedDocument.Kind.EXTRACT,
}
BUILD_FAILED = gettext_lazy(
    "Не удалось сформировать PDF. Попробуйте ещё раз; если ошибка повторится, "
    "сообщите администратору портала."
)


class BuildRefused(Exception):
    """The document cannot be built in the meeting's state; the message is shown as is."""


def agenda_queryset():
    return AgendaItem.objects.with_speakers()


def load_meeting(pk: int) -> Meeting:
    """Return the meeting with everything its documents show, in a fixed number of queries."""
    return (
        Meeting.objects.select_related("association__parent")
        .prefetch_related(Prefetch("agenda_items", queryset=agenda_queryset()))
        .get(pk=pk)
    )


def is_draft(kind: str, meeting: Meeting) -> bool:
    if kind == Kind.AGENDA:
        return meeting.status == Meeting.Status.PLANNED
    return not meeting.minutes_approved


def content_version(kind: str, meeting: Meeting, item_id: int | None = None) -> str:
    """Return a fingerprint of what the document shows (the meeting loaded with load_meeting)."""
    if kind != Kind.AGENDA and meeting.minutes_approved:
        data = ["approved", meeting.minutes_approved_at.isoformat(), item_id]
    else:
        data = [
            kind,
            meeting.status,
            meeting.sequence,
            meeting.topic,
            meeting.place,
            meeting.link,
            meeting.format,
            meeting.planned_month,
            meeting.starts_at.isoformat() if meeting.starts_at else None,
        ]
        for item in meeting.agenda_items.all():
            data.append(
                [
                    item.position,
                    item.title,
                    item.speakers,
                    [speaker_text(m) for m in item.speaker_members.all()],
                ]
            )
            if kind != Kind.AGENDA:
                data.append(
                    [
                        item.heard,
                        item.spoke,
                        item.decided,
                        item.votes_for,
                        item.votes_against,
                        item.votes_abstained,
                    ]
                )
        if kind != Kind.AGENDA:
            data += [
                meeting.minutes_chair,
                meeting.minutes_secretary,
                meeting.invited_count,
                meeting.invited_names,
                meeting.attendance.count(),
            ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def is_current(document: MeetingDocument, meeting: Meeting | None = None) -> bool:
    """Return whether the document's file is ready and shows the meeting as it is now."""
    if document.state != State.READY or document.issued_id is None:
        return False
    meeting = meeting or load_meeting(document.meeting_id)
    return document.content_version == content_version(
        document.kind, meeting, document.agenda_item_id
    )


def build_meeting_document(document_id: int) -> None:
    """Build and register the document's PDF, recording the outcome on its row."""
    document = start_build(document_id)
    if document is None:
        return
    try:
        meeting = load_meeting(document.meeting_id)
        issued = issue(document, meeting)
        finish(
            document.pk, issued, content_version(document.kind, meeting, document.agenda_item_id)
        )
    except BuildRefused as refused:
        fail(document.pk, str(refused))
    except Exception:
        logger.exception("Building meeting document %s failed", document_id)
        fail(document.pk, str(BUILD_FAILED))


@transaction.atomic
def start_build(document_id: int) -> MeetingDocument | None:
    """Mark the row BUILDING and return it, or None when there is nothing to do."""
    document = MeetingDocument.objects.select_for_update().filter(pk=document_id).first()
    if document is None or is_current(document):
        return None
    document.state = State.BUILDING
    document.error = ""
    document.requested_at = timezone.now()
    document.save(update_fields=["state", "error", "requested_at"])
    return document


def fail(document_id: int, message: str) -> None:
    MeetingDocument.objects.filter(pk=document_id).update(state=State.FAILED, error=message)


def finish(document_id: int, issued: IssuedDocument, version: str) -> None:
    MeetingDocument.objects.filter(pk=document_id).update(
        state=State.READY,
        issued=issued,
        content_version=version,
        error="",
        built_at=timezone.now(),
    )


def issue(document: MeetingDocument, meeting: Meeting) -> IssuedDocument:
    """Register and store the PDF (signed when it is approved minutes or an extract)."""
    kind = document.kind
    item = next((i for i in meeting.agenda_items.all() if i.pk == document.agenda_item_id), None)
    if kind == Kind.EXTRACT and (item is None or not meeting.minutes_approved):
        raise BuildRefused(_("Выписку можно сделать только из утверждённого протокола."))
    draft = is_draft(kind, meeting)
    sign = not draft and kind != Kind.AGENDA
    approved_on = timezone.localdate(meeting.minutes_approved_at) if not draft and sign else None

    def build(number: str, url: str) -> bytes:
        mark = None
        if not draft:
            mark = signature_mark(
                register_number=number,
                verify_url=url,
                signed=sign and signing_configured(),
                approvals=mark_approvals(approved_on) if sign else (),
            )
        return render_document(kind, meeting, item=item, draft=draft, mark=mark)

    signers = []
    if sign:
        signers = [
            {"name": meeting.minutes_chair, "position": _("Председатель"), "date": approved_on},
            {"name": meeting.minutes_secretary, "position": _("Секретарь"), "date": approved_on},
        ]
    return issue_document(
        kind=REGISTER_KINDS[kind],
        title=document_title(kind, meeting, item),
        source=document_source(document),
        build=build,
        signers=signers,
        sign=sign,
        is_draft=draft,
        issued_on=approved_on,
    )


def mark_approvals(approved_on) -> list[dict]:
    """Return what the record says was approved: the minutes, in the portal, on that day."""
    return [approval(_("Протокол утверждён"), "", approved_on)]


def document_source(document: MeetingDocument) -> str:
    source = f"meetings.meeting:{document.meeting_id}:{document.kind}"
    return f"{source}:{document.agenda_item_id}" if document.agenda_item_id else source


def document_title(kind: str, meeting: Meeting, item: AgendaItem | None = None) -> str:
    what = {
        Kind.AGENDA: _("Повестка заседания"),
        Kind.MINUTES: _("Протокол заседания"),
        Kind.EXTRACT: _("Выписка из протокола заседания"),
    }[kind]
    title = f"{what} № {meeting.number} ({meeting.year}): {meeting.association.name}"
    return f"{title}, вопрос {item.position}" if item else title


def render_document(
    kind: str,
    meeting: Meeting,
    *,
    item: AgendaItem | None = None,
    draft: bool = False,
    mark: dict | None = None,
) -> bytes:
    """Render one of the meeting's documents (meeting loaded with load_meeting) to PDF bytes."""
    items = list(meeting.agenda_items.all())
    context = {
        "meeting": meeting,
        "association": meeting.association,
        "items": items,
        "item": item,
        "quorum": quorum_of(meeting) if kind != Kind.AGENDA else None,
        "present": present_list(meeting) if kind != Kind.AGENDA else [],
        "appendix_after": ATTENDANCE_INLINE_MAX,
        "title": document_title(kind, meeting, item),
        "author": meeting.association.name,
        "created": meeting.minutes_approved_at if kind != Kind.AGENDA and not draft else None,
        "watermark": "ПРОЕКТ" if draft else "",
        "mark": mark,
    }
    return render_pdf(TEMPLATES[kind], context)


# ГОСТ Р 7.0.97: with more people present, the minutes list them in an appendix.
ATTENDANCE_INLINE_MAX = 15


def present_list(meeting: Meeting) -> list:
    """Return the members present, by name, with their organisations."""
    attendance = meeting.attendance.select_related("member__organization")
    members = [row.member for row in attendance]
    return sorted(members, key=lambda m: (m.last_name, m.first_name, m.patronymic))


def requeue_stale(older_than: timedelta = timedelta(minutes=5)) -> int:
    """Re-enqueue builds still pending or building after ``older_than``; return how many."""
    cutoff = timezone.now() - older_than
    stale = MeetingDocument.objects.filter(
        state__in=[State.PENDING, State.BUILDING], requested_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in stale:
        build_meeting_document_task.delay(pk)
    return len(stale)


@shared_task(acks_late=True)
def build_meeting_document_task(document_id: int) -> None:
    build_meeting_document(document_id)


@shared_task
def sweep_meeting_documents_task() -> int:
    """Re-enqueue PDF builds left pending (the broker was down, a worker died)."""
    return requeue_stale()
