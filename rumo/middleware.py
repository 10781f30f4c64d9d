"""Middleware of Rumo's own (the upload size limit lives in rumo/uploads.py)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url


class HtmxLoginRedirectMiddleware:
    """Send a logged-out htmx request to the login page as a whole page, not as a fragment.

    Without this, htmx follows the 302 to the login page and swaps the whole
    login page into the plan in place of the item being saved. With it, htmx
    gets ``HX-Redirect`` to the login page with ``next`` set to the page the
    person was on; static/js/rumo.js keeps what they were typing and offers it
    back after they sign in.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.login_path = urlsplit(resolve_url(settings.LOGIN_URL)).path

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code in (301, 302, 303)
            and urlsplit(response.get("Location", "")).path == self.login_path
        ):
            page = urlsplit(request.headers.get("HX-Current-URL", ""))
            same_site = not page.netloc or page.netloc == request.get_host()
            back = page.path if page.path and same_site else request.path
            if page.query and same_site:
                back += "?" + page.query
            login = redirect_to_login(back)["Location"]
            response = HttpResponse(status=200)
            response["HX-Redirect"] = login
        return response
