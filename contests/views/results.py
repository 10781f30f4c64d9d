"""Results: the score table, approval, publication."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo import page_cache, pipeline
from rumo.access import deny, permission_required

from .. import diplomas, pdf, services
from ..models import Application, Contest
from .common import contest_for, errors_to_messages


def results_for(request, pk, **kwargs):
    return get_object_or_404(Contest, pk=pk)


def can_see_table(user, contest) -> bool:
    if user.has_perm("contests.manage_contest", contest):
        return True
    member = getattr(user, "member", None) if user.is_authenticated else None
    return bool(
        member and contest.jurors.filter(member=member, submitted_at__isnull=False).exists()
    )


@page_cache.whole_page
def contest_results(request, pk):
    contest = get_object_or_404(Contest, pk=pk)
    table_allowed = can_see_table(request.user, contest)
    if not contest.results_published_at and not table_allowed:
        return deny(request)
    context = {
        "contest": contest,
        "table_allowed": table_allowed,
        "can_manage": request.user.has_perm("contests.manage_contest", contest),
    }
    if pdf.JURY_PROTOCOL.exists(contest) and pdf.JURY_PROTOCOL.may_read(request.user, contest):
        context["protocol"] = pipeline.panel(pdf.JURY_PROTOCOL, contest, request.user)
    if context["can_manage"] and contest.results_approved_at:
        context["batch"] = diplomas.batch(contest)
    if table_allowed:
        context["table"] = services.score_table(contest)
    if contest.results_published_at:
        context["winners"] = (
            contest.applications.filter(status=Application.Status.ACCEPTED)
            .select_related("nomination", "organization", "applicant")
            .order_by("nomination__position", "place", "pk")
        )
    if context.get("protocol", {}).get("busy") or "batch" in context and context["batch"].busy:
        page_cache.no_store(request, "a document is being built")
    return render(request, "contests/results.html", context)


@require_POST
@permission_required("contests.manage_contest", contest_for)
def results_approve(request, pk):
    contest = contest_for(request, pk)
    try:
        services.approve_results(contest, force=request.POST.get("force") == "1")
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(
            request, _("Итоги утверждены. Проверьте протокол жюри и опубликуйте итоги.")
        )
    return redirect("contests:results", pk=contest.pk)


@require_POST
@permission_required("contests.manage_contest", contest_for)
def results_publish(request, pk):
    contest = contest_for(request, pk)
    try:
        services.publish_results(contest)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(
            request, _("Итоги опубликованы. Участники получат письма и скачают дипломы.")
        )
    return redirect("contests:results", pk=contest.pk)
