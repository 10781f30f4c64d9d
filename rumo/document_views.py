"""The pipeline's views: a document's panel (polled while it builds), its request, its file.

Apps route their own URLs here with ``kind`` bound (plans/urls.py,
meetings/urls.py); a kind without URLs of its own uses /documents/<kind>/<pk>/.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_POST

from . import downloads, pipeline

PANEL = "documents/panel.html"


def target(request, kind: str, pk: int, *, allowed, light=False):
    """Return (kind, object) of a document the user may see; 404, login or 403 otherwise.

    ``light``: the object as the kind's ``access`` loads it (enough for its rules,
    ``exists`` and ``filename``), when it declares one.
    """
    document_kind = pipeline.KINDS.get(kind)
    if document_kind is None:
        raise Http404
    load = (light and document_kind.access) or document_kind.load
    try:
        obj = load(pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    if not document_kind.exists(obj):
        raise Http404
    if not allowed(document_kind)(request.user, obj):
        if not request.user.is_authenticated:
            raise Login
        raise PermissionDenied
    return document_kind, obj


class Login(Exception):
    """A visitor asked for what a member may see: send them to the login page."""


def login_on_refusal(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Login:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
@login_on_refusal
def status(request, kind, pk):
    """The document's panel: polled every 2 s by htmx while it is being built."""
    kind, obj = target(request, kind, pk, allowed=lambda k: k.may_read)
    return render(request, PANEL, {"doc": pipeline.panel(kind, obj, request.user)})


@require_POST
@login_on_refusal
def request_build(request, kind, pk):
    """Queue a build; never fails because the broker is down (the row waits, QUEUED)."""
    kind, obj = target(request, kind, pk, allowed=lambda k: k.requestable)
    row = pipeline.request_build(kind, obj)
    if request.htmx:
        return render(request, PANEL, {"doc": pipeline.panel(kind, obj, request.user, row)})
    return redirect(kind.page(obj))


@require_GET
@login_on_refusal
def download(request, kind, pk):
    """The built file, with ETag / Last-Modified, and 304 to a conditional request.

    The rights are checked before anything is answered, a 304 included. What a
    visitor may download of a kind with ``cache_visitor_access`` is remembered
    per build and content generation (rumo.downloads): no query at all.
    """
    document_kind = pipeline.KINDS.get(kind)
    if document_kind is None:
        raise Http404
    lookup = None
    if document_kind.cache_visitor_access and not request.user.is_authenticated:
        lookup = downloads.look_up(kind, pk)  # before the row is read
        if lookup and lookup.served and (response := serve(request, lookup.served)):
            return response
    document_kind, obj = target(request, kind, pk, allowed=lambda k: k.may_read, light=True)
    row = pipeline.build_row(document_kind, obj)
    served = downloads.Served.of(row, document_kind.filename(obj))
    response = serve(request, served) if served is not None else None
    if response is None:
        raise Http404
    if lookup:  # a visitor may read it: so may the next one, until the version moves
        downloads.remember(lookup, served)
    return response


def serve(request, served: downloads.Served) -> HttpResponse | None:
    """Answer with the file or a 304; None when the file is gone."""
    etag = f'"{served.sha256}"'
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(served.modified),
        # Revalidated on every use (the access rules may change), answered by a 304.
        "Cache-Control": "private, no-cache",
    }
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(served.modified), response=HttpResponse()
    )
    if not_modified.status_code == 304:
        for name, value in headers.items():
            not_modified[name] = value
        return not_modified
    try:
        handle = served.open()
    except FileNotFoundError:
        return None
    response = FileResponse(
        handle, as_attachment=True, filename=served.filename, content_type="application/pdf"
    )
    for name, value in headers.items():
        response[name] = value
    return response
