"""The plan as a PDF: a watermarked draft, or the approved text registered and signed.

Builds run in tasks (plans.tasks), re-read their PlanPdf row and are safe to
run twice: a finished build is not redone, and an approved revision is issued
to the register of documents only once.
"""

import hashlib
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumo.documents import issue_document
from rumo.models import IssuedDocument
from rumo.pdf import approval, render_pdf, signature_mark
from rumo.signing import signing_configured

from .models import PlanPdf, Revision, Section, Stamp
from .outline import Block, load_revision, outline, stamps_by_side

logger = logging.getLogger(__name__)

TEMPLATE = "plans/pdf/plan.html"
STALE_STATES = (PlanPdf.State.PENDING, PlanPdf.State.BUILDING)
BUILT_FIELDS = ["file", "sha256", "document_code", "register_number", "state", "error",
                "content_version", "built_at"]  # fmt: skip
BUILD_FAILED = gettext_lazy(
    "Не удалось сформировать PDF. Попробуйте ещё раз; если ошибка повторится, "
    "сообщите администратору портала."
)


class BuildRefused(Exception):
    """The PDF cannot be built in the revision's state; the message is shown as is."""


def content_version(revision: Revision) -> str:
    return f"{revision.pk}:{revision.content_version}"


def build_revision_pdf(revision_id: int, *, draft: bool) -> None:
    """Build and store the revision's draft or signed PDF, recording the outcome on its row."""
    pdf = start_build(revision_id, draft=draft)
    if pdf is None:
        return
    try:
        revision = load_revision(revision_id)
        (store_draft if draft else store_signed)(pdf.pk, revision)
    except Revision.DoesNotExist:  # deleted meanwhile, and its row with it
        return
    except BuildRefused as refused:
        fail(pdf.pk, str(refused))
    except Exception:
        logger.exception("Building the PDF of revision %s (draft=%s) failed", revision_id, draft)
        fail(pdf.pk, str(BUILD_FAILED))


def fail(pdf_id: int, message: str) -> None:
    PlanPdf.objects.filter(pk=pdf_id).update(state=PlanPdf.State.FAILED, error=message)


@transaction.atomic
def start_build(revision_id: int, *, draft: bool) -> PlanPdf | None:
    """Mark the row BUILDING and return it, or None when there is nothing to do."""
    pdf = (
        PlanPdf.objects.select_for_update()
        .select_related("revision")
        .filter(revision_id=revision_id, draft=draft)
        .first()
    )
    if pdf is None or is_done(pdf):
        return None
    pdf.state = PlanPdf.State.BUILDING
    pdf.error = ""
    # The sweep measures a build from its start: a live one is never re-enqueued.
    pdf.requested_at = timezone.now()
    pdf.save(update_fields=["state", "error", "requested_at"])
    return pdf


def is_done(pdf: PlanPdf) -> bool:
    if pdf.state != PlanPdf.State.READY:
        return False
    if not pdf.draft:
        return bool(pdf.register_number)
    return pdf.content_version == content_version(pdf.revision)


def render_revision(revision: Revision, *, draft: bool, mark: dict | None = None) -> bytes:
    """Render the revision (loaded with load_revision) to PDF bytes."""
    by_side = stamps_by_side(revision)
    context = {
        "revision": revision,
        "year": revision.plan.year,
        "stamps": [by_side.get(Stamp.Side.LEFT), by_side.get(Stamp.Side.RIGHT)],
        "parts": document_parts(outline(revision)),
        "title": " ".join(revision.title_lines),
        "author": revision.plan.association.name,
        "created": None if draft else revision.approved_at,
        "watermark": "ПРОЕКТ" if draft else "",
        "mark": mark,
    }
    return render_pdf(TEMPLATE, context)


def document_parts(blocks: list[Block]) -> list[dict]:
    """Group the blocks under numbered headings; meetings rows join the events table."""
    parts = []
    for block in blocks:
        if block.continues_table and parts:
            parts[-1]["table"].append(block)
            continue
        in_table = block.section.kind in (Section.Kind.EVENTS, Section.Kind.MEETINGS)
        parts.append({"block": block, "table": [block] if in_table else []})
    return parts


def store_draft(pdf_id: int, revision: Revision) -> None:
    data = render_revision(revision, draft=True)
    plan = revision.plan
    name = f"plan-{plan.association.slug}-{plan.year}-r{revision.number}-draft.pdf"
    field = PlanPdf._meta.get_field("file")
    stored = field.storage.save(field.generate_filename(None, name), ContentFile(data))
    try:
        with transaction.atomic():
            pdf = PlanPdf.objects.select_for_update().get(pk=pdf_id)
            previous = pdf.file.name
            pdf.file.name = stored
            finish(pdf, data=data, version=content_version(revision))
    except BaseException:
        field.storage.delete(stored)
        raise
    if previous and previous != stored:
        transaction.on_commit(lambda: field.storage.delete(previous))


def store_signed(pdf_id: int, revision: Revision) -> None:
    if not revision.is_published:
        raise BuildRefused(_("Редакция не утверждена"))
    with transaction.atomic():
        # The lock makes a concurrent build of the same row wait, then find it done.
        pdf = PlanPdf.objects.select_for_update().select_related("revision").get(pk=pdf_id)
        if is_done(pdf):
            return
        source = f"plans.revision:{revision.pk}"
        document = IssuedDocument.objects.final().for_source(source).order_by("pk").first()
        issued = document is None
        if issued:
            document = issue_signed(revision, source)
        try:
            pdf.file.name = document.file.name
            pdf.document_code = document.code
            pdf.register_number = document.register_number
            finish(pdf, sha256=document.sha256, version=content_version(revision))
        except BaseException:
            if issued:
                document.file.storage.delete(document.file.name)
            raise


def issue_signed(revision: Revision, source: str) -> IssuedDocument:
    stamps = [stamp for stamp in revision.stamps.all() if stamp.is_signed]
    signed = signing_configured()

    def build(number: str, url: str) -> bytes:
        mark = signature_mark(
            register_number=number, verify_url=url, signed=signed, approvals=mark_approvals(stamps)
        )
        return render_revision(revision, draft=False, mark=mark)

    plan = revision.plan
    return issue_document(
        kind=IssuedDocument.Kind.PLAN,
        title=f"План работы: {plan.association.name}, {plan.year} год, редакция {revision.number}",
        source=source,
        build=build,
        signers=[
            {"name": s.person_name, "position": " ".join(s.position_lines), "date": s.signed_on}
            for s in stamps
        ],
        sign=True,
    )


def mark_approvals(stamps: list[Stamp]) -> list[dict]:
    """Return the stamps' signatures as the mark lists them: who, when, portal or paper."""
    return [
        approval(
            stamp.get_kind_display().capitalize(),
            stamp.person_name,
            stamp.signed_on,
            on_paper=stamp.on_paper,
            scan=bool(stamp.scan),
        )
        for stamp in stamps
    ]


def finish(pdf: PlanPdf, *, version: str, data: bytes = b"", sha256: str = "") -> None:
    pdf.sha256 = sha256 or hashlib.sha256(data).hexdigest()
    pdf.state = PlanPdf.State.READY
    pdf.error = ""
    pdf.content_version = version
    pdf.built_at = timezone.now()
    pdf.save(update_fields=BUILT_FIELDS)


def requeue_stale(older_than: timedelta = timedelta(minutes=5)) -> int:
    """Re-enqueue builds still pending or building after ``older_than``; return how many."""
    from .tasks import build_plan_pdf_task

    cutoff = timezone.now() - older_than
    stale = PlanPdf.objects.filter(state__in=STALE_STATES, requested_at__lt=cutoff)
    builds = list(stale.values_list("revision_id", "draft"))
    for revision_id, draft in builds:
        build_plan_pdf_task.delay(revision_id, draft)
    return len(builds)
