"""The members app's tables: people and roles, the data bank, campaigns and imports."""

from .databank import AccessLog, Award, Consent, Course, DeletionRequest
from .people import Association, Member, MemberQuerySet, Membership, Organization
from .work import AwardNominee, AwardPetition, Campaign, CouncilElection, ImportBatch

__all__ = [
    "AccessLog",
    "Association",
    "Award",
    "AwardNominee",
    "AwardPetition",
    "Campaign",
    "Consent",
    "CouncilElection",
    "Course",
    "DeletionRequest",
    "ImportBatch",
    "Member",
    "MemberQuerySet",
    "Membership",
    "Organization",
]
