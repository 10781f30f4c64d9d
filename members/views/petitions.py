"""Award petitions: select the members to put forward, write their merits, print the PDF."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo import document_views as documents
from rumo import page_cache, pipeline
from rumo.access import permission_required

from .. import nominees, services
from ..forms_databank import MeritsForm, PetitionForm
from ..models import AccessLog, AwardPetition, Member
from ..pdf import KNOWN_ROWS, PETITION
from ..petitions import missing_reasons, petition_rows
from .common import association_by_slug, once_per_request


def petition_by_pk(request, pk, **kwargs):
    petitions = AwardPetition.objects.select_related("association")
    return once_per_request(request, ("petition", pk), lambda: get_object_or_404(petitions, pk=pk))


@permission_required("members.manage_databank", fn=association_by_slug)
def petitions(request, slug):
    association = association_by_slug(request, slug)
    rows = (
        association.award_petitions.select_related("created_by__member")
        .annotate(nominee_count=Count("nominees"))
        .order_by("-created_at", "-pk")
    )
    context = {"association": association, "petitions": rows}
    return render(request, "members/petitions.html", context)


@permission_required("members.manage_databank", fn=association_by_slug)
@page_cache.whole_page(depends=page_cache.CONTENT_ONLY)
def petition_create(request, slug):
    association = association_by_slug(request, slug)
    return petition_form(request, association, AwardPetition(association=association))


@permission_required("members.manage_databank", fn=petition_by_pk)
@page_cache.whole_page(depends=page_cache.CONTENT_ONLY)
def petition_edit(request, pk):
    petition = petition_by_pk(request, pk)
    return petition_form(request, petition.association, petition)


# Buttons of the nominee picker: each re-renders the form with what was typed, saving
# nothing ("refresh" is the form's first, hidden button: Enter in a field presses it).
PICKER_STEPS = ("add", "search", "page", "refresh")


def petition_form(request, association, petition):
    step = request.method == "POST" and any(name in request.POST for name in PICKER_STEPS)
    if request.method == "POST" and not step:
        form = PetitionForm(request.POST, instance=petition, association=association)
        if form.is_valid():
            data, existing = form.cleaned_data, petition if petition.pk else None
            saved = services.save_petition(
                association, award=data["award"], addressee=data["addressee"],
                members=data["members"], by=request.user, petition=existing,
            )  # fmt: skip
            messages.success(request, _("Список представленных к награде сохранён."))
            return redirect(saved.get_absolute_url())
    else:
        typed = {k: request.POST[k] for k in ("award", "addressee") if k in request.POST}
        form = PetitionForm(instance=petition, association=association, initial=typed)
    context = {
        "association": association,
        "petition": petition,
        "form": form,
        "picker": picker_of(request, association, petition),
    }
    template = "members/petition_form.html"
    return render(request, template + "#picker" if request.htmx else template, context)


def picker_of(request, association, petition) -> nominees.Picker:
    """The nominees as the form posted them (or as saved), and the results to show."""
    if request.method == "POST":
        chosen = nominees.posted_ids(request.POST.getlist("members"))
    else:
        chosen = Member.objects.filter(nominations__petition=petition) if petition.pk else []
    step = next((name for name in PICKER_STEPS if name in request.POST), "")
    if step in ("search", "refresh"):  # a new search starts on its first page
        page = 1
    else:  # a page's button, or the page shown (adding keeps it)
        page = request.POST.get("page") or request.POST.get("results_page")
    picked = nominees.picker(
        association, chosen, query=request.POST.get("q", ""), page=page,
        add=nominees.as_id(request.POST.get("add", "")), on=timezone.localdate(),
    )  # fmt: skip
    picked.step = step
    return picked


def record_view(request, pk):
    petition = petition_by_pk(request, pk)
    services.log_access(request.user, action=AccessLog.Action.VIEW_PETITION,
                        association=petition.association, what=str(petition)[:255])  # fmt: skip


@permission_required("members.manage_databank", fn=petition_by_pk)
# Kept whole per reader; every view, kept or rendered, is recorded in the access log.
@page_cache.whole_page(on_hit=record_view)
def petition_detail(request, pk):
    petition = petition_by_pk(request, pk)
    today = timezone.localdate()
    rows = petition_rows(petition, on=today)
    form = MeritsForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.write_merits(petition, form.reasons())
        messages.success(request, _("Заслуги сохранены."))
        return redirect(petition.get_absolute_url())
    setattr(petition, KNOWN_ROWS, (today, rows))  # the PDF panel's version reads them
    record_view(request, pk)
    context = {
        "petition": petition,
        "association": petition.association,
        "rows": [(row, form.field_of(row.member_id)) for row in rows],
        "form": form,
        "missing": missing_reasons(rows),
        "pdf": pipeline.panel(PETITION, petition, request.user),
    }
    return render(request, "members/petition_detail.html", context)


@require_POST
@permission_required("members.manage_databank", fn=petition_by_pk)
def petition_delete(request, pk):
    petition = petition_by_pk(request, pk)
    slug = petition.association.slug
    services.delete_petition(petition)
    messages.success(request, _("Ходатайство удалено."))
    return redirect("members:petitions", slug=slug)


# The petition as a PDF: the document pipeline's views (rumo.document_views).


def petition_pdf(request, pk):
    return documents.status(request, PETITION.name, pk)


def petition_pdf_request(request, pk):
    return documents.request_build(request, PETITION.name, pk)


def petition_pdf_file(request, pk):
    response = documents.download(request, PETITION.name, pk)
    if response.status_code == 200:
        petition = petition_by_pk(request, pk)
        services.log_access(request.user, action=AccessLog.Action.EXPORT_PETITION_PDF,
                            association=petition.association, what=str(petition)[:255])  # fmt: skip
    return response
