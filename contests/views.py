"""Contest pages: thin views over contests.services; permissions from contests/rules.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo import pipeline
from rumo.access import deny, permission_required

from . import documents, pdf, services
from .forms import (
    BLOCK_FORMS,
    BLOCKS,
    ApplicationForm,
    ClauseForm,
    ContestForm,
    DecisionForm,
    ExternalForm,
    JurorForm,
    RegulationForm,
    RejectForm,
    SendForm,
    VoteForm,
)
from .models import Application, Clause, Contest, ExternalParticipation, Juror, Regulation, Section
from .rules import managed_associations, readable_contests

PAGE_SIZE = 20


def contest_for(request, pk, **kwargs):
    return get_object_or_404(Contest, pk=pk)


def regulation_for(request, pk, **kwargs):
    return get_object_or_404(Regulation.objects.select_related("contest"), pk=pk)


def application_for(request, pk, **kwargs):
    return get_object_or_404(
        Application.objects.select_related("contest", "nomination", "applicant", "organization"),
        pk=pk,
    )


def member_of(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied
    return member


def errors_to_messages(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


# --- list and card -------------------------------------------------------------------------


@login_required
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


@permission_required("contests.read_contest", contest_for)
def contest_detail(request, pk):
    contest = get_object_or_404(Contest.objects.prefetch_related("organizers"), pk=pk)
    regulation = contest.approved_regulation
    user = request.user
    member = getattr(user, "member", None) if user.is_authenticated else None
    context = {
        "contest": contest,
        "regulation": regulation,
        "newest": services.newest(contest),
        "can_manage": user.has_perm("contests.manage_contest", contest),
        "can_read_drafts": user.has_perm("contests.read_regulation", services.newest(contest))
        if services.newest(contest)
        else False,
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


# --- regulations ---------------------------------------------------------------------------


@permission_required("contests.read_regulation", regulation_for)
def regulation_detail(request, pk):
    regulation = regulation_for(request, pk)
    deadline = regulation.vote_deadline
    if regulation.status == Regulation.Status.ON_REVIEW and deadline and deadline < timezone.now():
        regulation = services.close_vote(regulation)  # the beat sweep may not have run yet
    contest = regulation.contest
    user = request.user
    member = getattr(user, "member", None) if user.is_authenticated else None
    can_manage = user.has_perm("contests.manage_contest", contest)
    my_councils = services.councils_of_member(regulation, member) if member else []
    my_vote = regulation.votes.filter(member=member).first() if member else None
    context = documents.regulation_context(regulation) | {
        "can_manage": can_manage,
        "can_edit": can_manage and regulation.is_editable,
        "can_vote": bool(my_councils) and regulation.status == Regulation.Status.ON_REVIEW,
        "vote_form": VoteForm(
            initial={"choice": my_vote.choice, "comment": my_vote.comment} if my_vote else None
        ),
        "my_vote": my_vote,
        "tallies": services.tallies(regulation)
        if regulation.status != Regulation.Status.DRAFT
        else [],
        "votes": regulation.votes.select_related("member", "association").order_by("voted_at")
        if can_manage or my_councils
        else [],
        "versions": contest.regulations.order_by("-number"),
        "block_kinds": [(k, label) for k, (_m, label, _f) in BLOCKS.items() if k != "section"],
        "pdf": pipeline.panel(pdf.REGULATION, regulation, user) if regulation.is_frozen else None,
    }
    return render(request, "contests/regulation_detail.html", context)


def editable(request, regulation) -> Regulation:
    if not request.user.has_perm("contests.manage_contest", regulation.contest):
        raise PermissionDenied
    if not regulation.is_editable:
        raise PermissionDenied(_("Утверждённая или отправленная редакция не меняется."))
    return regulation


@permission_required("contests.manage_contest", regulation_for)
def regulation_edit(request, pk):
    regulation = editable(request, regulation_for(request, pk))
    form = RegulationForm(request.POST or None, instance=regulation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Сохранено."))
        return redirect(regulation)
    return render(
        request,
        "contests/form.html",
        {
            "form": form,
            "title": _("Заголовок и условия положения"),
            "back": regulation.get_absolute_url(),
        },
    )


BLOCK_MODELS = {kind: model for kind, (model, _l, _f) in BLOCKS.items()} | {"clause": Clause}


def block_regulation(block) -> Regulation:
    return block.section.regulation if isinstance(block, Clause) else block.regulation


@login_required
def block_add(request, pk, kind):
    if kind == "clause":
        section = get_object_or_404(Section.objects.select_related("regulation__contest"), pk=pk)
        regulation = editable(request, section.regulation)
        form = ClauseForm(request.POST or None, section=section)
    elif kind in BLOCK_FORMS:
        regulation = editable(request, regulation_for(request, pk))
        form = BLOCK_FORMS[kind](request.POST or None)
    else:
        raise Http404
    if request.method == "POST" and form.is_valid():
        block = form.save(commit=False)
        if kind == "clause":
            block.section = section
            block.position = section.clauses.count() + 1
        else:
            block.regulation = regulation
            if not block.position:
                block.position = (
                    BLOCK_MODELS[kind].objects.filter(regulation=regulation).count() + 1
                )
        block.save()
        return redirect(regulation.get_absolute_url() + f"#{kind}-{block.pk}")
    label = _("Пункт") if kind == "clause" else BLOCKS[kind][1]
    return render(
        request,
        "contests/form.html",
        {
            "form": form,
            "title": _("Добавить: %(what)s") % {"what": label},
            "back": regulation.get_absolute_url(),
        },
    )


@login_required
def block_edit(request, kind, pk):
    model = BLOCK_MODELS.get(kind) or _404()
    block = get_object_or_404(model, pk=pk)
    regulation = editable(request, block_regulation(block))
    if kind == "clause":
        form = ClauseForm(request.POST or None, instance=block, section=block.section)
    else:
        form = BLOCK_FORMS[kind](request.POST or None, instance=block)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(regulation.get_absolute_url() + f"#{kind}-{block.pk}")
    return render(
        request,
        "contests/form.html",
        {"form": form, "title": _("Изменить"), "back": regulation.get_absolute_url()},
    )


def _404():
    raise Http404


@login_required
def block_delete(request, kind, pk):
    model = BLOCK_MODELS.get(kind) or _404()
    block = get_object_or_404(model, pk=pk)
    regulation = editable(request, block_regulation(block))
    if request.method == "POST":
        block.delete()
        messages.success(request, _("Удалено."))
        return redirect(regulation)
    return render(
        request,
        "contests/confirm.html",
        {
            "question": _("Удалить «%(what)s»?") % {"what": str(block)[:80]},
            "back": regulation.get_absolute_url(),
            "danger": True,
        },
    )


@permission_required("contests.manage_contest", regulation_for)
def regulation_send(request, pk):
    regulation = regulation_for(request, pk)
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_to_council(
                regulation, deadline=form.cleaned_data["vote_deadline"], by=request.user
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Редакция отправлена совету на голосование."))
            return redirect(regulation)
    return render(
        request,
        "contests/form.html",
        {
            "form": form,
            "title": _("Отправить совету на голосование"),
            "submit": _("Отправить"),
            "back": regulation.get_absolute_url(),
        },
    )


@require_POST
@permission_required("contests.vote_regulation", regulation_for)
def regulation_vote(request, pk):
    regulation = regulation_for(request, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Выберите «за», «против» или «воздержался»."))
        return redirect(regulation)
    try:
        services.cast_vote(regulation, member_of(request), **form.cleaned_data)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Ваш голос учтён. Его можно изменить до конца голосования."))
    return redirect(regulation)


@require_POST
@permission_required("contests.manage_contest", regulation_for)
def regulation_close(request, pk):
    regulation = regulation_for(request, pk)
    try:
        services.close_vote(regulation, force=True)
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(regulation)


@permission_required("contests.manage_contest", regulation_for)
def regulation_decision(request, pk):
    regulation = regulation_for(request, pk)
    form = DecisionForm(request.POST or None, contest=regulation.contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting_decision(regulation, **form.cleaned_data)
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Решение заседания записано."))
            return redirect(regulation)
    return render(
        request,
        "contests/form.html",
        {
            "form": form,
            "title": _("Утверждено решением заседания"),
            "submit": _("Записать решение"),
            "back": regulation.get_absolute_url(),
        },
    )


@require_POST
@permission_required("contests.manage_contest", regulation_for)
def regulation_new_version(request, pk):
    copy = services.new_version(regulation_for(request, pk))
    messages.success(request, _("Черновик редакции %(n)s готов к правке.") % {"n": copy.number})
    return redirect(copy)


@permission_required("contests.read_regulation", regulation_for)
def regulation_compare(request, pk):
    regulation = regulation_for(request, pk)
    others = regulation.contest.regulations.exclude(pk=regulation.pk).order_by("-number")
    try:
        other = others.get(pk=int(request.GET.get("with", "")))
    except (ValueError, Regulation.DoesNotExist):
        other = others.filter(number__lt=regulation.number).first() or others.first()
    if other is not None and not request.user.has_perm("contests.read_regulation", other):
        raise PermissionDenied
    old, new = sorted([other, regulation], key=lambda r: r.number) if other else (None, regulation)
    rows = services.compare(old, new) if old else []
    return render(
        request,
        "contests/regulation_compare.html",
        {"regulation": regulation, "old": old, "new": new, "rows": rows, "others": others},
    )


# --- applications --------------------------------------------------------------------------


@permission_required("contests.apply", contest_for)
def apply(request, pk):
    contest = contest_for(request, pk)
    member = member_of(request)
    try:
        services.check_window(contest)
    except ValidationError as error:
        return render(
            request, "contests/apply.html", {"contest": contest, "closed": error.messages[0]}
        )
    regulation = contest.approved_regulation
    form = ApplicationForm(request.POST or None, request.FILES or None, regulation=regulation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.submit_application(
                contest,
                member,
                nomination=data["nomination"],
                files=data["files"],
                consent=data["consent"],
                participant_name=data["participant_name"],
                work_title=data["work_title"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # by field when the error names fields
        else:
            messages.success(request, _("Заявка подана. Статус виден на этой странице."))
            return redirect(application)
    return render(
        request, "contests/apply.html", {"contest": contest, "regulation": regulation, "form": form}
    )


@permission_required("contests.manage_contest", contest_for)
def application_list(request, pk):
    contest = contest_for(request, pk)
    applications = contest.applications.select_related(
        "nomination", "applicant", "organization"
    ).prefetch_related("files")
    status = request.GET.get("status", "")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contests/application_list.html",
        {
            "contest": contest,
            "page": page,
            "status": status,
            "query": f"status={status}" if status else "",
            "statuses": Application.Status.choices,
        },
    )


@permission_required("contests.read_application", application_for)
def application_detail(request, pk):
    application = application_for(request, pk)
    can_manage = request.user.has_perm("contests.manage_contest", application.contest)
    return render(
        request,
        "contests/application_detail.html",
        {
            "application": application,
            "contest": application.contest,
            "can_manage": can_manage,
            "reject_form": RejectForm(),
            "files": application.files.all(),
            "diploma": diploma_panel(request.user, application),
        },
    )


def diploma_panel(user, application) -> dict | None:
    kind = pdf.DIPLOMA
    application = pdf.load_application(application.pk)
    if not (kind.exists(application) and kind.may_read(user, application)):
        return None
    return pipeline.panel(kind, application, user)


@require_POST
@permission_required("contests.manage_contest", application_for)
def application_decide(request, pk):
    application = application_for(request, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_application(
            application, accept=accept, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Заявка принята.") if accept else _("Заявка отклонена."))
    return redirect(application)


@permission_required("contests.read_application", application_for)
def application_file(request, pk, file_pk):
    application = application_for(request, pk)
    item = get_object_or_404(application.files, pk=file_pk)
    from django.http import FileResponse

    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


# --- jury ----------------------------------------------------------------------------------


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


# --- results -------------------------------------------------------------------------------


def results_for(request, pk, **kwargs):
    return get_object_or_404(Contest, pk=pk)


def can_see_table(user, contest) -> bool:
    if user.has_perm("contests.manage_contest", contest):
        return True
    member = getattr(user, "member", None) if user.is_authenticated else None
    return bool(
        member and contest.jurors.filter(member=member, submitted_at__isnull=False).exists()
    )


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
        context["diplomas"] = pdf.diploma_panels(contest, request.user)
    if table_allowed:
        context["table"] = services.score_table(contest)
    if contest.results_published_at:
        context["winners"] = (
            contest.applications.filter(status=Application.Status.ACCEPTED)
            .select_related("nomination", "organization", "applicant")
            .order_by("nomination__position", "place", "pk")
        )
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


# --- external contests ---------------------------------------------------------------------


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
