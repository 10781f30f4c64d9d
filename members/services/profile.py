"""A member's own data: consent first, then the profile, courses, awards, deletion."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..consent import CONSENT_VERSION
from ..models import AccessLog, Award, Consent, Course, DeletionRequest, Member
from .access import log_access
from .petitions import withdraw_nominations

# What a member keeps in their profile form; name, college and position are public.
PROFILE_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "organization",
    "position",
    "email",
    "phone",
    "education",
    "has_library_education",
    "category",
    "category_date",
    "total_experience",
    "library_experience",
)
# Cleared by erasure: everything but the name, college and position that
# historic records (minutes, agendas, issued documents) already print.
ERASED_FIELDS = {
    "email": "",
    "phone": "",
    "education": "",
    "has_library_education": False,
    "category": Member.Category.NONE,
    "category_date": None,
    "total_experience": None,
    "library_experience": None,
    "confirmed_at": None,
    "consent_at": None,
    "consent_version": "",
}


def require_consent(member: Member) -> None:
    if not member.has_current_consent(CONSENT_VERSION):
        raise PermissionDenied("consent to personal-data processing is missing")


@transaction.atomic
def give_consent(member: Member, *, version: str = CONSENT_VERSION, at: datetime | None = None):
    """Record the member's consent to the given text version (once per version)."""
    at = at or timezone.now()
    consent, created = Consent.objects.get_or_create(
        member=member, version=version, defaults={"given_at": at}
    )
    if not created and consent.withdrawn_at:
        consent.given_at, consent.withdrawn_at = at, None
        consent.save(update_fields=["given_at", "withdrawn_at"])
    member.consent_at, member.consent_version = consent.given_at, version
    member.save(update_fields=["consent_at", "consent_version", "updated_at"])
    return consent


@transaction.atomic
def update_profile(member: Member, *, changes: dict, at: datetime | None = None) -> Member:
    """Save the member's own profile; saving it also confirms it is current."""
    require_consent(member)
    for field, value in changes.items():
        if field not in PROFILE_FIELDS:
            raise ValueError(f"{field} is not a profile field")
        setattr(member, field, value)
    member.confirmed_at = at or timezone.now()
    member.save(update_fields=[*changes, "confirmed_at", "updated_at"])
    return member


@transaction.atomic
def add_course(member: Member, *, title: str, organizer: str, hours: int, year: int,
               certificate=None) -> Course:  # fmt: skip
    """Add a course; the certificate file is stored under a name free of personal data."""
    require_consent(member)
    course = Course.objects.create(
        member=member, title=title, organizer=organizer, hours=hours, year=year
    )
    if certificate:
        course.certificate.save(certificate.name, certificate, save=False)
        course.save(update_fields=["certificate"])
    return course


@transaction.atomic
def remove_course(course: Course) -> None:
    certificate = course.certificate
    course.delete()
    if certificate:
        transaction.on_commit(lambda: certificate.storage.delete(certificate.name))


@transaction.atomic
def add_award(member: Member, *, title: str, year: int, issued_by: str = "") -> Award:
    require_consent(member)
    return Award.objects.create(member=member, title=title, year=year, issued_by=issued_by)


@transaction.atomic
def remove_award(award: Award) -> None:
    award.delete()


@transaction.atomic
def request_deletion(member: Member, *, reason: str = "") -> DeletionRequest:
    """Record the member's request; a second request while one is open returns the open one."""
    request, _ = DeletionRequest.objects.get_or_create(
        member=member,
        completed_at=None,
        defaults={"requested_at": timezone.now(), "reason": reason},
    )
    return request


@transaction.atomic
def erase_personal_data(member: Member, *, by) -> Member:
    """Delete the member's contacts and data bank; keep what historic records print."""
    files = [c.certificate.name for c in member.courses.exclude(certificate="")]
    member.courses.all().delete()
    member.awards.all().delete()
    withdraw_nominations(member)  # the merits written about them, and the petitions' PDFs
    for field, value in ERASED_FIELDS.items():
        setattr(member, field, value)
    member.save(update_fields=[*ERASED_FIELDS, "updated_at"])
    member.consents.filter(withdrawn_at=None).update(withdrawn_at=timezone.now())
    if member.user_id:
        member.user.is_active = False
        member.user.email = ""
        member.user.save(update_fields=["is_active", "email"])
    member.deletion_requests.open().update(completed_at=timezone.now(), completed_by=by)
    log_access(by, action=AccessLog.Action.ERASE, member=member, what=member.full_name)
    storage = Course._meta.get_field("certificate").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    from ..pdf import forget_personal_data  # the pdf module reads this one

    forget_personal_data(member)
    return member
