from django.urls import path, register_converter

from rumo import document_views as documents

from . import views
from .views import importing

app_name = "plans"


class PdfKind:
    """The draft or the signed PDF in a URL; the view receives the pipeline's kind name."""

    regex = "draft|signed"

    def to_python(self, value):
        return f"plans.{value}"

    def to_url(self, value):
        return str(value).removeprefix("plans.")


class PlanKey:
    """A plan in a URL: «2024», «2024-2025» (academic), «2024-06-03» (dates), «2024-2» (another)."""

    regex = r"\d{4}(?:-\d{2,4})?(?:-\d{1,2})?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(PdfKind, "pdfkind")
register_converter(PlanKey, "plankey")

urlpatterns = [
    # Reading (views/pages.py)
    path("", views.plan_list, name="list"),
    path("<slug:slug>/<plankey:key>/", views.plan_detail, name="detail"),
    path("<slug:slug>/<plankey:key>/r<int:number>/", views.revision_detail, name="revision"),
    path("<slug:slug>/<plankey:key>/diff/", views.revision_diff, name="diff"),
    # Editing a draft in place (views/editor.py)
    path("revision/<int:pk>/header/", views.header_edit, name="header-edit"),
    path("stamp/<int:pk>/edit/", views.stamp_edit, name="stamp-edit"),
    path("stamp/<int:pk>/delete/", views.stamp_delete, name="stamp-delete"),
    path("revision/<int:pk>/stamps/add/", views.stamp_add, name="stamp-add"),
    path("revision/<int:pk>/sections/add/", views.section_add, name="section-add"),
    path("section/<int:pk>/edit/", views.section_edit, name="section-edit"),
    path("section/<int:pk>/delete/", views.section_delete, name="section-delete"),
    path("section/<int:pk>/move/", views.section_move, name="section-move"),
    path("section/<int:pk>/items/add/", views.item_add, name="item-add"),
    path("item/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("item/<int:pk>/delete/", views.item_delete, name="item-delete"),
    path("item/<int:pk>/move/", views.item_move, name="item-move"),
    path("item/<int:pk>/execution/", views.item_execution, name="item-execution"),
    # Workflow, documents (views/workflow.py)
    path("new/", views.plan_create, name="create"),
    path("revision/<int:pk>/send/", views.revision_send, name="send"),
    path("revision/<int:pk>/agree/", views.revision_agree, name="agree"),
    path("revision/<int:pk>/approve/", views.revision_approve, name="approve"),
    path("revision/<int:pk>/return/", views.revision_return, name="return"),
    path("stamp/<int:pk>/paper/", views.stamp_paper, name="paper-sign"),
    path("stamp/<int:pk>/scan/", views.stamp_scan_download, name="stamp-scan"),
    path("<slug:slug>/<plankey:key>/new-revision/", views.revision_start, name="new-revision"),
    path("revision/<int:pk>/scan/", views.scan_upload, name="scan-upload"),
    path("revision/<int:pk>/scan/file/", views.scan_download, name="scan-download"),
    path(
        "revision/<int:pk>/pdf/<pdfkind:kind>/build/", documents.request_build, name="pdf-request"
    ),
    path("revision/<int:pk>/pdf/<pdfkind:kind>/", documents.status, name="pdf-status"),
    path("revision/<int:pk>/pdf/<pdfkind:kind>/file/", documents.download, name="pdf-download"),
    # Import from Word or pasted text, export to Word (views/importing.py)
    path("import/", importing.import_start, name="import"),
    path("import/preview/<str:token>/", importing.import_preview, name="import-preview"),
    path("revision/<int:pk>/docx/", importing.revision_docx, name="docx"),
]
