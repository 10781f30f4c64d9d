"""What several data-bank views share: which associations a user manages, and lookups."""

from django.shortcuts import get_object_or_404

from ..models import Association
from ..rules import chaired_association_ids, is_office_staff

LOOKUPS = "_members_lookups"


def managed_associations(user):
    """Return the associations whose data bank the user runs (staff: all; chairs: theirs)."""
    associations = Association.objects.order_by("name")
    if is_office_staff(user):
        return associations
    return associations.filter(pk__in=chaired_association_ids(user))


def once_per_request(request, key, load):
    """Return ``load()``, loaded once per request under ``key``: the permission check
    (``permission_required(fn=...)``) and the view then share one query."""
    loaded = request.__dict__.setdefault(LOOKUPS, {})
    if key not in loaded:
        loaded[key] = load()
    return loaded[key]


def association_by_slug(request, slug, **kwargs):
    return once_per_request(
        request, ("association", slug), lambda: get_object_or_404(Association, slug=slug)
    )
