"""Everything Rumo holds about one member, for the member's own download (152-FZ, art. 14).

The members app's own rows are listed field by field. Rows of other apps
that point at the member (attendance, answers to meetings, speakers of agenda
items…) are found through the model's reverse relations, without importing
those apps, and listed by their kind and their text.
"""

from datetime import date, datetime

from django.utils import timezone

from .consent import CONSENT_VERSION
from .models import AccessLog, Member
from .services.profile import PROFILE_FIELDS

OWN_RELATIONS = {"courses", "awards", "consents", "deletion_requests", "access_log", "memberships"}


def plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def personal_data(member: Member) -> dict:
    profile = {name: plain(getattr(member, name)) for name in PROFILE_FIELDS}
    profile["organization"] = str(member.organization) if member.organization else None
    return {
        "exported_at": timezone.localtime().isoformat(),
        "profile": profile
        | {
            "confirmed_at": plain(member.confirmed_at),
            "login": member.user.get_username() if member.user else None,
        },
        "consents": [
            {
                "version": c.version,
                "given_at": plain(c.given_at),
                "withdrawn_at": plain(c.withdrawn_at),
                "current": c.version == CONSENT_VERSION,
            }
            for c in member.consents.all()
        ],  # fmt: skip
        "courses": [
            {
                "title": c.title,
                "organizer": c.organizer,
                "hours": c.hours,
                "year": c.year,
                "certificate_file": bool(c.certificate),
            }
            for c in member.courses.all()
        ],  # fmt: skip
        "awards": [
            {"title": a.title, "year": a.year, "issued_by": a.issued_by}
            for a in member.awards.all()
        ],
        "roles": [
            {
                "association": str(m.association),
                "role": m.get_role_display(),
                "from": plain(m.start),
                "to": plain(m.end),
                "basis": m.note,
            }
            for m in member.memberships.select_related("association")
        ],  # fmt: skip
        "deletion_requests": [
            {"requested_at": plain(d.requested_at), "completed_at": plain(d.completed_at)}
            for d in member.deletion_requests.all()
        ],
        "who_viewed_my_data": [
            {"who": e.who, "at": plain(e.at), "action": e.get_action_display()}
            for e in AccessLog.objects.filter(member=member).order_by("-at")[:500]
        ],
        "other_records": other_records(member),
    }


def other_records(member: Member) -> list[dict]:
    """Return the rows of other apps that point at the member, as kind and text."""
    found = []
    for relation in member._meta.related_objects:
        if relation.related_model._meta.app_label == "members":
            continue
        accessor = relation.get_accessor_name()
        if accessor is None or relation.hidden:
            continue
        if relation.one_to_one:
            related = getattr(member, accessor, None)
            rows = [related] if related is not None else []
        else:
            rows = list(getattr(member, accessor).all()[:500])
        for row in rows:
            found.append({"kind": str(relation.related_model._meta.verbose_name), "text": str(row)})
    return found
