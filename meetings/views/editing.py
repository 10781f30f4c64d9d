"""Planning a meeting: create and edit it, move or cancel it, write its agenda (htmx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from .. import services
from ..forms import AgendaItemForm, CancelForm, MeetingForm, RescheduleForm
from ..rules import managed_associations
from .lookup import item_for, meeting_for
from .pages import detail_context


@login_required
def meeting_create(request):
    associations = managed_associations(request.user)
    if not associations:
        raise PermissionDenied
    initial = {"format": "online", "year": timezone.localdate().year}
    if request.GET.get("association"):
        initial["association"] = request.GET["association"]
    form = MeetingForm(request.POST or None, associations=associations, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                data["association"], year=data["year"], **form.details()
            )
        except services.MeetingError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Заседание № %(n)s запланировано. Добавьте повестку.") % {"n": meeting.number},
            )
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form})


@login_required
def meeting_edit(request, pk):
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    if closed := refuse_closed(request, meeting):
        return closed
    form = MeetingForm(
        request.POST or None, meeting=meeting, initial=MeetingForm.initial_for(meeting)
    )
    if form.is_valid():
        try:
            services.update_meeting(meeting, **form.details())
        except services.MeetingError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_reschedule(request, pk):
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    if closed := refuse_closed(request, meeting):
        return closed
    initial = {**MeetingForm.initial_for(meeting), "date": None, "time": None}
    form = RescheduleForm(request.POST or None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reschedule_meeting(
                meeting,
                starts_at=data["starts_at"],
                note=data["note"],
                format=data["format"],
                place=data["place"],
                link=data["link"],
            )
        except services.MeetingError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Заседание перенесено; участники получат уведомление."))
            return redirect(meeting)
    return render(request, "meetings/meeting_reschedule.html", {"form": form, "meeting": meeting})


@login_required
def meeting_cancel(request, pk):
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    if closed := refuse_closed(request, meeting):
        return closed
    form = CancelForm(request.POST or None)
    if form.is_valid():
        try:
            services.cancel_meeting(meeting, reason=form.cleaned_data["reason"])
        except services.MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Заседание отменено."))
            return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {"form": form, "meeting": meeting})


def refuse_closed(request, meeting):
    """Send the user back to a held or cancelled meeting: it no longer changes."""
    if meeting.is_held or meeting.is_cancelled:
        messages.info(request, _("Заседание уже проведено или отменено: изменить его нельзя."))
        return redirect(meeting)
    return None


def agenda_answer(request, meeting, *, status=200, **extra):
    """Answer an agenda change: the agenda fragment for htmx, else the meeting page."""
    meeting = meeting_for(request, meeting.pk, "meetings.manage_meeting", agenda=True)
    if request.htmx:
        # The manage panel says what still stops the announcement: it follows the agenda.
        context = detail_context(request, meeting, **extra)
        html = render_to_string("meetings/meeting_detail.html#agenda", context, request)
        html += render_to_string("meetings/meeting_detail.html#manage", {**context, "oob": True},
                                 request)  # fmt: skip
        return HttpResponse(html, status=status)
    if status != 200:
        context = detail_context(request, meeting, **extra)
        return render(request, "meetings/meeting_detail.html", context, status=status)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda")


def refused(request, meeting, error: services.MeetingError):
    if not request.htmx:
        messages.error(request, " ".join(error.messages))
    return agenda_answer(request, meeting, agenda_error=" ".join(error.messages))


@require_POST
@login_required
def agenda_add(request, pk):
    meeting = meeting_for(request, pk, "meetings.manage_meeting")
    form = AgendaItemForm(request.POST, request.FILES, meeting=meeting)
    if not form.is_valid():
        return agenda_answer(
            request, meeting, agenda_form=form, status=200 if request.htmx else 400
        )
    try:
        services.add_agenda_item(meeting, **form.item_fields())
    except services.MeetingError as error:
        return refused(request, meeting, error)
    return agenda_answer(request, meeting, focus_button="add")


@login_required
def agenda_edit(request, pk):
    item = item_for(request, pk)
    # Its own ids: the add form is on the same page.
    form = AgendaItemForm(request.POST or None, request.FILES or None, instance=item,
                          meeting=item.meeting, auto_id=f"id_item{item.pk}_%s")  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agenda_item(
                item, **form.item_fields(), clear_document=form.cleaned_data.get("clear_document")
            )
        except services.MeetingError as error:
            return refused(request, item.meeting, error)
        return agenda_answer(request, item.meeting, focus_item=item.pk, focus_button="edit")
    form.fields["title"].widget.attrs["autofocus"] = True
    context = {"form": form, "item": item, "meeting": item.meeting}
    if not request.htmx:
        return render(request, "meetings/agenda_item_form.html", context)
    response = render(request, "meetings/agenda_item_form.html#form", context)
    return reswap(retarget(response, f"#item-{item.pk}"), "outerHTML")


@require_POST
@login_required
def agenda_delete(request, pk):
    item = item_for(request, pk)
    try:
        services.delete_agenda_item(item)
    except services.MeetingError as error:
        return refused(request, item.meeting, error)
    return agenda_answer(request, item.meeting, focus_button="add")


@require_POST
@login_required
def agenda_move(request, pk):
    item = item_for(request, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return agenda_answer(request, item.meeting, status=400)
    try:
        services.move_agenda_item(item, offset=-1 if direction == "up" else 1)
    except services.MeetingError as error:
        return refused(request, item.meeting, error)
    return agenda_answer(request, item.meeting, focus_item=item.pk, focus_button=direction)
