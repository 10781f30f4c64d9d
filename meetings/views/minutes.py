"""Holding a meeting: who was present, the minutes of each question, their approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rumo import page_cache

from .. import services
from ..forms import AttendanceForm, ItemMinutesForm, MinutesForm
from .lookup import item_for, meeting_for

MANAGE = "meetings.manage_meeting"


@login_required
def attendance(request, pk):
    meeting = meeting_for(request, pk, MANAGE)
    if meeting.is_cancelled or meeting.minutes_approved:
        return redirect(meeting)
    initial = {
        "present": list(meeting.attendance.values_list("member_id", flat=True)),
        "invited_count": meeting.invited_count,
        "invited_names": meeting.invited_names,
    }
    form = AttendanceForm(request.POST or None, meeting=meeting, initial=initial)
    if form.is_valid():
        try:
            services.record_attendance(
                meeting,
                present=form.cleaned_data["present"],
                invited_count=form.cleaned_data["invited_count"],
                invited_names=form.cleaned_data["invited_names"],
            )
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Присутствие отмечено. Теперь запишите протокол."))
            return redirect("meetings:minutes", meeting.pk)
    quorum = services.quorum_of(meeting, present=len(initial["present"]))
    context = {"form": form, "meeting": meeting, "quorum": quorum}
    return render(request, "meetings/attendance.html", context)


@login_required
@page_cache.whole_page(depends=page_cache.CONTENT_ONLY)
def minutes(request, pk):
    meeting = meeting_for(request, pk, MANAGE, agenda=True)
    if not meeting.is_held or meeting.minutes_approved:
        return redirect(meeting)
    form = MinutesForm(request.POST or None, initial=services.default_signers(meeting))
    if form.is_valid():
        try:
            services.record_minutes(meeting, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Председатель и секретарь записаны."))
            return redirect("meetings:minutes", meeting.pk)
    return render(request, "meetings/minutes.html", minutes_context(meeting, form=form))


def minutes_context(meeting, **extra) -> dict:
    limit = services.vote_limit(meeting)
    item_forms = [
        ItemMinutesForm(instance=item, limit=limit) for item in meeting.agenda_items.all()
    ]
    context = {
        "meeting": meeting,
        "item_forms": item_forms,
        "limit": limit,
        "quorum": services.quorum_of(meeting),
        "problems": services.approval_problems(meeting),
    }
    return {**context, **extra}


@login_required
def item_minutes(request, pk):
    item = item_for(request, pk)
    if request.method != "POST":
        return redirect(reverse("meetings:minutes", args=[item.meeting_id]) + f"#item-{item.pk}")
    limit = services.vote_limit(item.meeting)
    form = ItemMinutesForm(request.POST, instance=item, limit=limit)
    saved = False
    if form.is_valid():
        try:
            services.record_item_minutes(item, **form.cleaned_data)
            saved = True
        except services.MeetingError as error:
            form.add_service_error(error)
    if request.htmx:
        context = {"form": form, "meeting": item.meeting, "saved": saved, "limit": limit}
        return render(request, "meetings/minutes.html#item", context)
    if saved:
        messages.success(request, _("Вопрос %(n)s записан.") % {"n": item.position})
        return redirect(reverse("meetings:minutes", args=[item.meeting_id]) + f"#item-{item.pk}")
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("meetings:minutes", args=[item.meeting_id]) + f"#item-{item.pk}")


@login_required
def minutes_approve(request, pk):
    meeting = meeting_for(request, pk, MANAGE, agenda=True)
    if request.method == "POST":
        try:
            services.approve_minutes(meeting)
        except services.MeetingError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("meetings:minutes", meeting.pk)
        messages.success(request, _("Протокол утверждён. PDF формируется."))
        return redirect(meeting)
    context = {"meeting": meeting, "problems": services.approval_problems(meeting)}
    return render(request, "meetings/minutes_approve.html", context)
