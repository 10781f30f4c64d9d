"""A meeting's notices: announce it, see who was told and reminded, download its .ics."""

from functools import wraps

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from members.models import Member
from members.rules import is_chair, is_office_staff, is_secretary
from rumo import outbox
from rumo.access import deny

from . import ics, notify, services
from .models import AgendaItem, Meeting, Response
from .rules import reader

# Predicates on (user, meeting): rows of other associations stay closed.
may_send_notices = is_office_staff | is_chair | is_secretary
# The .ics shows what the meeting page shows: a planned meeting only to its managers.
may_read_meeting = reader


def meeting_view(predicate):
    """Pass the meeting to the view if ``predicate(user, meeting)`` holds."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, pk):
            meeting = get_object_or_404(Meeting.objects.select_related("association"), pk=pk)
            if predicate.test(request.user, meeting):
                return view(request, meeting)
            return deny(request)

        return wrapped

    return decorator


@meeting_view(may_send_notices)
def announce(request, meeting):
    if request.method == "POST":
        try:
            created = services.announce_meeting(meeting, by=getattr(request.user, "member", None))
        except services.MeetingError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("notices:announce", meeting.pk)
        if created:
            messages.success(request, _("Объявление отправляется: писем — %(n)s.") % {"n": created})
        else:
            messages.info(request, _("Эта версия объявления уже разослана всем участникам."))
        return redirect("notices:deliveries", meeting.pk)
    sent_versions = meeting.deliveries.filter(kind=notify.Kind.ANNOUNCEMENT)
    context = {
        "meeting": meeting,
        "problems": services.announce_problems(meeting),
        "recipients": list(notify.recipients(meeting).select_related("organization")),
        "already_sent": sent_versions.filter(slot=str(meeting.sequence)).exists(),
        "is_update": sent_versions.exclude(slot=str(meeting.sequence)).exists(),
    }
    return render(request, "meetings/notices/announce.html", context)


@meeting_view(may_send_notices)
def deliveries(request, meeting):
    rows = list(meeting.deliveries.order_by("due_at", "pk"))
    people = {member.pk: {"member": member, "notices": []} for member in
              notify.recipients(meeting).select_related("organization")}  # fmt: skip
    former = {row.recipient_id for row in rows} - set(people)
    for member in Member.objects.filter(pk__in=former).select_related("organization"):
        people[member.pk] = {"member": member, "notices": []}
    for row in rows:
        if row.recipient_id in people:
            people[row.recipient_id]["notices"].append(row)
    answers = dict(Response.objects.filter(meeting=meeting).values_list("member_id", "answer"))
    for pk, person in people.items():
        person["answer"] = answers.get(pk)
    context = {
        "meeting": meeting,
        "people": sorted(people.values(), key=lambda p: p["member"].full_name),
        "deliveries": outbox.deliveries(meeting.deliveries.all()),
        "kinds": notify.Kind,
        "without_email": [p["member"] for p in people.values() if not p["member"].email],
    }
    return render(request, "meetings/notices/deliveries.html", context)


@meeting_view(may_read_meeting)
def meeting_ics(request, meeting):
    if meeting.starts_at is None:
        raise Http404(_("У заседания ещё нет точной даты."))
    prefetch_related_objects(
        [meeting], Prefetch("agenda_items", queryset=AgendaItem.objects.with_speakers())
    )
    body = ics.feed_ics([meeting], name=ics.summary(meeting), private=True)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics.filename(meeting)}"'
    return response
