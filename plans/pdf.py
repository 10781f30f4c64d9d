"""The plan as a PDF: a watermarked draft, or the approved text registered and signed.

Two kinds of the document pipeline (rumo.pipeline, docs/documents.md): the
pipeline builds them in its worker task, registers and signs the approved
one, and serves both; this module says what they show and who reads them.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumo import pipeline
from rumo.models import IssuedDocument
from rumo.pdf import approval, render_pdf, signature_mark

from .models import COLUMN_WEIGHTS, Revision, Stamp
from .outline import Block, load_revision, outline, stamps_by_side

TEMPLATE = "plans/pdf/plan.html"
APPROVER_KINDS = (Stamp.Kind.APPROVED, Stamp.Kind.APPROVE, Stamp.Kind.ACCEPTED)


def load_header(pk: int) -> Revision:
    """Return the revision with its plan and association: what the download's rules,
    ``exists`` and file name read (the whole text is loaded only to build it)."""
    return Revision.objects.select_related("plan__association").get(pk=pk)


def content_version(revision: Revision) -> str:
    return f"{revision.pk}:{revision.content_version}"


def document_parts(blocks: list[Block]) -> list[dict]:
    """Group the blocks under headings; a meetings list joins the table before it."""
    parts = []
    for block in blocks:
        if block.continues_table and parts:
            parts[-1]["table"].append(block)
            continue
        table = [block] if block.section.is_table and block.columns else []
        parts.append({"block": block, "table": table})
    for part in parts:
        part["widths"] = widths(part["block"].columns, part["table"])
    return parts


def widths(columns, blocks=()) -> list[int]:
    """Share the page's width between the columns by their usual weights.

    The number column widens for long numbers («2.1.1.») so they never wrap.
    """
    longest = max((len(row.numbered) for b in blocks for row in b.rows), default=0)
    weights = [
        max(COLUMN_WEIGHTS["number"], 2.6 * longest) if key == "number"
        else COLUMN_WEIGHTS.get(key, 15)
        for key, _label in columns
    ]  # fmt: skip
    total = sum(weights) or 1
    return [round(100 * weight / total) for weight in weights]


def approver_of(revision: Revision) -> Stamp | None:
    stamps = [stamp for stamp in revision.stamps.all() if stamp.is_signed]
    return next((s for s in stamps if s.kind in APPROVER_KINDS), None)


def mark(revision: Revision, number: str, url: str, signed: bool) -> dict:
    stamps = [stamp for stamp in revision.stamps.all() if stamp.is_signed]
    return signature_mark(
        register_number=number, verify_url=url, signed=signed, approvals=mark_approvals(stamps)
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


def approval_date(revision: Revision):
    approver = approver_of(revision)
    if approver and approver.signed_on:
        return approver.signed_on
    return timezone.localdate(revision.approved_at) if revision.approved_at else None


def signers(revision: Revision) -> list[dict]:
    return [
        {"name": s.person_name, "position": " ".join(s.position_lines), "date": s.signed_on}
        for s in revision.stamps.all()
        if s.is_signed
    ]


def title(revision: Revision) -> str:
    plan = revision.plan
    name = plan.name or "План работы"
    return f"{name}: {plan.association.name}, {plan.period_label}, редакция {revision.number}"


def file_name(revision: Revision, suffix: str = "") -> str:
    plan = revision.plan
    name = f"plan-{plan.association.slug}-{plan.key}-r{revision.number}"
    return f"{name}-{suffix}.pdf" if suffix else f"{name}.pdf"


def context(revision: Revision, *, draft: bool, mark: dict | None) -> dict:
    by_side = stamps_by_side(revision)
    return {
        "revision": revision,
        "year": revision.plan.year,
        "stamps": [by_side.get(Stamp.Side.LEFT), by_side.get(Stamp.Side.RIGHT)],
        "parts": document_parts(outline(revision)),
        "title": " ".join(revision.title_lines),
        "author": revision.plan.association.name,
        "created": None if draft else revision.approved_at,
        "mark": mark,
    }


def render_revision(revision: Revision, *, draft: bool, mark: dict | None = None) -> bytes:
    """Render the revision (loaded with load_revision) to PDF bytes."""
    return render_pdf(
        TEMPLATE,
        {"watermark": "ПРОЕКТ" if draft else "", **context(revision, draft=draft, mark=mark)},
    )


def urls(slug: str):
    def revision_urls(revision: Revision) -> tuple[str, str, str]:
        args = [revision.pk, slug]
        return tuple(
            reverse(f"plans:{name}", args=args)
            for name in ("pdf-status", "pdf-request", "pdf-download")
        )

    return revision_urls


def may_request(user, revision: Revision) -> bool:
    return user.has_perm("plans.download_draft_pdf", revision)


def may_read_draft(user, revision: Revision) -> bool:
    """The chair, the office and the plan's signers (curator, approver) read the draft."""
    return user.has_perm("plans.read_draft_pdf", revision)


def not_approved(revision: Revision) -> str | None:
    return None if revision.is_published else _("Редакция не утверждена")


DRAFT = pipeline.register(
    pipeline.DocumentKind(
        name="plans.draft",
        slug="draft",
        template=TEMPLATE,
        load=load_revision,
        context=context,
        # Any save of a draft (its header, its stamps) may change what it shows.
        version=lambda r: f"{content_version(r)}:{r.updated_at.isoformat()}",
        title=title,
        filename=lambda r: file_name(r, "draft"),
        may_read=may_read_draft,
        exists=lambda r: not r.is_published,
        is_draft=lambda r: True,
        urls=urls("draft"),
        access=load_header,
        labels={
            "download": gettext_lazy("Скачать проект PDF"),
            "request": gettext_lazy("Скачать проект PDF"),
        },
    )
)
SIGNED = pipeline.register(
    pipeline.DocumentKind(
        name="plans.signed",
        slug="signed",
        template=TEMPLATE,
        load=load_revision,
        context=context,
        # An approved revision never changes: it is registered and signed once.
        version=content_version,
        title=title,
        filename=file_name,
        may_read=lambda user, r: user.has_perm("plans.read_revision", r),
        may_request=may_request,
        exists=lambda r: r.is_published,
        refusal=not_approved,
        register_kind=IssuedDocument.Kind.PLAN,
        register_source=lambda r: f"plans.revision:{r.pk}",
        signed=lambda r: True,
        signers=signers,
        document_date=approval_date,
        mark=mark,
        urls=urls("signed"),
        access=load_header,
        # A visitor reads what is published: the revision's status (page_cache.CONTENT_MODELS).
        cache_visitor_access=True,
        labels={
            "download": gettext_lazy("Скачать подписанный PDF"),
            "request": gettext_lazy("Сформировать подписанный PDF"),
        },
    )
)
KINDS = {"draft": DRAFT, "signed": SIGNED}
