from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin, ObjectPermissionsTabularInline

from .models import (
    AccessLog,
    Association,
    Award,
    Campaign,
    CouncilElection,
    Course,
    DeletionRequest,
    Member,
    Membership,
    Organization,
)


class MembershipInline(ObjectPermissionsTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["association"]


class CourseInline(ObjectPermissionsTabularInline):
    model = Course
    extra = 0


class AwardInline(ObjectPermissionsTabularInline):
    model = Award
    extra = 0


@admin.register(Association)
class AssociationAdmin(ObjectPermissionsModelAdmin):
    list_display = ["name", "short_name", "parent", "city"]
    search_fields = ["name", "short_name"]
    list_filter = ["parent"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Organization)
class OrganizationAdmin(ObjectPermissionsModelAdmin):
    list_display = ["short_name", "name", "city"]
    search_fields = ["name", "short_name", "city"]
    list_filter = ["city"]


@admin.register(Member)
class MemberAdmin(ObjectPermissionsModelAdmin):
    list_display = ["full_name", "organization", "position", "email", "confirmed_at"]
    search_fields = ["last_name", "first_name", "patronymic", "email", "organization__short_name"]
    list_filter = ["memberships__association", "memberships__role", "category", "organization"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["user"]
    inlines = [MembershipInline, CourseInline, AwardInline]

    @admin.display(description="ФИО", ordering="last_name")
    def full_name(self, obj):
        return obj.full_name


@admin.register(Membership)
class MembershipAdmin(ObjectPermissionsModelAdmin):
    list_display = ["member", "association", "role", "start", "end"]
    list_filter = ["association", "role"]
    search_fields = ["member__last_name", "member__first_name", "association__short_name"]
    autocomplete_fields = ["member", "association"]


@admin.register(Campaign)
class CampaignAdmin(ObjectPermissionsModelAdmin):
    list_display = ["title", "association", "opened_at", "due_date", "closed_at"]
    list_filter = ["association"]


@admin.register(CouncilElection)
class CouncilElectionAdmin(ObjectPermissionsModelAdmin):
    list_display = ["association", "year", "elected_on", "term_start", "term_end", "basis"]
    list_filter = ["association"]


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ObjectPermissionsModelAdmin):
    list_display = ["member", "requested_at", "completed_at"]
    raw_id_fields = ["member"]


@admin.register(AccessLog)
class AccessLogAdmin(ObjectPermissionsModelAdmin):
    """The access log is evidence: staff read it, nobody edits or deletes it."""

    list_display = ["at", "who", "action", "what"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
