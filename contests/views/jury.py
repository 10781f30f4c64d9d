"""Jury: appointing jurors and the juror's scoring sheet."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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


@permission_required("contests.score", contest_for)
def scoring(request, pk):
    contest = contest_for(request, pk)
    juror = get_object_or_404(Juror, contest=contest, member=member_of(request))
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
        return redirect(reverse("contests:scoring", args=[contest.pk]) + f"#app-{application.pk}")
    sheet = services.scoring_sheet(juror)
    return render(
        request,
        "contests/scoring.html",
        {
            "contest": contest,
            "juror": juror,
            "sheet": sheet,
            "criteria": services.jury.criteria_of(contest),
        },
    )


@require_POST
@permission_required("contests.score", contest_for)
def scoring_submit(request, pk):
    contest = contest_for(request, pk)
    juror = get_object_or_404(Juror, contest=contest, member=member_of(request))
    try:
        services.submit_scores(juror)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("contests:scoring", pk=contest.pk)
    messages.success(request, _("Оценки отправлены. Теперь видны оценки всего жюри."))
    return redirect("contests:results", pk=contest.pk)
