"""The contest list, a contest's card and external contests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rumo import page_cache
from rumo.access import permission_required

from .. import services
from ..forms import ContestForm, ExternalForm
from ..models import Contest, ExternalParticipation
from ..rules import managed_associations, readable_contests
from .common import PAGE_SIZE, contest_for


@login_required
@page_cache.whole_page(params=("page",), depends=page_cache.CONTENT_ONLY)
def contest_list(request):
    contests = (
        readable_contests(request.user).filter(is_external=False).prefetch_related("organizers")
    )
    page = Paginator(contests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contests/contest_list.html",
        {"page": page, "can_create": managed_associations(request.user).exists()},
    )


@login_required
def contest_create(request):
    managed = managed_associations(request.user)
    if not managed.exists():
        raise PermissionDenied
    form = ContestForm(
        request.POST or None, managed=managed, initial={"organizers": list(managed[:1])}
    )
    if request.method == "POST" and form.is_valid():
        contest = services.create_contest(
            title=form.cleaned_data["title"],
            year=form.cleaned_data["year"],
            organizers=list(form.cleaned_data["organizers"]),
            by=request.user,
        )
        messages.success(request, _("Конкурс создан. Теперь напишите положение о нём."))
        return redirect("contests:regulation", pk=services.newest(contest).pk)
    return render(
        request,
        "contests/form.html",
        {"form": form, "title": _("Новый конкурс"), "submit": _("Создать")},
    )


@page_cache.whole_page(depends=page_cache.CONTENT_ONLY)
@permission_required("contests.read_contest", contest_for)
def contest_detail(request, pk):
    contest = get_object_or_404(Contest.objects.prefetch_related("organizers"), pk=pk)
    regulation = contest.approved_regulation
    newest = services.newest(contest)
    user = request.user
    member = getattr(user, "member", None) if user.is_authenticated else None
    context = {
        "contest": contest,
        "regulation": regulation,
        "newest": newest,
        "can_manage": user.has_perm("contests.manage_contest", contest),
        "can_read_drafts": bool(newest) and user.has_perm("contests.read_regulation", newest),
        "is_juror": user.has_perm("contests.score", contest),
        "my_applications": contest.applications.filter(applicant=member).select_related(
            "nomination"
        )
        if member
        else [],
        "window_open": regulation is not None
        and regulation.application_window_open()
        and not contest.results_approved_at,
        "versions": contest.regulations.order_by("-number"),
    }
    if regulation:
        context.update(
            nominations=regulation.nominations.all(),
            stages=regulation.stages.all(),
            criteria=regulation.criteria.all(),
            jury=regulation.people.filter(group="jury").select_related("member"),
            awards=regulation.awards.all(),
        )
    return render(request, "contests/contest_detail.html", context)


@login_required
def external_list(request):
    rows = ExternalParticipation.objects.select_related("association", "member", "organization")
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contests/external_list.html",
        {
            "page": page,
            "year": year,
            "query": f"year={year}" if year.isdigit() else "",
            "can_add": managed_associations(request.user).exists(),
        },
    )


@login_required
def external_add(request):
    associations = managed_associations(request.user)
    if not associations.exists():
        raise PermissionDenied
    form = ExternalForm(
        request.POST or None,
        associations=associations,
        initial={"association": associations.first()},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            row = form.save(commit=False)
            row.created_by = request.user
            row.save()
        messages.success(request, _("Участие записано."))
        return redirect("contests:external")
    return render(
        request,
        "contests/form.html",
        {
            "form": form,
            "title": _("Участие во внешнем конкурсе"),
            "back": reverse("contests:external"),
        },
    )
