from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from . import dashboard


def home(request):
    """Show the dashboard to a signed-in user and the welcome page to anyone else."""
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
