from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import DocumentBuild, IssuedDocument, OutboxMessage


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """The register is append-only: rows come from issue_document() and are never edited."""

    list_display = ["register_number", "title", "kind", "status", "issued_at", "signed", "is_draft"]
    list_filter = ["status", "kind", "signed", "is_draft"]
    search_fields = ["register_number", "title", "code", "sha256", "source"]
    date_hierarchy = "issued_at"
    readonly_fields = [
        "register_number",
        "code",
        "status",
        "verification_page",
        "kind",
        "title",
        "source",
        "file",
        "sha256",
        "signed",
        "signers",
        "issued_at",
        "document_date",
        "content_version",
        "is_draft",
    ]
    fields = readonly_fields

    @admin.display(description=_("страница проверки"))
    def verification_page(self, document):
        return format_html('<a href="{}">{}</a>', document.get_absolute_url(), document.code)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentBuild)
class DocumentBuildAdmin(admin.ModelAdmin):
    """The pipeline's build states: read-only; a failed build is asked for again on its page."""

    list_display = ["kind", "object_id", "state", "issued", "requested_at", "built_at"]
    list_filter = ["state", "kind"]
    search_fields = ["kind", "sha256", "issued__register_number"]
    readonly_fields = [field.name for field in DocumentBuild._meta.fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Every e-mail Rumo sends; rows are written by the services and the workers only."""

    list_display = ["subject", "to_email", "kind", "state", "due_at", "sent_at", "attempts"]
    list_filter = ["state", "kind"]
    search_fields = ["to_email", "to_name", "subject", "message_id", "key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
