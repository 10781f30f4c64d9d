"""Who got which e-mail about a contest: the outbox rows of the contest, its regulations
and its applications, for its chair and staff."""

from django.db.models import Count
from django.shortcuts import render

from rumo import outbox, page_cache
from rumo.access import permission_required

from .. import notifications
from ..models import Contest
from .common import contest_for


def deliveries_version(contest_pk: int) -> tuple:
    return page_cache.rows_version(notifications.about_contest(Contest(pk=contest_pk)))


@page_cache.whole_page(params=("kind",))
@permission_required("contests.manage_contest", contest_for)
def deliveries(request, pk):
    contest = contest_for(request, pk)
    # The workers' writes to the outbox move no generation: checked on each hit.
    page_cache.checked_by(request, deliveries_version, contest.pk)
    rows = notifications.about_contest(contest)
    counts = dict(
        rows.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    kinds = [
        (kind, label, counts[kind]) for kind, label in notifications.KINDS.items() if kind in counts
    ]
    kind = request.GET.get("kind", "")
    if kind in counts:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    return render(
        request,
        "contests/deliveries.html",
        {
            "contest": contest,
            "kinds": kinds,
            "kind": kind,
            "total": sum(counts.values()),
            "deliveries": outbox.deliveries(rows),
        },
    )
