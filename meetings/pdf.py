"""A meeting's documents as PDFs: the agenda, the minutes, an extract of one decision.

Three kinds of the document pipeline (rumo.pipeline, docs/documents.md): the
pipeline builds them in its worker task, registers them (a planned meeting's
agenda as a draft), signs approved minutes and extracts, and serves them; this
module says what they show and who reads them.
"""

import hashlib
import json

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumo import pipeline
from rumo.models import IssuedDocument
from rumo.pdf import approval, render_pdf, signature_mark

from .models import AgendaItem, DocumentKind, Meeting, speaker_text
from .services import quorum_of

Kind = DocumentKind
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
READ_PERMS = {
    Kind.AGENDA: "meetings.read_meeting",
    Kind.MINUTES: "meetings.read_minutes",
    Kind.EXTRACT: "meetings.read_minutes",
}
__all__ = ["speaker_text"]


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


def document_title(kind: str, meeting: Meeting, item: AgendaItem | None = None) -> str:
    what = {
        Kind.AGENDA: _("Повестка заседания"),
        Kind.MINUTES: _("Протокол заседания"),
        Kind.EXTRACT: _("Выписка из протокола заседания"),
    }[kind]
    title = f"{what} № {meeting.number} ({meeting.year}): {meeting.association.name}"
    return f"{title}, вопрос {item.position}" if item else title


def context(
    kind: str, meeting: Meeting, item: AgendaItem | None, *, draft: bool, mark: dict | None
) -> dict:
    """Return the template context of one of the meeting's documents."""
    return {
        "meeting": meeting,
        "association": meeting.association,
        "items": list(meeting.agenda_items.all()),
        "item": item,
        "quorum": quorum_of(meeting) if kind != Kind.AGENDA else None,
        "present": present_list(meeting) if kind != Kind.AGENDA else [],
        "appendix_after": ATTENDANCE_INLINE_MAX,
        "title": document_title(kind, meeting, item),
        "author": meeting.association.name,
        "created": meeting.minutes_approved_at if kind != Kind.AGENDA and not draft else None,
        "mark": mark,
    }


# ГОСТ Р 7.0.97: with more people present, the minutes list them in an appendix.
ATTENDANCE_INLINE_MAX = 15


def present_list(meeting: Meeting) -> list:
    """Return the members present, by name, with their organisations."""
    attendance = meeting.attendance.select_related("member__organization")
    members = [row.member for row in attendance]
    return sorted(members, key=lambda m: (m.last_name, m.first_name, m.patronymic))


def render_document(
    kind: str,
    meeting: Meeting,
    *,
    item: AgendaItem | None = None,
    draft: bool = False,
    mark: dict | None = None,
) -> bytes:
    """Render one of the meeting's documents (meeting loaded with load_meeting) to PDF bytes."""
    data = context(kind, meeting, item, draft=draft, mark=mark)
    return render_pdf(TEMPLATES[kind], {"watermark": "ПРОЕКТ" if draft else "", **data})


def approved_on(meeting: Meeting):
    return timezone.localdate(meeting.minutes_approved_at) if meeting.minutes_approved_at else None


def signers(meeting: Meeting) -> list[dict]:
    day = approved_on(meeting)
    return [
        {"name": meeting.minutes_chair, "position": _("Председатель"), "date": day},
        {"name": meeting.minutes_secretary, "position": _("Секретарь"), "date": day},
    ]


def mark(meeting: Meeting, number: str, url: str, signed: bool, *, chair: bool) -> dict:
    """The signature mark: the chair signs approved minutes and extracts, nobody the agenda."""
    return signature_mark(
        register_number=number,
        verify_url=url,
        signed=signed,
        approvals=mark_approvals(approved_on(meeting)) if chair else (),
    )


def mark_approvals(day) -> list[dict]:
    """Return what the record says was approved: the minutes, in the portal, on that day."""
    return [approval(_("Протокол утверждён"), "", day)]


def load_item(pk: int) -> AgendaItem:
    """Return the agenda item with its meeting loaded by load_meeting (item.meeting)."""
    meeting_id = AgendaItem.objects.values_list("meeting_id", flat=True).get(pk=pk)
    meeting = load_meeting(meeting_id)
    return next(item for item in meeting.agenda_items.all() if item.pk == pk)


def meeting_kind(kind: str, **options) -> pipeline.DocumentKind:
    """Declare the agenda or the minutes: a document of the meeting itself."""
    return pipeline.register(
        pipeline.DocumentKind(
            name=f"meetings.{kind}",
            slug=kind,
            template=TEMPLATES[kind],
            load=load_meeting,
            context=lambda meeting, **kw: context(kind, meeting, None, **kw),
            version=lambda meeting: content_version(kind, meeting),
            title=lambda meeting: document_title(kind, meeting),
            filename=lambda meeting: file_name(meeting, kind),
            may_read=lambda user, meeting: user.has_perm(READ_PERMS[kind], meeting),
            register_kind=REGISTER_KINDS[kind],
            is_draft=lambda meeting: is_draft(kind, meeting),
            urls=lambda meeting: tuple(
                reverse(f"meetings:{name}", args=[meeting.pk, kind])
                for name in ("document", "document-request", "document-file")
            ),
            page=lambda meeting: meeting.get_absolute_url() + "#documents",
            compact=True,
            register_source=lambda meeting: f"meetings.meeting:{meeting.pk}:{kind}",
            **options,
        )
    )


def file_name(meeting: Meeting, kind: str, item: AgendaItem | None = None) -> str:
    name = f"{kind}-{meeting.association.slug}-{meeting.year}-{meeting.number}"
    return f"{name}-{item.position}.pdf" if item else f"{name}.pdf"


AGENDA = meeting_kind(
    Kind.AGENDA,
    mark=lambda meeting, number, url, signed: mark(meeting, number, url, signed, chair=False),
    labels={
        "download": gettext_lazy("Скачать повестку (PDF)"),
        "request": gettext_lazy("Повестка в PDF"),
    },
)
MINUTES = meeting_kind(
    Kind.MINUTES,
    exists=lambda meeting: meeting.is_held,
    signed=lambda meeting: True,
    signers=signers,
    document_date=approved_on,
    mark=lambda meeting, number, url, signed: mark(meeting, number, url, signed, chair=True),
    labels={
        "download": gettext_lazy("Скачать протокол (PDF)"),
        "request": gettext_lazy("Протокол в PDF"),
    },
)
EXTRACT = pipeline.register(
    pipeline.DocumentKind(
        name="meetings.extract",
        slug="extract",
        template=TEMPLATES[Kind.EXTRACT],
        load=load_item,
        context=lambda item, **kw: context(Kind.EXTRACT, item.meeting, item, **kw),
        version=lambda item: content_version(Kind.EXTRACT, item.meeting, item.pk),
        title=lambda item: document_title(Kind.EXTRACT, item.meeting, item),
        filename=lambda item: file_name(item.meeting, Kind.EXTRACT, item),
        may_read=lambda user, item: user.has_perm("meetings.read_minutes", item.meeting),
        exists=lambda item: item.meeting.minutes_approved,
        refusal=lambda item: (
            None
            if item.meeting.minutes_approved
            else _("Выписку можно сделать только из утверждённого протокола.")
        ),
        register_kind=IssuedDocument.Kind.EXTRACT,
        register_source=lambda item: f"meetings.meeting:{item.meeting_id}:extract:{item.pk}",
        is_draft=lambda item: not item.meeting.minutes_approved,
        signed=lambda item: True,
        signers=lambda item: signers(item.meeting),
        document_date=lambda item: approved_on(item.meeting),
        mark=lambda item, number, url, signed: mark(item.meeting, number, url, signed, chair=True),
        urls=lambda item: tuple(
            reverse(f"meetings:{name}", args=[item.pk])
            for name in ("extract", "extract-request", "extract-file")
        ),
        page=lambda item: item.meeting.get_absolute_url() + "#documents",
        labels={
            "download": gettext_lazy("Скачать выписку (PDF)"),
            "request": gettext_lazy("Выписка в PDF"),
        },
        compact=True,
    )
)
KINDS = {Kind.AGENDA: AGENDA, Kind.MINUTES: MINUTES, Kind.EXTRACT: EXTRACT}
