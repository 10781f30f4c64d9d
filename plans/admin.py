from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin, ObjectPermissionsTabularInline

from .models import Item, Plan, Revision, Section, Stamp


class RevisionInline(ObjectPermissionsTabularInline):
    model = Revision
    extra = 0
    fields = ["number", "status", "approved_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ObjectPermissionsModelAdmin):
    list_display = ["__str__", "association", "year"]
    list_filter = ["association", "year"]
    search_fields = ["association__name"]
    inlines = [RevisionInline]


class StampInline(ObjectPermissionsTabularInline):
    model = Stamp
    extra = 0
    fields = ["kind", "side", "position", "person_name", "signed_on", "on_paper", "scan"]


class SectionInline(ObjectPermissionsTabularInline):
    model = Section
    extra = 0
    fields = ["position", "kind", "title"]
    show_change_link = True


@admin.register(Revision)
class RevisionAdmin(ObjectPermissionsModelAdmin):
    list_display = ["__str__", "status", "sent_at", "approved_at"]
    list_filter = ["status", "plan__association", "plan__year"]
    inlines = [StampInline, SectionInline]


class ItemInline(ObjectPermissionsTabularInline):
    model = Item
    extra = 0
    fields = ["position", "text", "timing", "place", "responsible", "execution"]


@admin.register(Section)
class SectionAdmin(ObjectPermissionsModelAdmin):
    list_display = ["title", "revision", "kind", "position"]
    list_filter = ["kind"]
    inlines = [ItemInline]
