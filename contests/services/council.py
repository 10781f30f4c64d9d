"""The council's review: sending a version, votes, the computed decision, a meeting's decision."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.models import Association, Member, Membership
from rumo import pipeline

from .. import notifications
from ..models import Approval, CouncilVote, Regulation

COUNCIL_ROLES = [Membership.Role.CHAIR, Membership.Role.DEPUTY, Membership.Role.COUNCIL]


def council_of(association: Association):
    """The people on the association's council today (each once)."""
    seats = Membership.objects.active().filter(association=association, role__in=COUNCIL_ROLES)
    return Member.objects.filter(pk__in=seats.values("member")).order_by("last_name", "first_name")


def councils_of_member(regulation: Regulation, member: Member) -> list[Association]:
    seats = Membership.objects.active().filter(
        member=member, role__in=COUNCIL_ROLES, association__in=regulation.contest.organizers.all()
    )
    return list(Association.objects.filter(pk__in=seats.values("association")).order_by("name"))


@transaction.atomic
def send_to_council(regulation: Regulation, *, deadline, by=None) -> Regulation:
    if not regulation.is_editable:
        raise ValidationError(_("Эта редакция уже отправлена или утверждена."))
    if deadline <= timezone.now():
        raise ValidationError(_("Срок голосования должен быть в будущем."))
    if not regulation.contest.organizers.exists():
        raise ValidationError(_("У конкурса нет организаторов."))
    regulation.status = Regulation.Status.ON_REVIEW
    regulation.vote_deadline = deadline
    regulation.sent_at = timezone.now()
    regulation.save(update_fields=["status", "vote_deadline", "sent_at", "updated_at"])
    notifications.send(notifications.regulation_sent(regulation))
    return regulation


@transaction.atomic
def cast_vote(regulation: Regulation, member: Member, *, choice: str, comment: str = "", now=None):
    """Record or replace the member's vote in every organising council they sit on."""
    now = now or timezone.now()
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    if regulation.status != Regulation.Status.ON_REVIEW:
        raise ValidationError(_("Голосование по этой редакции не идёт."))
    if regulation.vote_deadline and now > regulation.vote_deadline:
        raise ValidationError(
            _("Голосование закончилось %(date)s.")
            % {"date": date_format(timezone.localtime(regulation.vote_deadline), "d.m.Y H:i")}
        )
    if choice not in CouncilVote.Choice.values:
        raise ValidationError(_("Выберите «за», «против» или «воздержался»."))
    councils = councils_of_member(regulation, member)
    if not councils:
        raise PermissionDenied(_("Голосуют только члены совета организаторов."))
    for association in councils:
        CouncilVote.objects.update_or_create(
            regulation=regulation,
            association=association,
            member=member,
            defaults={"choice": choice, "comment": comment.strip(), "voted_at": now},
        )


@dataclass
class Tally:
    association: Association
    council_size: int
    votes_for: int
    votes_against: int
    votes_abstained: int

    @property
    def voted(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstained

    @property
    def quorum(self) -> bool:
        return self.voted * 2 > self.council_size

    @property
    def approved(self) -> bool:
        return self.quorum and self.votes_for * 2 > self.voted

    def explanation(self) -> str:
        text = _(
            "В совете %(size)s чел., проголосовали %(voted)s: за — %(for)s, против — %(against)s, "
            "воздержались — %(abstained)s. "
        ) % {
            "size": self.council_size,
            "voted": self.voted,
            "for": self.votes_for,
            "against": self.votes_against,
            "abstained": self.votes_abstained,
        }
        if not self.quorum:
            return text + _("Кворума нет: проголосовало не больше половины совета.")
        if self.approved:
            return text + _("Кворум есть, «за» больше половины проголосовавших: утверждено.")
        return text + _("Кворум есть, но «за» не больше половины проголосовавших: не утверждено.")


def tallies(regulation: Regulation) -> list[Tally]:
    votes = list(regulation.votes.all())
    out = []
    for association in regulation.contest.organizers.order_by("name"):
        mine = [v for v in votes if v.association_id == association.pk]
        out.append(
            Tally(
                association=association,
                council_size=council_of(association).count(),
                votes_for=sum(v.choice == CouncilVote.Choice.FOR for v in mine),
                votes_against=sum(v.choice == CouncilVote.Choice.AGAINST for v in mine),
                votes_abstained=sum(v.choice == CouncilVote.Choice.ABSTAIN for v in mine),
            )
        )
    return out


@transaction.atomic
def close_vote(regulation: Regulation, *, now=None, force: bool = False) -> Regulation:
    """Compute the result once the deadline passed (or the chair closes it early)."""
    now = now or timezone.now()
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    if regulation.status != Regulation.Status.ON_REVIEW:
        return regulation
    if not force and regulation.vote_deadline and now <= regulation.vote_deadline:
        raise ValidationError(_("Срок голосования ещё не прошёл."))
    decided = {a.association_id for a in regulation.approvals.all()}
    for tally in tallies(regulation):
        if tally.association.pk in decided:
            continue
        Approval.objects.create(
            regulation=regulation,
            association=tally.association,
            method=Approval.Method.VOTE,
            approved=tally.approved,
            votes_for=tally.votes_for,
            votes_against=tally.votes_against,
            votes_abstained=tally.votes_abstained,
            council_size=tally.council_size,
            explanation=tally.explanation(),
            decided_at=now,
        )
    return settle(regulation, now=now)


def settle(regulation: Regulation, *, now=None) -> Regulation:
    """Approve when every organiser approved; return with the comments when one did not."""
    now = now or timezone.now()
    approvals = {a.association_id: a for a in regulation.approvals.all()}
    organizers = list(regulation.contest.organizers.values_list("pk", flat=True))
    if any(not a.approved for a in approvals.values()):
        comments = [
            f"{v.member.short_name}: {v.comment}"
            for v in regulation.votes.select_related("member").order_by("voted_at")
            if v.comment
        ]
        regulation.status = Regulation.Status.RETURNED
        regulation.return_comment = "\n".join(comments) or _("Совет не утвердил эту редакцию.")
        regulation.save(update_fields=["status", "return_comment", "updated_at"])
        notifications.send(notifications.regulation_decided(regulation))
    elif all(pk in approvals for pk in organizers):
        regulation.status = Regulation.Status.APPROVED
        regulation.approved_at = now
        regulation.save(update_fields=["status", "approved_at", "updated_at"])
        # The approved text is registered and signed once, in the worker (contests/pdf.py).
        pipeline.request_build(pipeline.get_kind("contests.regulation"), regulation)
        contest = regulation.contest
        if contest.status == contest.Status.PLANNED:
            contest.status = contest.Status.RUNNING
            contest.save(update_fields=["status"])
        notifications.send(notifications.regulation_decided(regulation))
    return regulation


@transaction.atomic
def record_meeting_decision(
    regulation: Regulation,
    *,
    association: Association,
    agenda_item=None,
    protocol_date=None,
    protocol_number: str = "",
    approved: bool = True,
) -> Approval:
    """The chair records that a meeting's decision approved (or not) the regulations."""
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    if regulation.is_frozen:
        raise ValidationError(_("Эта редакция уже утверждена."))
    if not regulation.contest.organizers.filter(pk=association.pk).exists():
        raise ValidationError(_("Это объединение не организует конкурс."))
    if agenda_item is not None:
        meeting = agenda_item.meeting
        if meeting.association_id != association.pk:
            raise ValidationError(_("Вопрос повестки другого объединения."))
        protocol_date = protocol_date or (
            timezone.localdate(meeting.starts_at) if meeting.starts_at else None
        )
        protocol_number = protocol_number or str(meeting.number)
        for_, against, abstained = (
            agenda_item.votes_for or 0,
            agenda_item.votes_against or 0,
            agenda_item.votes_abstained or 0,
        )
    else:
        for_ = against = abstained = 0
    explanation = _("Утверждено решением заседания (протокол от %(date)s № %(number)s).") % {
        "date": date_format(protocol_date, "d.m.Y") if protocol_date else "…",
        "number": protocol_number or "…",
    }
    approval, _created = Approval.objects.update_or_create(
        regulation=regulation,
        association=association,
        defaults={
            "method": Approval.Method.MEETING,
            "approved": approved,
            "agenda_item": agenda_item,
            "protocol_date": protocol_date,
            "protocol_number": protocol_number,
            "votes_for": for_,
            "votes_against": against,
            "votes_abstained": abstained,
            "explanation": explanation,
            "decided_at": timezone.now(),
        },
    )
    if regulation.status == Regulation.Status.DRAFT:
        regulation.status = Regulation.Status.ON_REVIEW
        regulation.save(update_fields=["status", "updated_at"])
    settle(regulation)
    return approval


def non_voters(regulation: Regulation) -> list[Member]:
    voted = set(regulation.votes.values_list("member_id", flat=True))
    people = {}
    for association in regulation.contest.organizers.all():
        for member in council_of(association):
            if member.pk not in voted:
                people[member.pk] = member
    return list(people.values())


def remind_non_voters(*, now=None) -> int:
    """Remind who has not voted when a deadline is a day away (run hourly; sends once)."""
    from datetime import timedelta

    now = now or timezone.now()
    due = Regulation.objects.filter(
        status=Regulation.Status.ON_REVIEW,
        vote_deadline__gt=now,
        vote_deadline__lte=now + timedelta(days=1),
        reminded_at__isnull=True,
    )
    sent = 0
    for regulation in due:
        with transaction.atomic():
            messages = notifications.vote_reminder(regulation, non_voters(regulation))
            Regulation.objects.filter(pk=regulation.pk).update(reminded_at=now)
            notifications.send(messages)
            sent += len(messages)
    return sent


def close_due_votes(*, now=None) -> int:
    now = now or timezone.now()
    closed = 0
    for regulation in Regulation.objects.filter(
        status=Regulation.Status.ON_REVIEW, vote_deadline__lte=now
    ):
        close_vote(regulation, now=now)
        closed += 1
    return closed
