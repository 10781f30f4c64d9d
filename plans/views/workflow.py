"""A plan's way to approval, and its documents: create, send, sign, return, PDFs, scans."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.rules import is_office_staff
from rumo import pipeline
from rumo.access import deny, member_of

from .. import pdf, services
from ..forms_workflow import (
    PaperSignatureForm,
    PlanCreateForm,
    ReturnForm,
    ScanUploadForm,
    plan_exists_message,
)
from ..models import Plan, Revision, Stamp
from ..rules import chair, insider
from ..services.workflow import SIGNING_ORDER

Status = Revision.Status
REVISIONS = Revision.objects.select_related("plan__association")
SIGN_PERMS = {
    Stamp.Kind.AGREED: "plans.agree_revision",
    Stamp.Kind.APPROVED: "plans.approve_revision",
    Stamp.Kind.APPROVE: "plans.approve_revision",
}
ACTIVE = (Status.DRAFT, Status.ON_AGREEMENT, Status.AGREED)


def refuse(request, allowed: bool):
    """Return None when allowed, a login redirect for a visitor; raise 403 for a member."""
    return None if allowed else deny(request)


def may_sign(user, revision: Revision, stamp: Stamp | None) -> bool:
    return stamp is not None and user.has_perm(SIGN_PERMS[stamp.kind], revision)


def may_download_scan(user, revision: Revision) -> bool:
    return is_office_staff.test(user) or insider.test(user, revision)


# Creating a plan and opening a new revision


@login_required
def plan_create(request):
    initial = {key: request.GET[key] for key in ("association", "year") if request.GET.get(key)}
    form = PlanCreateForm(request.POST or None, user=request.user, initial=initial)
    if not form.fields["association"].queryset:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                data["association"],
                year=data["year"],
                by=member_of(request.user),
                copy_from=data["copy_from"],
                period=data["period"],
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except services.PlanExists:  # created meanwhile
            form.add_error("year", plan_exists_message(data["year"], data["period"]))
        else:
            messages.success(request, _("%(heading)s: план создан.") % {"heading": plan.heading})
            return redirect(plan.revisions.get(number=1))
    return render(request, "plans/plan_create.html", {"form": form})


@require_POST
def revision_start(request, slug, key):
    plan = get_object_or_404(
        Plan.objects.select_related("association"), association__slug=slug, key=key
    )
    if denied := refuse(request, request.user.has_perm("plans.start_revision", plan)):
        return denied
    try:
        revision = services.start_revision(plan, by=member_of(request.user))
    except services.WorkflowError as error:
        messages.error(request, str(error))
        current = plan.revisions.filter(status__in=ACTIVE).first()
        return redirect(current or plan)
    messages.success(
        request,
        _("Открыта редакция %(number)s: исправьте план и отправьте его на согласование.")
        % {"number": revision.number},
    )
    return redirect(revision)


# Sending, signing and returning


def revision_send(request, pk):
    revision = get_object_or_404(REVISIONS, pk=pk)
    if denied := refuse(request, chair.test(request.user, revision)):
        return denied
    if not revision.is_editable:
        messages.info(request, _("План уже отправлен на согласование."))
        return redirect(revision)
    if request.method != "POST":
        context = {"revision": revision, "stamp": services.next_stamp(revision)}
        return render(request, "plans/revision_confirm_send.html", context)
    try:
        services.send_for_agreement(revision, by=member_of(request.user))
    except services.FrozenRevision:
        messages.info(request, _("План уже отправлен на согласование."))
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "План отправлен на согласование. Мы сообщим по почте, "
                "когда его подпишут или вернут."
            ),
        )
    return redirect(revision)


def sign(request, pk, *, kind: str):
    revision = get_object_or_404(REVISIONS, pk=pk)
    perm = SIGN_PERMS[kind]
    if denied := refuse(request, request.user.has_perm(perm, revision)):
        return denied
    approving = kind != Stamp.Kind.AGREED
    kinds = [kind, Stamp.Kind.APPROVE] if approving else [kind]
    already = any(s.is_signed for s in revision.stamps.filter(kind__in=kinds))
    action = services.approve_revision if approving else services.agree_revision
    try:
        signed = action(revision, by=member_of(request.user), on=timezone.localdate())
    except services.WorkflowError as error:
        messages.error(request, str(error))
        return redirect(revision)
    if already:
        messages.info(request, _("План уже утверждён.") if approving else _("План уже согласован."))
    elif signed.status == Status.APPROVED:
        messages.success(request, _("План утверждён. Подписанный PDF формируется."))
    else:
        messages.success(request, _("План согласован и отправлен на утверждение."))
    return redirect(revision)


@require_POST
def revision_agree(request, pk):
    return sign(request, pk, kind=Stamp.Kind.AGREED)


@require_POST
def revision_approve(request, pk):
    return sign(request, pk, kind=Stamp.Kind.APPROVED)


def revision_return(request, pk):
    revision = get_object_or_404(REVISIONS, pk=pk)
    user = request.user
    signer = user.has_perm("plans.agree_revision", revision) or user.has_perm(
        "plans.approve_revision", revision
    )
    if denied := refuse(request, signer):
        return denied
    if not may_sign(user, revision, services.next_stamp(revision)) or revision.is_editable:
        messages.info(request, _("Сейчас этот план не ждёт вашей подписи."))
        return redirect(revision)
    form = ReturnForm(request.POST or None)
    if form.is_valid():
        try:
            services.return_revision(
                revision, by=member_of(user), comment=form.cleaned_data["comment"]
            )
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("План возвращён председателю на доработку."))
        return redirect(revision)
    return render(request, "plans/revision_return_form.html", {"revision": revision, "form": form})


def stamp_paper(request, pk):
    stamp = get_object_or_404(Stamp.objects.select_related("revision__plan__association"), pk=pk)
    revision = stamp.revision
    if denied := refuse(request, request.user.has_perm("plans.record_paper_signature", stamp)):
        return denied
    try:
        services.check_paper_signature(revision, stamp)
    except services.WorkflowError:
        messages.info(request, _("Сейчас план не ждёт этой подписи."))
        return redirect(revision)
    initial = {"person_name": stamp.person_name, "signed_on": timezone.localdate()}
    form = PaperSignatureForm(request.POST or None, request.FILES or None, initial=initial)
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.record_paper_signature(
                stamp,
                by=member_of(request.user),
                person_name=data["person_name"],
                on=data["signed_on"],
                scan=data["scan"],
            )
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Подпись на бумаге записана."))
        return redirect(revision)
    context = {"revision": revision, "stamp": stamp, "form": form}
    return render(request, "plans/stamp_paper_form.html", context)


# Scans of the paper copy


def scan_upload(request, pk):
    revision = get_object_or_404(REVISIONS, pk=pk)
    if denied := refuse(request, request.user.has_perm("plans.upload_scan", revision)):
        return denied
    if not revision.is_published:
        messages.info(request, _("Скан бумажного экземпляра загружается для утверждённого плана."))
        return redirect(revision)
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        previous = revision.paper_scan.name
        revision.paper_scan = form.cleaned_data["scan"]
        revision.save(update_fields=["paper_scan"])
        if previous and previous != revision.paper_scan.name:
            revision.paper_scan.storage.delete(previous)
        messages.success(request, _("Скан подписанного экземпляра загружен."))
        return redirect(revision)
    return render(request, "plans/revision_scan_form.html", {"revision": revision, "form": form})


def scan_download(request, pk):
    revision = get_object_or_404(REVISIONS, pk=pk)
    if denied := refuse(request, may_download_scan(request.user, revision)):
        return denied
    if not revision.paper_scan:
        raise Http404
    return serve_pdf(revision.paper_scan, pdf.file_name(revision, "scan"))


def stamp_scan_download(request, pk):
    """Serve the scan of a signature recorded on paper to those who may see the plan's scan."""
    stamp = get_object_or_404(Stamp.objects.select_related("revision__plan__association"), pk=pk)
    if denied := refuse(request, may_download_scan(request.user, stamp.revision)):
        return denied
    if not stamp.scan:
        raise Http404
    name = f"stamp-{stamp.pk}{Path(stamp.scan.name).suffix.lower()}"
    try:
        handle = stamp.scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name)


def serve_pdf(field, filename: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )


# The side panel of the revision page


def workflow_context(request, revision: Revision) -> dict:
    """Return the context of templates/plans/includes/workflow_panel.html, as ``workflow``."""
    user = request.user
    return {"workflow": signing_state(user, revision) | documents_state(user, revision)}


def signing_state(user, revision: Revision) -> dict:
    waiting = services.next_stamp(revision) if revision.status in ACTIVE[1:] else None
    is_chair = chair.test(user, revision)
    in_progress = None
    if revision.status == Status.APPROVED and is_chair:
        in_progress = revision.plan.revisions.filter(status__in=ACTIVE).first()
    fresh_copy = revision.is_editable and revision.sent_at is None
    return {
        "stamps": sorted(revision.stamps.all(), key=lambda s: SIGNING_ORDER.index(s.kind)),
        "waiting": waiting,
        "can_send": is_chair and revision.is_editable,
        "can_sign": may_sign(user, revision, waiting),
        "approving": waiting is not None and waiting.kind != Stamp.Kind.AGREED,
        "can_paper_sign": waiting is not None
        and user.has_perm("plans.record_paper_signature", waiting),
        "can_start": revision.status == Status.APPROVED and is_chair and in_progress is None,
        "in_progress": in_progress,
        "copy_notes": revision.copy_notes
        if fresh_copy and (is_chair or is_office_staff.test(user))
        else [],
        "today": timezone.localdate(),
    }


def documents_state(user, revision: Revision) -> dict:
    published = revision.is_published
    draft_pdf = signed_pdf = None
    if published:
        signed_pdf = pipeline.panel(pdf.SIGNED, revision, user)
    elif user.has_perm("plans.read_draft_pdf", revision):
        draft_pdf = pipeline.panel(pdf.DRAFT, revision, user)
    return {
        "draft_pdf": draft_pdf,
        "signed_pdf": signed_pdf,
        "can_upload_scan": published and user.has_perm("plans.upload_scan", revision),
        "can_download_scan": bool(revision.paper_scan) and may_download_scan(user, revision),
        "can_see_stamp_scans": may_download_scan(user, revision),
    }
