"""Jury: appointing, blind scoring by criterion, the score table, results and publication."""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rumo import pipeline

from .. import notifications
from ..models import Application, Contest, Criterion, Juror, Regulation, Score
from ..signals import results_published

TWO = Decimal("0.01")


@transaction.atomic
def appoint_juror(contest: Contest, member, *, is_chair: bool = False) -> Juror:
    if contest.results_approved_at:
        raise ValidationError(_("Итоги уже утверждены: состав жюри не меняется."))
    juror, _created = Juror.objects.get_or_create(contest=contest, member=member)
    if is_chair:
        contest.jurors.exclude(pk=juror.pk).update(is_chair=False)
    if juror.is_chair != is_chair:
        juror.is_chair = is_chair
        juror.save(update_fields=["is_chair"])
    return juror


@transaction.atomic
def remove_juror(juror: Juror) -> None:
    if juror.contest.results_approved_at:
        raise ValidationError(_("Итоги уже утверждены: состав жюри не меняется."))
    juror.delete()


def parse_points(raw, criterion: Criterion) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        points = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("«%(name)s»: введите число.") % {"name": criterion.name}) from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise ValidationError(
            _("«%(name)s»: от 0 до %(max)s баллов.")
            % {"name": criterion.name, "max": criterion.max_points}
        )
    return points.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def save_scores(juror: Juror, application: Application, raw: dict) -> int:
    """Save a juror's points for one application ({criterion pk: text}); all or nothing."""
    juror = Juror.objects.select_for_update().select_related("member").get(pk=juror.pk)
    if juror.submitted_at:
        raise ValidationError(_("Оценки уже отправлены и не меняются."))
    if (
        application.contest_id != juror.contest_id
        or application.status != Application.Status.ACCEPTED
    ):
        raise ValidationError(_("Эту заявку не оценивают."))
    if juror.is_recused_from(application):
        raise ValidationError(_("Заявку вашего колледжа вы не оцениваете."))
    criteria = {c.pk: c for c in application.nomination.regulation.criteria.all()}
    values = {}
    for pk, criterion in criteria.items():
        points = parse_points(raw.get(pk, raw.get(str(pk))), criterion)
        if points is not None:
            values[criterion] = points
    for criterion, points in values.items():
        Score.objects.update_or_create(
            juror=juror, application=application, criterion=criterion, defaults={"points": points}
        )
    return len(values)


@transaction.atomic
def submit_scores(juror: Juror) -> Juror:
    """After this the juror sees the others' scores and can no longer change theirs."""
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    sheet = scoring_sheet(juror)
    missing = [
        row.application.display_name for row in sheet if not row.recused and not row.complete
    ]
    if missing:
        raise ValidationError(
            _("Оцените все заявки по всем критериям: не хватает — %(who)s.")
            % {"who": ", ".join(missing[:5])}
        )
    juror.submitted_at = timezone.now()
    juror.save(update_fields=["submitted_at"])
    return juror


@dataclass
class SheetRow:
    application: Application
    recused: bool
    points: dict = field(default_factory=dict)  # criterion pk → Decimal
    criteria: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(c.pk in self.points for c in self.criteria)

    @property
    def cells(self) -> list:
        return [(c, self.points.get(c.pk)) for c in self.criteria]


def criteria_of(contest: Contest) -> list[Criterion]:
    regulation = contest.approved_regulation
    return list(regulation.criteria.all()) if regulation else []


def recused_filter(juror: Juror) -> Q:
    """The applications a juror does not score: those of the juror's own college."""
    org = juror.member.organization_id
    if org is None:
        return Q(pk__in=[])
    return Q(organization_id=org) | Q(organization__isnull=True, applicant__organization_id=org)


def sheet_applications(juror: Juror, *, todo: bool = False):
    """The accepted applications of the juror's sheet, by nomination; ``todo``: those the
    juror still has to score (not recused, some criterion without points)."""
    applications = (
        juror.contest.applications.filter(status=Application.Status.ACCEPTED)
        .select_related("nomination", "applicant", "organization")
        .order_by("nomination__position", "nomination_id", "pk")
    )
    if todo:
        count = len(criteria_of(juror.contest))
        applications = (
            applications.exclude(recused_filter(juror))
            .annotate(scored=Count("scores", filter=Q(scores__juror=juror)))
            .filter(scored__lt=count)
        )
    return applications


def sheet_progress(juror: Juror) -> dict:
    """How many applications the juror scores, and how many are fully scored: two queries."""
    count = len(criteria_of(juror.contest))
    applications = juror.contest.applications.filter(status=Application.Status.ACCEPTED).exclude(
        recused_filter(juror)
    )
    done = (
        applications.annotate(scored=Count("scores", filter=Q(scores__juror=juror)))
        .filter(scored__gte=count)
        .count()
        if count
        else 0
    )
    return {"total": applications.count(), "done": done}


def scoring_sheet(juror: Juror, applications=None) -> list[SheetRow]:
    """A row per application (all of them, or the page given) with the juror's points."""
    criteria = criteria_of(juror.contest)
    if applications is None:
        applications = sheet_applications(juror)
    applications = list(applications)
    scores = {}
    for score in Score.objects.filter(juror=juror, application_id__in=[a.pk for a in applications]):
        scores.setdefault(score.application_id, {})[score.criterion_id] = score.points
    return [
        SheetRow(
            application=a,
            recused=juror.is_recused_from(a),
            points=scores.get(a.pk, {}),
            criteria=criteria,
        )
        for a in applications
    ]


@dataclass
class TableRow:
    """One application's line of the score table; read-only once built (cached figures)."""

    application: Application
    by_juror: dict  # juror pk → weighted sum (Decimal)
    first_criterion: Decimal
    chair_score: Decimal | None
    place: int | None = None
    cells: list = field(default_factory=list)  # per juror in table order: Decimal or None

    @cached_property
    def values(self) -> list[Decimal]:
        return list(self.by_juror.values())

    @cached_property
    def total(self) -> Decimal:
        return sum(self.values, Decimal(0)).quantize(TWO)

    @cached_property
    def mean(self) -> Decimal | None:
        return (self.total / len(self.values)).quantize(TWO) if self.values else None

    @cached_property
    def median(self) -> Decimal | None:
        return Decimal(statistics.median(self.values)).quantize(TWO) if self.values else None

    @cached_property
    def spread(self) -> Decimal | None:
        return (max(self.values) - min(self.values)).quantize(TWO) if self.values else None


def score_table(contest: Contest) -> dict:
    """Every accepted application with sum, mean, median, spread and place — in five queries."""
    regulation = contest.approved_regulation
    criteria = criteria_of(contest)
    weights = {c.pk: c.weight for c in criteria}
    first = criteria[0].pk if criteria else None
    jurors = list(contest.jurors.select_related("member"))
    chair = next((j.pk for j in jurors if j.is_chair), None)
    applications = list(
        contest.applications.filter(status=Application.Status.ACCEPTED).select_related(
            "nomination", "applicant", "organization"
        )
    )
    sums: dict = {}
    firsts: dict = {}
    for app_id, juror_id, criterion_id, points in Score.objects.filter(
        application__contest=contest, application__status=Application.Status.ACCEPTED
    ).values_list("application_id", "juror_id", "criterion_id", "points"):
        cell = sums.setdefault(app_id, {})
        cell[juror_id] = cell.get(juror_id, Decimal(0)) + points * weights.get(criterion_id, 1)
        if criterion_id == first:
            firsts.setdefault(app_id, []).append(points)
    rows = []
    for application in applications:
        by_juror = sums.get(application.pk, {})
        first_points = firsts.get(application.pk, [])
        rows.append(
            TableRow(
                application=application,
                by_juror=by_juror,
                first_criterion=sum(first_points, Decimal(0)) / len(first_points)
                if first_points
                else Decimal(0),
                chair_score=by_juror.get(chair),
                cells=[by_juror.get(j.pk) for j in jurors],
            )
        )
    tie_rule = regulation.tie_rule if regulation else Regulation.TieRule.SHARE
    groups: dict = {}
    for row in rows:
        groups.setdefault(row.application.nomination, []).append(row)
    for group in groups.values():
        rank(group, tie_rule)
    return {
        "criteria": criteria,
        "jurors": jurors,
        "groups": [(n, groups[n]) for n in sorted(groups, key=lambda n: (n.position, n.pk))],
        "submitted": all(j.submitted_at for j in jurors) and bool(jurors),
    }


def rank(rows: list[TableRow], tie_rule: str) -> None:
    def key(row):
        mean = row.mean if row.mean is not None else Decimal(-1)
        if tie_rule == Regulation.TieRule.FIRST_CRITERION:
            return (mean, row.first_criterion)
        if tie_rule == Regulation.TieRule.JURY_CHAIR:
            return (mean, row.chair_score or Decimal(0))
        return (mean,)

    rows.sort(key=key, reverse=True)
    place, previous = 0, None
    for index, row in enumerate(rows, start=1):
        if row.mean is None:
            row.place = None
            continue
        if key(row) != previous:
            place = index
            previous = key(row)
        row.place = place


@transaction.atomic
def approve_results(contest: Contest, *, force: bool = False, now=None) -> Contest:
    """Store totals, places and awards, and give every participant a register number."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.results_approved_at:
        raise ValidationError(_("Итоги уже утверждены."))
    table = score_table(contest)
    if not table["jurors"]:
        raise ValidationError(_("Назначьте жюри: без оценок итоги не подвести."))
    if not table["submitted"] and not force:
        raise ValidationError(_("Не все члены жюри отправили оценки."))
    regulation = contest.approved_regulation
    awards = {a.place: a.title for a in regulation.awards.all() if a.place}
    number = 0
    ranked = []
    for _nomination, rows in table["groups"]:
        for row in rows:
            number += 1
            application = row.application
            application.total = row.mean
            application.place = row.place
            application.award = awards.get(row.place, _("Сертификат участника"))
            application.register_number = f"К-{contest.year}-{contest.pk:03d}-{number:04d}"
            ranked.append(application)
    Application.objects.bulk_update(
        ranked, ["total", "place", "award", "register_number"], batch_size=500
    )
    contest.results_approved_at = now or timezone.now()
    contest.save(update_fields=["results_approved_at"])
    request_diplomas(contest)
    return contest


def request_diplomas(contest: Contest) -> int:
    """Queue the diploma of every ranked application that is neither built nor being built
    (contests/pdf.py; the sweep retries). Return how many were queued."""
    diploma = pipeline.get_kind("contests.diploma")
    applications = list(
        contest.applications.exclude(register_number="").select_related(
            "nomination", "applicant", "organization"
        )
    )
    for application in applications:
        application.contest = contest  # its version reads results_approved_at
    return pipeline.request_builds(diploma, applications)


@transaction.atomic
def publish_results(contest: Contest, *, now=None) -> Contest:
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if not contest.results_approved_at:
        raise ValidationError(_("Сначала утвердите итоги."))
    if contest.results_published_at:
        return contest
    contest.results_published_at = now or timezone.now()
    contest.status = Contest.Status.FINISHED
    contest.save(update_fields=["results_published_at", "status"])
    notifications.send(notifications.results_published(contest))
    transaction.on_commit(lambda: results_published.send(sender=Contest, contest=contest))
    return contest
