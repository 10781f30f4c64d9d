"""The diplomas of a contest as a batch: progress while the worker builds them, the ZIP."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from rumo.access import permission_required

from .. import diplomas, services
from .common import contest_for

PARTIAL = "contests/includes/diplomas.html"


def approved_contest(request, pk):
    contest = contest_for(request, pk)
    if not contest.results_approved_at:
        raise Http404
    return contest


def results_url(contest) -> str:
    return reverse("contests:results", args=[contest.pk]) + "#diplomas"


@require_GET
@permission_required("contests.manage_contest", contest_for)
def diplomas_status(request, pk):
    """The batch's progress, polled every 2 s while diplomas are being built."""
    contest = approved_contest(request, pk)
    batch = diplomas.batch(contest)
    if request.htmx and not batch.busy and request.GET.get("polling"):
        # The last diploma is built: the page reloads once to list every file.
        return HttpResponseClientRefresh()
    return render(request, PARTIAL, {"batch": batch, "contest": contest})


@require_POST
@permission_required("contests.manage_contest", contest_for)
def diplomas_request(request, pk):
    """Queue every diploma that is neither built nor being built (after a failure)."""
    contest = approved_contest(request, pk)
    services.request_diplomas(contest)
    messages.info(request, _("Недостающие дипломы поставлены в очередь."))
    return redirect(results_url(contest))


@require_GET
@permission_required("contests.manage_contest", contest_for)
def diplomas_zip(request, pk):
    """Every diploma and certificate of the contest in one ZIP, once all are built."""
    contest = approved_contest(request, pk)
    batch = diplomas.batch(contest)
    if not batch.complete:
        messages.warning(
            request,
            _(
                "Архив будет доступен, когда сформируются все дипломы: "
                "готово %(ready)s из %(total)s."
            )
            % {"ready": batch.ready, "total": batch.total},
        )
        return redirect(results_url(contest))
    etag = f'"{batch.etag}"'
    modified = int(batch.built_at.timestamp())
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "Cache-Control": "private, no-cache",
    }
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=modified, response=HttpResponse()
    )
    if not_modified.status_code == 304:
        for name, value in headers.items():
            not_modified[name] = value
        return not_modified
    try:
        archive = diplomas.write_zip(batch)
    except FileNotFoundError:
        messages.error(
            request,
            _("Файл одного из дипломов не найден в хранилище. Сообщите администратору портала."),
        )
        return redirect(results_url(contest))
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=diplomas.archive_name(contest),
        content_type="application/zip",
    )
    for name, value in headers.items():
        response[name] = value
    return response
