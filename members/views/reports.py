"""The data-bank hub, the characteristics report with its charts, and the XLSX exports."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from rumo import document_views as documents
from rumo import page_cache, pipeline
from rumo.access import permission_required

from .. import services
from ..charts import bar_chart
from ..models import AccessLog, Association, Campaign, DeletionRequest
from ..pdf import KNOWN_VERSION, REPORT, report_fingerprint
from ..report_xlsx import characteristics_xlsx
from ..reports import cached_characteristics, staff_characteristics
from ..spreadsheets import export_members
from .common import association_by_slug, managed_associations, once_per_request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required("members.open_databank")
def databank(request):
    associations = list(managed_associations(request.user))
    running = {c.association_id: c for c in Campaign.objects.running()}
    context = {
        "rows": [(a, running.get(a.pk)) for a in associations],
        "open_requests": DeletionRequest.objects.open().count() if request.user.is_staff else 0,
    }
    return render(request, "members/databank.html", context)


def report_body(data) -> str:
    """The charts and tables of the report: the same for all who may open it."""
    sections = [
        (dimension, totals, colleges, bar_chart(str(dimension.title), totals))
        for dimension, totals, colleges in data.sections()
    ]
    return render_to_string("members/includes/report_body.html",
                            {"report": data, "sections": sections})  # fmt: skip


def report_page(association, on) -> dict:
    """What the page shows of the report: its headline, the PDF's version and the rendered
    charts and tables (counted in the database once per content generation, in
    cached_characteristics, which the PDF shares)."""
    data = cached_characteristics(association, on=on)
    return {
        "headcount": data.total.headcount,
        "version": report_fingerprint(association, data),
        "body": report_body(data),
    }


def report_lookup(request, slug, **kwargs) -> dict:
    """Return the association of the slug and its report page, cached whole per content
    generation and day: a warm page is one cache read, for the permission check and the view."""

    def load():
        on = timezone.localdate()
        entries = {
            "association": ("members.association", slug),
            "page": ("members.report.page", slug, on.isoformat()),
        }

        def build(names):
            association = get_object_or_404(Association, slug=slug)
            built = {"association": association}
            if "page" in names:
                built["page"] = report_page(association, on)
            return {name: built[name] for name in names}

        return {"on": on, **page_cache.cached_many(entries, build, 600)}

    return once_per_request(request, ("report", slug), load)


def report_association(request, slug, **kwargs):
    return report_lookup(request, slug)["association"]


def record_view(request, slug):
    association = report_association(request, slug)
    services.log_access(request.user, action=AccessLog.Action.VIEW_REPORT, association=association,
                        what=str(association))  # fmt: skip


@permission_required("members.manage_databank", fn=report_association)
# Kept whole per reader (it holds the PDF panel: content and documents); every view,
# kept or rendered, is recorded in the access log.
@page_cache.whole_page(on_hit=record_view)
def report(request, slug):
    lookup = report_lookup(request, slug)
    association, page, today = lookup["association"], lookup["page"], lookup["on"]
    setattr(association, KNOWN_VERSION, (today, page["version"]))
    record_view(request, slug)
    context = {
        "association": association,
        "on": today,
        "headcount": page["headcount"],
        "body": mark_safe(page["body"]),
        "pdf": pipeline.panel(REPORT, association, request.user),
    }
    return render(request, "members/report.html", context)


# The report as a PDF: the document pipeline's views (rumo.document_views) by the slug.


def report_pdf(request, slug):
    return documents.status(request, REPORT.name, association_by_slug(request, slug).pk)


def report_pdf_request(request, slug):
    return documents.request_build(request, REPORT.name, association_by_slug(request, slug).pk)


def report_pdf_file(request, slug):
    association = association_by_slug(request, slug)
    response = documents.download(request, REPORT.name, association.pk)
    if response.status_code == 200:
        services.log_access(request.user, action=AccessLog.Action.EXPORT_REPORT_PDF,
                            association=association, what=str(association))  # fmt: skip
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("members.manage_databank", fn=association_by_slug)
def report_xlsx(request, slug):
    association = association_by_slug(request, slug)
    today = timezone.localdate()
    content = characteristics_xlsx(staff_characteristics(association, on=today))
    services.log_access(request.user, action=AccessLog.Action.EXPORT_REPORT,
                        association=association, what=str(association))  # fmt: skip
    return xlsx_response(content, f"characteristics-{association.slug}-{today}.xlsx")


@permission_required("members.manage_databank", fn=association_by_slug)
def export(request, slug):
    association = association_by_slug(request, slug)
    content = export_members(association)
    services.log_access(request.user, action=AccessLog.Action.EXPORT_MEMBERS,
                        association=association, what=str(association))  # fmt: skip
    return xlsx_response(content, f"members-{association.slug}-{timezone.localdate()}.xlsx")
