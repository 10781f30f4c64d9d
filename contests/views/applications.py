"""Applications: applying, the chair's list and decision, files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo import pipeline
from rumo.access import permission_required

from .. import pdf, services
from ..forms import ApplicationForm, RejectForm
from ..models import Application
from .common import PAGE_SIZE, application_for, contest_for, errors_to_messages, member_of


@permission_required("contests.apply", contest_for)
def apply(request, pk):
    contest = contest_for(request, pk)
    member = member_of(request)
    try:
        services.check_window(contest)
    except ValidationError as error:
        return render(
            request, "contests/apply.html", {"contest": contest, "closed": error.messages[0]}
        )
    regulation = contest.approved_regulation
    form = ApplicationForm(request.POST or None, request.FILES or None, regulation=regulation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.submit_application(
                contest,
                member,
                nomination=data["nomination"],
                files=data["files"],
                consent=data["consent"],
                participant_name=data["participant_name"],
                work_title=data["work_title"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # by field when the error names fields
        else:
            messages.success(request, _("Заявка подана. Статус виден на этой странице."))
            return redirect(application)
    return render(
        request, "contests/apply.html", {"contest": contest, "regulation": regulation, "form": form}
    )


@permission_required("contests.manage_contest", contest_for)
def application_list(request, pk):
    contest = contest_for(request, pk)
    applications = contest.applications.select_related(
        "nomination", "applicant", "organization"
    ).prefetch_related("files")
    status = request.GET.get("status", "")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contests/application_list.html",
        {
            "contest": contest,
            "page": page,
            "status": status,
            "query": f"status={status}" if status else "",
            "statuses": Application.Status.choices,
        },
    )


@permission_required("contests.read_application", application_for)
def application_detail(request, pk):
    application = application_for(request, pk)
    can_manage = request.user.has_perm("contests.manage_contest", application.contest)
    return render(
        request,
        "contests/application_detail.html",
        {
            "application": application,
            "contest": application.contest,
            "can_manage": can_manage,
            "reject_form": RejectForm(),
            "files": application.files.all(),
            "diploma": diploma_panel(request.user, application),
        },
    )


def diploma_panel(user, application) -> dict | None:
    kind = pdf.DIPLOMA
    application = pdf.load_application(application.pk)
    if not (kind.exists(application) and kind.may_read(user, application)):
        return None
    return pipeline.panel(kind, application, user)


@require_POST
@permission_required("contests.manage_contest", application_for)
def application_decide(request, pk):
    application = application_for(request, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_application(
            application, accept=accept, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Заявка принята.") if accept else _("Заявка отклонена."))
    return redirect(application)


@permission_required("contests.read_application", application_for)
def application_file(request, pk, file_pk):
    application = application_for(request, pk)
    item = get_object_or_404(application.files, pk=file_pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
