"""Regulations: reading, editing blocks, council review, versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo import page_cache, pipeline
from rumo.access import permission_required

from .. import documents, pdf, services
from ..forms import (
    BLOCK_FORMS,
    BLOCKS,
    ClauseForm,
    DecisionForm,
    RegulationForm,
    SendForm,
    VoteForm,
)
from ..models import Clause, Regulation, Section
from .common import errors_to_messages, member_of, regulation_for


@page_cache.whole_page
@permission_required("contests.read_regulation", regulation_for)
def regulation_detail(request, pk):
    regulation = regulation_for(request, pk)
    deadline = regulation.vote_deadline
    if regulation.status == Regulation.Status.ON_REVIEW and deadline:
        if deadline < timezone.now():
            regulation = services.close_vote(regulation)  # the beat sweep may not have run yet
        else:
            page_cache.valid_until(request, deadline)  # the vote closes then
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
    if context["pdf"] and context["pdf"]["busy"]:
        page_cache.no_store(request, "a document is being built")
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
