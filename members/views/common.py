"""What several data-bank views share: which associations a user manages, and lookups."""

from django.shortcuts import get_object_or_404

from ..models import Association
from ..rules import chaired_association_ids, is_office_staff


def managed_associations(user):
    """Return the associations whose data bank the user runs (staff: all; chairs: theirs)."""
    associations = Association.objects.order_by("name")
    if is_office_staff(user):
        return associations
    return associations.filter(pk__in=chaired_association_ids(user))


def association_by_slug(request, slug, **kwargs):
    return get_object_or_404(Association, slug=slug)
