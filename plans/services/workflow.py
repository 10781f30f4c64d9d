"""A revision's way from draft through agreement to approval, and what follows."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, Membership
from rumo import pipeline
from rumo.models import DocumentBuild
from rumo.uploads import discard_file

from .. import notifications
from ..models import Item, Plan, Revision, Stamp
from ..outline import load_revision, plain_lines
from .editing import lock_draft

Status = Revision.Status
SIGNING_ORDER = [Stamp.Kind.AGREED, Stamp.Kind.ACCEPTED, Stamp.Kind.APPROVED, Stamp.Kind.APPROVE]
# The stamps that make the plan approved: the last signature it needs.
APPROVING = (Stamp.Kind.APPROVE, Stamp.Kind.APPROVED, Stamp.Kind.ACCEPTED)


class WorkflowError(Exception):
    """The step is not possible in the revision's current state."""


def next_stamp(revision: Revision) -> Stamp | None:
    stamps = sorted(revision.stamps.all(), key=lambda s: SIGNING_ORDER.index(s.kind))
    return next((stamp for stamp in stamps if not stamp.is_signed), None)


def status_after_signatures(revision: Revision) -> str:
    stamp = next_stamp(revision)
    if stamp is None:
        return Status.APPROVED
    return Status.ON_AGREEMENT if stamp.kind == Stamp.Kind.AGREED else Status.AGREED


def lock(revision: Revision) -> Revision:
    return Revision.objects.select_for_update().get(pk=revision.pk)


@transaction.atomic
def send_for_agreement(revision: Revision, *, by: Member | None) -> Revision:
    """Send the draft to whoever signs next (the curator, or the approver if agreed)."""
    locked = lock_draft(revision.pk)
    stamps = list(locked.stamps.all())
    if not stamps:
        raise WorkflowError(_("Добавьте гриф «СОГЛАСОВАНО» или «УТВЕРЖДЕНО» перед отправкой."))
    if empty := [stamp for stamp in stamps if not stamp.names_someone]:
        raise WorkflowError(
            _(
                "Гриф «%(kind)s» никого не называет: укажите ФИО подписанта или основание "
                "(приказ, протокол) либо удалите гриф, затем отправьте план."
            )
            % {"kind": empty[0].get_kind_display()}
        )
    return finish_step(locked, by=by, sent=True)


def finish_step(revision: Revision, *, by: Member | None, sent: bool = False) -> Revision:
    revision.status = status_after_signatures(revision)
    revision.updated_by = by  # who sent or signed: the page's «изменено» line names them
    fields = ["status", "updated_at", "updated_by"]
    if sent:
        revision.sent_at = timezone.now()
        revision.return_comment = ""
        fields += ["sent_at", "return_comment"]
    if revision.status == Status.APPROVED:
        supersede_others(revision)
        revision.approved_at = timezone.now()
        fields.append("approved_at")
    revision.save(update_fields=fields)
    notifications.record(revision, revision.status)
    if revision.status == Status.APPROVED:
        request_pdf(revision, draft=False)
    return revision


def supersede_others(revision: Revision) -> None:
    carry_execution(revision)
    Revision.objects.filter(plan_id=revision.plan_id, status=Status.APPROVED).exclude(
        pk=revision.pk
    ).update(status=Status.SUPERSEDED)


def carry_execution(revision: Revision) -> None:
    """Take over the execution marks made on the old text while this one was in the works."""
    items = list(
        Item.objects.filter(section__revision=revision, origin__isnull=False).select_related(
            "origin"
        )
    )
    for item in items:
        item.execution = item.origin.execution
        item.execution_note = item.origin.execution_note
    Item.objects.bulk_update(items, ["execution", "execution_note"])


@transaction.atomic
def sign_revision(revision: Revision, *, by: Member, on: date, kind: str) -> Revision:
    """Sign the stamp of ``kind`` (agreement or approval); a repeated click changes nothing."""
    locked = lock(revision)
    stamp = locked.stamps.filter(kind=kind).first()
    if stamp is None:
        raise WorkflowError("В плане нет такого грифа.")
    if stamp.is_signed:
        return locked
    expected = next_stamp(locked)
    if locked.status not in (Status.ON_AGREEMENT, Status.AGREED) or expected.pk != stamp.pk:
        raise WorkflowError("Сейчас план ждёт другой подписи.")
    stamp.signed_on = on
    stamp.signed_by = by
    if stamp.basis:  # «приказом директора от …»: the stamp prints as written
        stamp.save(update_fields=["signed_on", "signed_by"])
        return finish_step(locked, by=by)
    stamp.person_name = by.short_name
    title = signer_title(locked, by)
    if title and " ".join(stamp.position_lines) != title:  # keep the chair's line breaks
        stamp.position = title
    stamp.save(update_fields=["signed_on", "signed_by", "person_name", "position"])
    return finish_step(locked, by=by)


def signer_title(revision: Revision, member: Member) -> str:
    """Return the position the signer holds for documents of this association."""
    membership = (
        Membership.objects.active()
        .filter(association_id=revision.plan.association_id, member=member)
        .filter(role__in=[Membership.Role.CURATOR, Membership.Role.APPROVER])
        .exclude(title="")
        .first()
    )
    return membership.title if membership else ""


def agree_revision(revision: Revision, *, by: Member, on: date) -> Revision:
    return sign_revision(revision, by=by, on=on, kind=Stamp.Kind.AGREED)


def approve_revision(revision: Revision, *, by: Member, on: date) -> Revision:
    """Sign the approving stamp the plan waits for (ПРИНЯТО before УТВЕРЖДЕНО, if both)."""
    expected = next_stamp(revision)
    if expected is not None and expected.kind in APPROVING:
        kind = expected.kind
    else:
        kinds = set(revision.stamps.values_list("kind", flat=True))
        kind = next((kind for kind in APPROVING if kind in kinds), Stamp.Kind.APPROVED)
    return sign_revision(revision, by=by, on=on, kind=kind)


@transaction.atomic
def return_revision(revision: Revision, *, by: Member, comment: str) -> Revision:
    """Send the revision back to the chair with the signer's remarks."""
    locked = lock(revision)
    if locked.status not in (Status.ON_AGREEMENT, Status.AGREED):
        raise WorkflowError("Вернуть можно только план, который ждёт подписи.")
    locked.status = Status.DRAFT
    locked.return_comment = comment
    locked.updated_by = by
    # The text as the signer saw it: when the plan comes back, they see what changed.
    locked.returned_lines = plain_lines(load_revision(locked.pk))
    locked.returned_by, locked.returned_at = by, timezone.now()
    locked.returned_comment = comment
    locked.save(
        update_fields=["status", "return_comment", "updated_at", "updated_by", "returned_lines",
                       "returned_by", "returned_at", "returned_comment"]
    )  # fmt: skip
    notifications.record(locked, "returned")
    return locked


def check_paper_signature(revision: Revision, stamp: Stamp) -> None:
    """Refuse a paper signature unless the plan waits for exactly this stamp."""
    if revision.is_published or revision.is_editable:
        raise WorkflowError("Подпись на бумаге записывается для плана, который ждёт подписи.")
    expected = next_stamp(revision)
    if expected is None or expected.pk != stamp.pk:
        raise WorkflowError("Сейчас план ждёт другой подписи.")


@transaction.atomic
def record_paper_signature(
    stamp: Stamp, *, by: Member | None, person_name: str, on: date, scan=None
) -> Revision:
    """Record a signature made on paper (name, date, scan) as if signed online."""
    revision = lock(stamp.revision)
    stamp = Stamp.objects.get(pk=stamp.pk)
    check_paper_signature(revision, stamp)
    stamp.person_name = person_name
    stamp.signed_on = on
    stamp.on_paper = True
    if scan:
        discard_file(stamp.scan)
        stamp.scan = scan
    stamp.save(update_fields=["person_name", "signed_on", "on_paper", "scan"])
    return finish_step(revision, by=by)


@transaction.atomic
def start_revision(plan: Plan, *, by: Member | None) -> Revision:
    """Open a new draft from the approved text; the approved one stays as it is."""
    from .creation import copy_content

    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    revisions = list(plan.revisions.all())
    if any(r.status in (Status.DRAFT, Status.ON_AGREEMENT, Status.AGREED) for r in revisions):
        raise WorkflowError("У плана уже есть редакция в работе.")
    source = next((r for r in revisions if r.status == Status.APPROVED), revisions[0])
    revision = Revision.objects.create(
        plan=plan,
        number=max(r.number for r in revisions) + 1,
        title=source.title,
        place=source.place,
        signature_position=source.signature_position,
        signature_name=source.signature_name,
        updated_by=by,
    )
    copy_content(source, revision, keep_execution=True)
    return revision


class ExecutionClosed(WorkflowError):
    """Execution marks are set only in the approved (current) revision."""


def check_execution_open(revision: Revision) -> None:
    if revision.status != Status.APPROVED:
        raise ExecutionClosed("Отметки о выполнении ставятся только в утверждённой редакции.")


@transaction.atomic
def mark_execution(item: Item, *, by: Member | None, execution: str, note: str = "") -> Item:
    """Record whether an item was done, moved or cancelled (the text does not change).

    Only the approved revision in force takes marks: a draft, a revision on its way
    or a superseded one raises ExecutionClosed, whoever calls.
    """
    revision = Revision.objects.select_for_update().get(pk=item.section.revision_id)
    check_execution_open(revision)
    item.execution = execution
    item.execution_note = note
    item.updated_by = by
    item.save(update_fields=["execution", "execution_note", "updated_by"])
    return item


def request_pdf(revision: Revision, *, draft: bool) -> DocumentBuild:
    """Queue a PDF build for the revision and return its row (the pipeline's, never a 500)."""
    from ..pdf import DRAFT, SIGNED

    return pipeline.request_build(DRAFT if draft else SIGNED, revision)
