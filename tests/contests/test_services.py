"""The rules of contests, through contests.services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests import services
from contests.models import (
    Application,
    ApplicationFile,
    Clause,
    Contest,
    CouncilVote,
    Juror,
    Regulation,
    Score,
)
from members.models import Membership
from rumo import outbox
from rumo.models import OutboxMessage
from tests import factories
from tests.contests import PDF, college, draft_contest, pdf_upload

pytestmark = pytest.mark.django_db
Role = Membership.Role


def send(regulation, days=3):
    return services.send_to_council(regulation, deadline=timezone.now() + timedelta(days=days))


# Regulations as data


def test_numbering_is_computed_and_bullets_keep_their_own_marks(contest):
    regulation = services.newest(contest)

    sections = services.numbered(regulation)

    assert [s.number for s in sections[:3]] == ["I", "II", "III"]
    goals = sections[1]
    assert [c.number for c in goals.clauses] == ["2.1", "2.1.1"]
    lines = goals.clauses[0].lines
    assert [(line.marker, line.text) for line in lines] == [
        ("", "Задачи Конкурса:"),
        ("–", "выявление лучших практик;"),
        ("-", "поддержка инициативы."),
    ]
    Regulation.objects.filter(pk=regulation.pk).update(numbering=Regulation.Numbering.ARABIC)
    regulation.refresh_from_db()
    assert [s.number for s in services.numbered(regulation)[:2]] == ["1", "2"]


def test_a_returned_version_carries_its_comments_into_the_next_draft(contest, chair, council):
    regulation = send(services.newest(contest))
    services.cast_vote(regulation, council, choice="against", comment="Уточнить сроки")
    services.cast_vote(regulation, chair, choice="for")
    regulation = services.close_vote(regulation, force=True)
    assert regulation.status == Regulation.Status.RETURNED

    copy = services.new_version(regulation)

    assert copy.number == 2 and copy.status == Regulation.Status.DRAFT
    assert "Уточнить сроки" in copy.return_comment
    nested = Clause.objects.get(section__regulation=copy, text="Вложенный пункт задач.")
    assert nested.parent.section.regulation == copy
    assert copy.criteria.count() == 2 and copy.stamps.count() == 2
    # The returned version is kept as it was.
    assert regulation.criteria.count() == 2


def test_two_versions_are_compared_side_by_side(contest, chair, council):
    first = send(services.newest(contest))
    services.cast_vote(first, council, choice="against", comment="Нет")
    services.close_vote(first, force=True)
    second = services.new_version(first)
    second.criteria.filter(name="Оформление").update(name="Оформление работы")

    rows = services.compare(first, second)

    changed = [(left, right) for tag, left, right in rows if tag != "equal"]
    assert any("Оформление," in left and "Оформление работы" in right for left, right in changed)


# The council's vote


def test_a_council_member_without_an_address_shows_on_the_regulations_deliveries(
    contest, chair, council, mailoutbox, django_capture_on_commit_callbacks
):
    council.email = ""
    council.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        regulation = send(services.newest(contest))

    rows = {row.recipient_id: row.state for row in outbox.about(regulation)}
    assert rows == {chair.pk: OutboxMessage.State.SENT, council.pk: OutboxMessage.State.NO_EMAIL}
    assert [m.to for m in mailoutbox] == [[chair.email]]


def test_sending_tells_the_council_and_a_vote_after_the_deadline_is_refused(
    contest, chair, council, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        regulation = send(services.newest(contest))

    assert sorted(m.to[0] for m in mailoutbox) == sorted([chair.email, council.email])
    assert "голосовании совета" in mailoutbox[0].subject
    later = regulation.vote_deadline + timedelta(minutes=1)
    with pytest.raises(ValidationError, match="Голосование закончилось"):
        services.cast_vote(regulation, council, choice="for", now=later)
    assert not CouncilVote.objects.exists()


def test_someone_not_on_the_council_cannot_vote(contest, member, other_chair):
    regulation = send(services.newest(contest))

    for outsider in (member, other_chair):
        with pytest.raises(PermissionDenied):
            services.cast_vote(regulation, outsider, choice="for")
    assert not CouncilVote.objects.exists()


def test_a_second_vote_replaces_the_first_and_is_never_counted_twice(contest, chair, council):
    regulation = send(services.newest(contest))

    services.cast_vote(regulation, council, choice="against", comment="Сначала против")
    services.cast_vote(regulation, council, choice="for", comment="")
    services.cast_vote(regulation, chair, choice="for")

    assert regulation.votes.count() == 2
    (tally,) = services.tallies(regulation)
    assert (tally.votes_for, tally.votes_against, tally.council_size) == (2, 0, 2)
    regulation = services.close_vote(regulation, force=True)
    assert regulation.status == Regulation.Status.APPROVED
    approval = regulation.approvals.get()
    assert "утверждено" in approval.explanation and approval.votes_for == 2
    assert Contest.objects.get(pk=contest.pk).status == Contest.Status.RUNNING


def test_without_a_quorum_the_version_is_not_approved(contest, chair, council, member):
    regulation = send(services.newest(contest))
    services.cast_vote(regulation, chair, choice="for")

    with pytest.raises(ValidationError):
        services.close_vote(regulation)  # the deadline has not passed
    regulation = services.close_vote(regulation, now=regulation.vote_deadline + timedelta(hours=1))

    assert regulation.status == Regulation.Status.RETURNED
    assert "Кворума нет" in regulation.approvals.get().explanation


def test_a_co_organised_contest_needs_each_council(library, philology, chair, council, other_chair):
    contest = draft_contest(library, title="Золотая лира", organizers=[library, philology])
    regulation = services.newest(contest)
    services.record_meeting_decision(
        regulation, association=library, protocol_date=timezone.localdate(), protocol_number="2"
    )
    regulation.refresh_from_db()
    assert regulation.status == Regulation.Status.ON_REVIEW

    regulation.vote_deadline = timezone.now() + timedelta(days=1)
    regulation.save()
    services.cast_vote(regulation, other_chair, choice="for")
    regulation = services.close_vote(regulation, force=True)

    assert regulation.status == Regulation.Status.APPROVED
    assert {a.association.slug for a in regulation.approvals.all()} == {"library", "philology"}


def test_the_day_before_the_deadline_non_voters_are_reminded_once(
    contest, chair, council, mailoutbox, django_capture_on_commit_callbacks
):
    regulation = send(services.newest(contest), days=3)
    services.cast_vote(regulation, chair, choice="for")
    mailoutbox.clear()
    day_before = regulation.vote_deadline - timedelta(hours=20)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_non_voters(now=day_before) == 1
        assert services.remind_non_voters(now=day_before) == 0

    assert [m.to for m in mailoutbox] == [[council.email]]
    assert "Напоминание" in mailoutbox[0].subject


# Applications


def test_an_application_after_the_window_is_refused_with_the_date(running, applicant):
    regulation = running.approved_regulation
    later = regulation.application_closes + timedelta(days=1)

    with pytest.raises(ValidationError, match=regulation.application_closes.strftime("%d.%m.%Y")):
        services.submit_application(
            running, applicant, nomination=regulation.nominations.first(),
            files=[pdf_upload()], consent=True, today=later,
        )  # fmt: skip
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("work.exe", b"MZ....", "не принимаются"),
        ("work.pdf", b"PK\x03\x04 this is a zip", "не соответствует"),
        ("work.pdf", PDF + b"0" * (10 * 1024 * 1024), "больше 10,0"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_half_saved(
    running, applicant, name, content, message
):
    regulation = running.approved_regulation
    good = pdf_upload("good.pdf")
    bad = SimpleUploadedFile(name, content)

    with pytest.raises(ValidationError, match=message):
        services.submit_application(
            running, applicant, nomination=regulation.nominations.first(),
            files=[good, bad], consent=True,
        )  # fmt: skip
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()


def test_an_application_needs_consent_and_a_nomination_of_the_approved_regulations(
    running, applicant, library
):
    regulation = running.approved_regulation
    with pytest.raises(ValidationError, match="согласия"):
        services.submit_application(running, applicant, nomination=regulation.nominations.first(),
                                    files=[pdf_upload()], consent=False)  # fmt: skip
    other = draft_contest(library, title="Другой")
    with pytest.raises(ValidationError, match="номинации"):
        services.submit_application(
            running, applicant, nomination=services.newest(other).nominations.first(),
            files=[pdf_upload()], consent=True,
        )  # fmt: skip
    assert not Application.objects.exists()


def test_an_application_is_saved_with_its_files_and_the_applicant_is_told(
    running, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    regulation = running.approved_regulation
    with django_capture_on_commit_callbacks(execute=True):
        application = services.submit_application(
            running, applicant, nomination=regulation.nominations.first(),
            files=[pdf_upload()], consent=True, work_title="Клуб <b>чтения</b>",
        )  # fmt: skip

    assert application.files.count() == 1 and application.consent_at is not None
    assert application.organization == applicant.organization
    assert mailoutbox[0].to == [applicant.email] and "получена" in mailoutbox[0].subject
    with pytest.raises(ValidationError, match="причину"):
        services.decide_application(application, accept=False, reason=" ")
    services.decide_application(application, accept=False, reason="Нет видео")
    assert Application.objects.get(pk=application.pk).reject_reason == "Нет видео"


# Jury


@pytest.fixture
def scored(running, chair, juror, applicant, library):
    """Three accepted applications (one from the chair's college) and two jurors."""
    regulation = running.approved_regulation
    chair.organization = college("КПК")
    chair.save()
    people = [
        applicant,
        factories.MemberFactory(organization=chair.organization),
        factories.MemberFactory(),
    ]
    nomination = regulation.nominations.first()
    applications = [
        Application.objects.create(contest=running, nomination=nomination, applicant=p,
                                   organization=p.organization, status=Application.Status.ACCEPTED)
        for p in people
    ]  # fmt: skip
    jurors = [
        services.appoint_juror(running, chair, is_chair=True),
        services.appoint_juror(running, juror),
    ]
    return running, applications, jurors


def test_a_score_outside_the_range_is_refused_and_nothing_is_saved(scored):
    contest, (first, *_), (chair_juror, _juror) = scored
    criteria = list(contest.approved_regulation.criteria.all())

    with pytest.raises(ValidationError, match="от 0 до 5"):
        services.save_scores(chair_juror, first, {criteria[0].pk: "7", criteria[1].pk: "6"})
    with pytest.raises(ValidationError, match="число"):
        services.save_scores(chair_juror, first, {criteria[0].pk: "<script>", criteria[1].pk: "1"})
    assert not Score.objects.exists()


def test_a_juror_from_the_applicants_college_is_recused(scored):
    contest, (_first, own, _third), (chair_juror, juror) = scored

    with pytest.raises(ValidationError, match="вашего колледжа"):
        services.save_scores(chair_juror, own, {})
    sheet = {row.application.pk: row.recused for row in services.scoring_sheet(chair_juror)}
    assert sheet[own.pk] is True
    assert not any(row.recused for row in services.scoring_sheet(juror))


def score_all(juror, applications, points):
    criteria = list(juror.contest.approved_regulation.criteria.all())
    for application, (a, b) in zip(applications, points, strict=True):
        if not juror.is_recused_from(application):
            services.save_scores(juror, application, {criteria[0].pk: a, criteria[1].pk: b})


def test_jurors_score_blind_then_the_table_shows_sum_mean_median_spread_and_places(scored):
    contest, applications, (chair_juror, juror) = scored
    score_all(chair_juror, applications, [("8", "4"), ("9", "5"), ("6", "3")])
    score_all(juror, applications, [("10", "5"), ("4", "2"), ("6", "3")])

    # Each sees only their own points until they submit.
    criteria = list(contest.approved_regulation.criteria.all())
    mine = {r.application.pk: r.points for r in services.scoring_sheet(juror)}
    assert mine[applications[0].pk] == {criteria[0].pk: Decimal(10), criteria[1].pk: Decimal(5)}
    with pytest.raises(ValidationError, match="Не все члены жюри"):
        services.approve_results(contest)
    services.submit_scores(chair_juror)
    services.submit_scores(juror)
    with pytest.raises(ValidationError, match="уже отправлены"):
        services.save_scores(juror, applications[0], {})

    table = services.score_table(contest)
    (_nomination, rows) = table["groups"][0]
    by_app = {row.application.pk: row for row in rows}
    first = by_app[applications[0].pk]
    # weighted: 8*1.5+4 = 16 and 10*1.5+5 = 20
    assert (first.total, first.mean, first.median, first.spread) == (
        Decimal("36.00"), Decimal("18.00"), Decimal("18.00"), Decimal("4.00"),
    )  # fmt: skip
    own = by_app[applications[1].pk]
    assert own.cells == [None, Decimal("8.0")] and own.mean == Decimal("8.00")
    assert [row.place for row in rows] == [1, 2, 3]


def test_equal_scores_share_a_place_or_follow_the_tie_rule(scored):
    contest, applications, (chair_juror, juror) = scored
    first, _own, third = applications
    criteria = list(contest.approved_regulation.criteria.all())
    services.save_scores(juror, first, {criteria[0].pk: "4", criteria[1].pk: "4"})  # 10
    services.save_scores(juror, third, {criteria[0].pk: "6", criteria[1].pk: "1"})  # 10

    rows = services.score_table(contest)["groups"][0][1]
    places = {row.application.pk: row.place for row in rows if row.mean is not None}
    assert places == {first.pk: 1, third.pk: 1}

    contest.approved_regulation.__class__.objects.filter(contest=contest).update(
        tie_rule=Regulation.TieRule.FIRST_CRITERION
    )
    contest = Contest.objects.get(pk=contest.pk)
    rows = services.score_table(contest)["groups"][0][1]
    places = {row.application.pk: row.place for row in rows if row.mean is not None}
    assert places == {third.pk: 1, first.pk: 2}


def test_approved_and_published_results_give_awards_register_numbers_and_mark_the_plan(
    scored, chair, library, mailoutbox, django_capture_on_commit_callbacks
):
    from plans import services as plan_services
    from plans.models import Item, Section

    contest, applications, (chair_juror, juror) = scored
    plan = plan_services.create_plan(library, year=contest.year, by=chair)
    events = plan.revisions.get().sections.get(kind=Section.Kind.EVENTS)
    plan_services.add_item(events, by=chair, text="Конкурс", timing="апрель", contest=contest)
    events.revision.__class__.objects.filter(pk=events.revision_id).update(status="approved")
    score_all(chair_juror, applications, [("8", "4"), ("9", "5"), ("6", "3")])
    score_all(juror, applications, [("10", "5"), ("4", "2"), ("6", "3")])
    for j in (chair_juror, juror):
        services.submit_scores(j)
    contest.approved_regulation.awards.create(place=1, title="Диплом I степени")

    services.approve_results(contest)
    with pytest.raises(ValidationError):
        services.approve_results(contest)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(contest)

    winner = Application.objects.get(pk=applications[0].pk)
    assert (winner.place, winner.award) == (1, "Диплом I степени")
    assert winner.register_number.startswith(f"К-{contest.year}-")
    assert Application.objects.get(pk=applications[2].pk).award == "Сертификат участника"
    item = Item.objects.get(contest=contest)
    assert (
        item.execution == Item.Execution.DONE
        and "Итоги конкурса опубликованы" in item.execution_note
    )
    assert any("Итоги конкурса" in m.subject for m in mailoutbox)


def test_the_score_table_costs_the_same_queries_for_more_applications(
    scored, django_assert_max_num_queries
):
    contest, applications, (chair_juror, juror) = scored
    score_all(juror, applications, [("8", "4"), ("9", "5"), ("6", "3")])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contest = Contest.objects.get(pk=contest.pk)
    with CaptureQueriesContext(connection) as small:
        services.score_table(contest)
    nomination = contest.approved_regulation.nominations.last()
    for _n in range(30):
        app = Application.objects.create(contest=contest, nomination=nomination,
                                         applicant=factories.MemberFactory(),
                                         status=Application.Status.ACCEPTED)  # fmt: skip
        services.save_scores(
            juror, app, {c.pk: "1" for c in contest.approved_regulation.criteria.all()}
        )
    extra = factories.person(f"j{len(applications)}", last_name="Ещё", first_name="Жюри")
    Juror.objects.create(contest=contest, member=extra)

    contest = Contest.objects.get(pk=contest.pk)
    with django_assert_max_num_queries(len(small)):
        services.score_table(contest)


def test_the_sweep_task_reminds_and_closes_due_votes(contest, chair, council):
    from contests.tasks import sweep_council_votes_task

    regulation = send(services.newest(contest))
    services.cast_vote(regulation, chair, choice="for")
    services.cast_vote(regulation, council, choice="for")
    Regulation.objects.filter(pk=regulation.pk).update(
        vote_deadline=timezone.now() - timedelta(minutes=1)
    )

    assert sweep_council_votes_task.delay().get(timeout=10) == {"reminded": 0, "closed": 1}
    assert Regulation.objects.get(pk=regulation.pk).status == Regulation.Status.APPROVED
