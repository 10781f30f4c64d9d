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

from . import pipeline

PANEL = "documents/panel.html"


def target(request, kind: str, pk: int, *, allowed):
    """Return (kind, object) of a document the user may see; 404, login or 403 otherwise."""
    document_kind = pipeline.KINDS.get(kind)
    if document_kind is None:
        raise Http404
    try:
        obj = document_kind.load(pk)
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
    """The built file, with ETag / Last-Modified, and 304 to a conditional request."""
    kind, obj = target(request, kind, pk, allowed=lambda k: k.may_read)
    row = pipeline.build_row(kind, obj)
    field = row.stored_file if row is not None else None
    if not field or not row.sha256:
        raise Http404
    etag = f'"{row.sha256}"'
    modified = (row.issued.issued_at if row.issued_id else row.built_at) or row.requested_at
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(modified.timestamp()),
        # Revalidated on every use (the access rules may change), answered by a 304.
        "Cache-Control": "private, no-cache",
    }
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(modified.timestamp()), response=HttpResponse()
    )
    if not_modified.status_code == 304:
        for name, value in headers.items():
            not_modified[name] = value
        return not_modified
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=kind.filename(obj), content_type="application/pdf"
    )
    for name, value in headers.items():
        response[name] = value
    return response
