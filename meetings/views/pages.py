"""Reading meetings: the list, the meeting page with its agenda and minutes, the answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo import page_cache, pipeline
from rumo.access import member_of
from rumo.public import until_next_meeting

from .. import pdf, services
from ..forms import AgendaItemForm, AnswerForm, MeetingFilterForm
from ..models import Meeting, Response
from ..rules import managed_associations, readable_associations, readable_meetings
from .lookup import item_for, meeting_for

PAGE_SIZE = 20
UPCOMING_ORDER = [
    "year",
    F("planned_month").asc(nulls_last=True),
    F("starts_at").asc(nulls_last=True),
    "number",
]
PAST_ORDER = [
    "-year",
    F("planned_month").desc(nulls_last=True),
    F("starts_at").desc(nulls_last=True),
    "-number",
]


def with_list_data(meetings, member):
    """Add what a list row shows: the association, the agenda size and the user's answer."""
    answer = Response.objects.filter(meeting=OuterRef("pk"), member=member).values("answer")
    return meetings.select_related("association").annotate(
        agenda_count=Count("agenda_items"),
        my_answer=Subquery(answer[:1]) if member else Subquery(answer.none()),
    )


def without(params, name: str) -> str:
    query = params.copy()
    query.pop(name, None)
    return query.urlencode()


@login_required
@page_cache.whole_page(params=("association", "page", "upcoming"), depends=page_cache.CONTENT_ONLY)
def meeting_list(request):
    until_next_meeting(request)  # a meeting that starts moves from upcoming to past
    form = MeetingFilterForm(request.GET or None, associations=readable_associations(request.user))
    meetings = readable_meetings(request.user)
    if form.is_valid() and form.cleaned_data["association"]:
        meetings = meetings.filter(association=form.cleaned_data["association"])
    meetings = with_list_data(meetings, member_of(request.user))
    page = Paginator(meetings.past().order_by(*PAST_ORDER), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Upcoming meetings are paged too (?upcoming=N): ten years of plans may date hundreds.
    upcoming = Paginator(meetings.upcoming().order_by(*UPCOMING_ORDER), PAGE_SIZE).get_page(
        request.GET.get("upcoming")
    )
    context = {
        "form": form,
        "upcoming": list(upcoming) if page.number == 1 else [],
        "upcoming_page": upcoming,
        "upcoming_query": without(request.GET, "upcoming"),
        "page": page,
        "query": without(request.GET, "page"),
        "can_create": managed_associations(request.user).exists(),
    }
    return render(request, "meetings/meeting_list.html", context)


@login_required
@page_cache.whole_page
def meeting_detail(request, pk):
    meeting = meeting_for(request, pk, agenda=True)
    context = detail_context(request, meeting)
    if meeting.starts_at and not meeting.has_started:
        page_cache.valid_until(request, meeting.starts_at)  # answers close, minutes open
    if any(panel["busy"] for panel in panels(context["documents"])):
        page_cache.no_store(request, "a document is being built")
    return render(request, "meetings/meeting_detail.html", context)


def panels(documents: dict):
    """Every document panel of the meeting page (agenda, minutes, extracts)."""
    for name, value in documents.items():
        if name == "extracts":
            yield from value.values()
        else:
            yield value


def detail_context(request, meeting: Meeting, **extra) -> dict:
    """Return everything the meeting page (and its fragments) show."""
    user = request.user
    can_manage = user.has_perm("meetings.manage_meeting", meeting)
    member = member_of(user)
    context = {
        "meeting": meeting,
        "items": list(meeting.agenda_items.all()),
        "can_manage": can_manage,
        "agenda_editable": can_manage and not meeting.is_cancelled and not meeting.minutes_approved,
        "can_answer": user.has_perm("meetings.answer_meeting", meeting),
        "my_answer": answer_of(meeting, member),
        "show_minutes": meeting.is_held and user.has_perm("meetings.read_minutes", meeting),
        "documents": documents_of(request, meeting),
    }
    if meeting.is_held:
        context["quorum"] = services.quorum_of(meeting)
    if can_manage:
        context.update(manager_context(meeting))
    if context["agenda_editable"] and "agenda_form" not in extra:
        context["agenda_form"] = form = AgendaItemForm(meeting=meeting)
        if extra.get("focus_button") == "add":  # keep the keyboard where the user typed
            form.fields["title"].widget.attrs["autofocus"] = True
    for item in context["items"]:
        item.extract = context["documents"].get("extracts", {}).get(item.pk)
    return {**context, **extra}


def answer_of(meeting: Meeting, member) -> str | None:
    if member is None:
        return None
    return meeting.responses.filter(member=member).values_list("answer", flat=True).first()


def manager_context(meeting: Meeting) -> dict:
    counts = dict(meeting.responses.values_list("answer").annotate(n=Count("pk")))
    return {
        "manage_actions": bool(meeting.announced_at)
        or not (meeting.is_cancelled or meeting.minutes_approved),
        "answers": {"yes": counts.get("yes", 0), "no": counts.get("no", 0)},
        "announce_problems": services.announce_problems(meeting),
        "approval_problems": services.approval_problems(meeting) if meeting.is_held else [],
    }


def documents_of(request, meeting: Meeting) -> dict:
    """Return the panels of the agenda and minutes PDFs and of each extract."""
    user = request.user
    items = list(meeting.agenda_items.all())
    rows = pipeline.rows_for([pdf.AGENDA, pdf.MINUTES], [meeting]) | pipeline.rows_for(
        [pdf.EXTRACT], items
    )

    def panel(kind, obj):
        return pipeline.panel(kind, obj, user, rows.get((kind.name, obj.pk)), fetch=False)

    result = {"agenda": panel(pdf.AGENDA, meeting)}
    if meeting.is_held and user.has_perm("meetings.read_minutes", meeting):
        result["minutes"] = panel(pdf.MINUTES, meeting)
        if meeting.minutes_approved:
            result["extracts"] = {item.pk: panel(pdf.EXTRACT, item) for item in items}
    return result


@require_POST
@login_required
def answer(request, pk):
    meeting = meeting_for(request, pk, "meetings.answer_meeting")
    form = AnswerForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.answer_meeting(
                meeting, member=member_of(request.user), answer=form.cleaned_data["answer"]
            )
        except services.MeetingError as refused:
            error = " ".join(refused.messages)
    else:
        error = _("Выберите ответ.")
    if request.htmx:
        context = detail_context(request, meeting, answer_error=error, answered=error is None)
        return render(request, "meetings/meeting_detail.html#answer", context)
    if error:
        messages.error(request, error)
    return redirect(meeting)


@login_required
def agenda_file(request, pk):
    item = item_for(request, pk, "meetings.read_meeting")
    if not item.document:
        raise Http404
    try:
        handle = item.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = item.document.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
