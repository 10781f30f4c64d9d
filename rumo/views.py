import logging

from axes.helpers import get_client_ip_address
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from . import dashboard, page_cache
from .accounts import reset_allowed
from .forms import OutboxPasswordResetForm
from .public import until_next_meeting

log = logging.getLogger(__name__)


@page_cache.whole_page(depends=page_cache.CONTENT_ONLY)
def home(request):
    """Show the dashboard to a signed-in user and the welcome page to anyone else."""
    until_next_meeting(request)  # both list upcoming meetings
    if not request.user.is_authenticated:
        return render(request, "rumo/welcome.html", dashboard.public_context())
    return render(request, "rumo/home.html", dashboard.cached_user_context(request.user))


def healthz(request):
    """Answer "ok" without touching the database: a load balancer's liveness check.

    It goes through the same middleware as every page, so the benchmark
    (bench/run.py) measures pages as multiples of it.
    """
    response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the database may be the thing that failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link: the same answer and the same work whatever the address.

    The request only counts itself (``reset_allowed``: per address and per
    client) and hands the address to a background task, which looks it up and
    writes the e-mail to the outbox. Past the limits it hands over nothing and
    still shows the same page.
    """

    form_class = OutboxPasswordResetForm

    def form_valid(self, form):
        from .tasks import password_reset_task

        email = form.cleaned_data["email"]
        # The client address as the login lockout (axes) sees it, proxies included.
        if reset_allowed(email, get_client_ip_address(self.request)):
            try:
                password_reset_task.delay(email)
            except Exception:
                # The broker is down: do the lookup here rather than lose the request.
                # The e-mail is an outbox row either way, sent by the sweep once the
                # workers are back; only during an outage does the answer take longer.
                log.exception("Could not hand a password reset request to the workers")
                password_reset_task(email)
        return HttpResponseRedirect(self.get_success_url())
