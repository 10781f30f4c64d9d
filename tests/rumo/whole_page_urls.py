"""Rumo's URLs plus two views that only the whole-page cache tests need."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import RequestContext, Template
from django.urls import include, path

from rumo import page_cache

SCRIPT = Template(
    '<!doctype html><form method="post">{% csrf_token %}</form>'
    '<script nonce="{{ csp_nonce }}">document.title = "{{ request.user.username }}";</script>'
)


@page_cache.whole_page
def with_nonce(request):
    return HttpResponse(SCRIPT.render(RequestContext(request)))


def leave_message(request):
    messages.info(request, "Сообщение для проверки кэша")
    return redirect("home")


urlpatterns = [
    path("test/nonce/", with_nonce, name="test-nonce"),
    path("test/message/", leave_message, name="test-message"),
    path("", include("rumo.urls")),
]
