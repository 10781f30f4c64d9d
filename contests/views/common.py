"""What the contest views share: object loaders for permission checks, small helpers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from ..models import Application, Contest, Regulation

PAGE_SIZE = 20


def contest_for(request, pk, **kwargs):
    return get_object_or_404(Contest, pk=pk)


def regulation_for(request, pk, **kwargs):
    return get_object_or_404(Regulation.objects.select_related("contest"), pk=pk)


def application_for(request, pk, **kwargs):
    return get_object_or_404(
        Application.objects.select_related("contest", "nomination", "applicant", "organization"),
        pk=pk,
    )


def member_of(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied
    return member


def errors_to_messages(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)
