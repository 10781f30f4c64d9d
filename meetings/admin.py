from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin, ObjectPermissionsTabularInline

from .models import AgendaItem, Meeting


class AgendaItemInline(ObjectPermissionsTabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "speakers"]


@admin.register(Meeting)
class MeetingAdmin(ObjectPermissionsModelAdmin):
    list_display = ["__str__", "association", "status", "planned_month", "starts_at"]
    list_filter = ["association", "year", "status", "format"]
    search_fields = ["topic", "agenda_items__title"]
    inlines = [AgendaItemInline]
