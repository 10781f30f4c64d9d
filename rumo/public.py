"""The public face: an association's page and the schedule of meetings, open to anyone.

Only what is published anyway is shown: approved plans, announced meetings
without the links and files meant for members (the call link, agenda
materials, answers), contests whose regulations were approved and results
that were published. Everything is read with a fixed number of queries.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from contests.models import Contest, Regulation
from meetings.models import AgendaItem, Meeting
from members.models import Association
from plans.models import Revision
from rumo import page_cache

SCHEDULE_PAGE_SIZE = 20
MEETINGS_ON_ASSOCIATION_PAGE = 10


def until_next_meeting(request) -> None:
    """A cached page listing upcoming meetings is right until the next one starts
    (it then moves to the past; undated ones move at a new month, with the date)."""
    soonest = next_meeting_start()
    if soonest is not None:
        page_cache.valid_until(request, soonest)


def next_meeting_start():
    """Return when the next meeting starts (None: no dated meeting ahead), cached until then."""

    def build():
        now = timezone.now()
        return Meeting.objects.filter(starts_at__gte=now).aggregate(at=Min("starts_at"))["at"] or ""

    soonest = page_cache.cached(
        ("next-meeting-start",), build, 3600, fresh=lambda at: not at or at >= timezone.now()
    )
    return soonest or None


def public_meetings() -> QuerySet[Meeting]:
    """Upcoming meetings as the public may see them: announced, or announced then cancelled.

    A planned meeting is still a draft (its members do not see it either).
    Agenda questions come with their titles only: speakers and files stay inside.
    """
    titles = AgendaItem.objects.order_by("position", "pk").only("pk", "meeting_id", "title")
    return (
        Meeting.objects.upcoming()
        .filter(
            Q(status=Meeting.Status.ANNOUNCED)
            | Q(status=Meeting.Status.CANCELLED, announced_at__isnull=False)
        )
        .select_related("association")
        .prefetch_related(Prefetch("agenda_items", queryset=titles))
        .order_by(
            F("starts_at").asc(nulls_last=True),
            "year",
            F("planned_month").asc(nulls_last=True),
            "association__name",
            "number",
        )
    )


def approved_plans(association: Association) -> list[Revision]:
    """The approved revision in force of each plan, the newest period first."""
    revisions = (
        Revision.objects.filter(plan__association=association, status=Revision.Status.APPROVED)
        .select_related("plan__association")
        .order_by("-plan__starts_on", "plan__name", "-number")
    )
    in_force: dict[int, Revision] = {}
    for revision in revisions:
        in_force.setdefault(revision.plan_id, revision)
    return list(in_force.values())


def public_contests(association: Association) -> list[Contest]:
    """Contests the association organises whose regulations were approved, newest first."""
    approved = Regulation.objects.filter(status=Regulation.Status.APPROVED).order_by("-number")
    contests = (
        Contest.objects.filter(organizers=association, is_external=False)
        .filter(
            Exists(
                Regulation.objects.filter(contest=OuterRef("pk"), status=Regulation.Status.APPROVED)
            )
        )
        .prefetch_related(Prefetch("regulations", queryset=approved, to_attr="approved_list"))
        .order_by("-year", "title")
    )
    result = []
    for contest in contests:
        contest.regulation_in_force = contest.approved_list[0]
        result.append(contest)
    return result


def feed_links(request, association: Association | None = None) -> dict:
    """The public calendar feed to subscribe to: one association's, or everyone's."""
    path = reverse("notices:public-feed")
    if association is not None:
        path += "?" + urlencode({"association": association.slug})
    url = request.build_absolute_uri(path)
    return {
        "feed_association": association,
        "feed_path": path,
        "feed_url": url,
        "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://"),
    }


@require_safe
@page_cache.whole_page(depends=page_cache.CONTENT_ONLY)
def association_page(request, slug):
    until_next_meeting(request)
    association = Association.objects.select_related("parent").filter(slug=slug).first()
    if association is None:  # the Russian page, with DEBUG on too
        return render(request, "404.html", status=404)
    meetings = public_meetings().filter(association=association)
    context = {
        "association": association,
        "children": list(association.children.order_by("name")),
        "plans": approved_plans(association),
        "meetings": list(meetings[: MEETINGS_ON_ASSOCIATION_PAGE + 1]),
        "meetings_limit": MEETINGS_ON_ASSOCIATION_PAGE,
        "contests": public_contests(association),
        **feed_links(request, association),
    }
    return render(request, "public/association.html", context)


@require_safe
@page_cache.whole_page(params=("association", "page"), depends=page_cache.CONTENT_ONLY)
def meeting_schedule(request):
    """Every association's upcoming meetings, the soonest first, a page at a time."""
    until_next_meeting(request)
    associations = list(Association.objects.order_by("name"))
    meetings = public_meetings()
    chosen = next((a for a in associations if a.slug == request.GET.get("association")), None)
    if chosen is not None:
        meetings = meetings.filter(association=chosen)
    page = Paginator(meetings, SCHEDULE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "associations": associations,
        "chosen": chosen,
        "query": f"association={chosen.slug}" if chosen else "",
        **feed_links(request, chosen),
    }
    return render(request, "public/schedule.html", context)
