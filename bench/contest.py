"""A contest of the size of issue 9's speed targets: 300 accepted applications in three
nominations, 5 criteria, 5 jurors and every score given (7,500 scores).

Used by bench/pages.py (the score table and a juror's scoring sheet), by
bench/diplomas.py (300 diplomas built by the workers) and by the query-count
tests. Run inside a configured Django process; ``big_contest()`` creates the
contest once (found again by its title) and returns it.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

TITLE = "Замер: конкурс на 300 участников"
NOMINATIONS = ("Лучший библиотекарь", "Лучший проект", "Лучшая выставка")
AWARDS = ((1, "Диплом I степени"), (2, "Диплом II степени"), (3, "Диплом III степени"))


@transaction.atomic
def big_contest(
    applications: int = 300,
    jurors: int = 5,
    criteria: int = 5,
    *,
    association=None,
    juror=None,
    title: str = TITLE,
    year: int = 2030,
):
    """Return the contest called ``title``, creating it with its applications and scores.

    ``juror`` (a Member, e.g. the demo's "council" login) chairs the jury and has
    not sent the scores yet, so the sheet is editable; the other jurors are new
    members without a login and have sent theirs. The applications are filed by
    one representative for named participants, without a college: nobody is
    recused, every juror scores every application.
    """
    from contests import services
    from contests.models import Application, Contest, Criterion, Juror, Nomination, Score
    from members.models import Association, Member

    contest = Contest.objects.filter(title=title, year=year).first()
    if contest is not None:
        return contest
    association = association or Association.objects.get(slug="library")
    contest = services.create_contest(title=title, year=year, organizers=[association])
    regulation = services.newest(contest)
    regulation.status = regulation.Status.APPROVED
    regulation.approved_at = timezone.now()
    regulation.save(update_fields=["status", "approved_at"])
    nominations = Nomination.objects.bulk_create(
        Nomination(regulation=regulation, name=name, position=n)
        for n, name in enumerate(NOMINATIONS, start=1)
    )
    marks = Criterion.objects.bulk_create(
        Criterion(regulation=regulation, name=f"Критерий {n}", max_points=10, position=n)
        for n in range(1, criteria + 1)
    )
    for place, award in AWARDS:
        regulation.awards.create(place=place, title=award)

    representative = Member.objects.create(
        last_name="Представитель", first_name="Замер", patronymic="Конкурсович"
    )
    rows = Application.objects.bulk_create(
        Application(
            contest=contest,
            nomination=nominations[n % len(nominations)],
            applicant=representative,
            participant_name=f"Участникова-{n + 1:03d} Анна Ивановна",
            work_title=f"Работа № {n + 1}",
            status=Application.Status.ACCEPTED,
            consent_at=timezone.now(),
        )
        for n in range(applications)
    )
    people = [juror] if juror is not None else []
    people += Member.objects.bulk_create(
        Member(last_name=f"Жюрина-{n}", first_name="Ольга", patronymic="Петровна")
        for n in range(jurors - len(people))
    )
    seats = Juror.objects.bulk_create(
        Juror(
            contest=contest,
            member=person,
            is_chair=n == 0,
            submitted_at=None if person is juror else timezone.now(),
        )
        for n, person in enumerate(people)
    )
    Score.objects.bulk_create(
        Score(
            juror=seat,
            application=row,
            criterion=mark,
            points=Decimal((a * 7 + j * 3 + c * 5) % 11),
        )
        for a, row in enumerate(rows)
        for j, seat in enumerate(seats)
        for c, mark in enumerate(marks)
    )
    return Contest.objects.get(pk=contest.pk)
