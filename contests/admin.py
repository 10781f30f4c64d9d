from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import Contest


@admin.register(Contest)
class ContestAdmin(ObjectPermissionsModelAdmin):
    list_display = ["title", "year", "level", "status"]
    list_filter = ["year", "level", "status", "organizers"]
    search_fields = ["title"]
    filter_horizontal = ["organizers"]
