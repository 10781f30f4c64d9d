"""Jury: appointing jurors and the juror's scoring sheet."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo import page_cache
from rumo.access import permission_required

from .. import services
from ..forms import JurorForm
from ..models import Juror
from .common import contest_for, errors_to_messages, member_of


@permission_required("contests.manage_contest", contest_for)
def jury(request, pk):
    contest = contest_for(request, pk)
    form = JurorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appoint_juror(
                contest, form.cleaned_data["member"], is_chair=form.cleaned_data["is_chair"]
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Член жюри назначен."))
            return redirect("contests:jury", pk=contest.pk)
    jurors = contest.jurors.select_related("member__organization")
    return render(
        request, "contests/jury.html", {"contest": contest, "form": form, "jurors": jurors}
    )


def juror_for(request, pk, **kwargs):
    return get_object_or_404(Juror.objects.select_related("contest", "member"), pk=pk)


@permission_required("contests.manage_contest", juror_for)
def juror_remove(request, pk):
    juror = juror_for(request, pk)
    back = reverse("contests:jury", args=[juror.contest_id])
    if request.method == "POST":
        try:
            services.remove_juror(juror)
        except ValidationError as error:
            errors_to_messages(request, error)
        return redirect(back)
    return render(
        request,
        "contests/confirm.html",
        {
            "question": _("Исключить %(who)s из жюри? Его оценки будут удалены.")
            % {"who": juror.member.full_name},
            "back": back,
            "danger": True,
        },
    )


SHEET_PAGE_SIZE = 20


def juror_of(request, contest) -> Juror:
    juror = get_object_or_404(
        Juror.objects.select_related("member"), contest=contest, member=member_of(request)
    )
    juror.contest = contest  # one contest object: its approved regulation is read once
    return juror


@page_cache.whole_page(params=("show", "page"), depends=page_cache.CONTENT_ONLY)
@permission_required("contests.score", contest_for)
def scoring(request, pk):
    """The juror's scoring sheet, a page of applications at a time (all, or those to score)."""
    contest = contest_for(request, pk)
    juror = juror_of(request, contest)
    todo = request.GET.get("show") == "todo"
    if request.method == "POST":
        application = get_object_or_404(contest.applications, pk=request.POST.get("application"))
        raw = {
            key.removeprefix("c"): value
            for key, value in request.POST.items()
            if key.startswith("c")
        }
        try:
            services.save_scores(juror, application, raw)
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(
                request, _("Оценки «%(who)s» сохранены.") % {"who": application.display_name}
            )
        query = request.GET.urlencode()
        back = reverse("contests:scoring", args=[contest.pk]) + (f"?{query}" if query else "")
        return redirect(f"{back}#app-{application.pk}")
    page = Paginator(services.sheet_applications(juror, todo=todo), SHEET_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "contests/scoring.html",
        {
            "contest": contest,
            "juror": juror,
            "page": page,
            "sheet": services.scoring_sheet(juror, page.object_list),
            "progress": services.sheet_progress(juror),
            "todo": todo,
            "query": "show=todo" if todo else "",
            "page_query": request.GET.urlencode(),
        },
    )


@require_POST
@permission_required("contests.score", contest_for)
def scoring_submit(request, pk):
    contest = contest_for(request, pk)
    juror = juror_of(request, contest)
    try:
        services.submit_scores(juror)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("contests:scoring", pk=contest.pk)
    messages.success(request, _("Оценки отправлены. Теперь видны оценки всего жюри."))
    return redirect("contests:results", pk=contest.pk)
