"""Award petitions: who is put forward for which award, and the merits written for each."""

from collections.abc import Iterable, Mapping

from django.db import transaction

from rumo.models import DocumentBuild

from ..models import Association, AwardNominee, AwardPetition, Member

PETITION_KIND = "members.petition"  # members/pdf.py: PETITION.name


@transaction.atomic
def save_petition(
    association: Association,
    *,
    award: str,
    addressee: str,
    members: Iterable[Member],
    by,
    petition: AwardPetition | None = None,
) -> AwardPetition:
    """Create a petition or change its award and nominees; kept nominees keep their merits."""
    if petition is None:
        petition = AwardPetition.objects.create(
            association=association, award=award, addressee=addressee, created_by=by
        )
    else:
        petition.award, petition.addressee = award, addressee
        petition.save(update_fields=["award", "addressee", "updated_at"])
    wanted = {m.pk for m in members}
    petition.nominees.exclude(member_id__in=wanted).delete()
    present = set(petition.nominees.values_list("member_id", flat=True))
    AwardNominee.objects.bulk_create(
        AwardNominee(petition=petition, member_id=pk) for pk in sorted(wanted - present)
    )
    return petition


@transaction.atomic
def write_merits(petition: AwardPetition, reasons: Mapping[int, str]) -> int:
    """Save the merits per nominee (member id → text); return how many changed."""
    changed = 0
    for nominee in petition.nominees.select_for_update():
        text = reasons.get(nominee.member_id)
        if text is not None and text.strip() != nominee.reason:
            nominee.reason = text.strip()
            nominee.save(update_fields=["reason"])
            changed += 1
    if changed:
        petition.save(update_fields=["updated_at"])
    return changed


@transaction.atomic
def delete_petition(petition: AwardPetition) -> None:
    """Delete the petition and its PDF (it lists personal data)."""
    forget_petition_files([petition.pk])
    petition.delete()


@transaction.atomic
def withdraw_nominations(member: Member) -> None:
    """Take the member out of every petition (their data erased) and drop those PDFs."""
    petitions = list(member.nominations.values_list("petition_id", flat=True))
    member.nominations.all().delete()
    forget_petition_files(petitions)


def forget_petition_files(petition_ids: list[int]) -> None:
    rows = DocumentBuild.objects.filter(kind=PETITION_KIND, object_id__in=petition_ids)
    files = [(row.file.storage, row.file.name) for row in rows if row.file]
    rows.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
