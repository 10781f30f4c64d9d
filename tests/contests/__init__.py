"""Helpers for the contest tests: a contest with approved regulations, ready for applications."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests import services
from contests.models import Clause, Criterion, Nomination, Person, Regulation, Section, Stage, Stamp
from tests import factories, files

PDF = files.PDF


def pdf_upload(name="work.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def draft_contest(association, *, title="Лучший библиотекарь СПО", year=2030, organizers=None):
    """A contest with a filled first draft (sections, clauses, nominations, criteria, jury)."""
    contest = services.create_contest(
        title=title, year=year, organizers=organizers or [association]
    )
    regulation = services.newest(contest)
    today = timezone.localdate()
    Regulation.objects.filter(pk=regulation.pk).update(
        audience="среди библиотекарей ПОО Чувашии",
        application_opens=today - timedelta(days=5),
        application_closes=today + timedelta(days=5),
        required_files="описание проекта",
        allowed_extensions="pdf, docx",
        contacts="Лоскутова С.Н., тел. 45-12-34",
        appendix="1. ФИО участника\n2. Колледж",
    )
    regulation.refresh_from_db()
    first = regulation.sections.order_by("position").first()
    goals = Section.objects.get(regulation=regulation, position=2)
    parent = Clause.objects.create(
        section=goals,
        position=1,
        text="Задачи Конкурса:\n– выявление лучших практик;\n- поддержка инициативы.",
    )
    Clause.objects.create(section=goals, position=2, parent=parent, text="Вложенный пункт задач.")
    Clause.objects.create(section=first, position=2, text="Конкурс проводит РУМО.")
    Stamp.objects.create(regulation=regulation, kind=Stamp.Kind.AGREED, signer_name="Е.А. Павлова",
                         signer_position="Директор ЧРИО", position=1)  # fmt: skip
    Stamp.objects.create(
        regulation=regulation, kind=Stamp.Kind.APPROVED, by_council_decision=True, position=2
    )
    Nomination.objects.create(regulation=regulation, name="Лучший библиотекарь", position=1)
    Nomination.objects.create(regulation=regulation, name="Лучший проект", position=2)
    Stage.objects.create(
        regulation=regulation,
        what="Приём заявок и видео",
        position=1,
        starts=today - timedelta(days=5),
        ends=today + timedelta(days=5),
    )
    Criterion.objects.create(
        regulation=regulation, name="Актуальность", max_points=10, weight=Decimal("1.5"), position=1
    )
    Criterion.objects.create(
        regulation=regulation, name="Оформление", max_points=5, weight=Decimal("1"), position=2
    )
    Person.objects.create(
        regulation=regulation,
        name="Андреева Ольга Петровна",
        position_text="актриса ТЮЗа",
        is_chair=True,
    )
    return contest


def approve(contest, association):
    """Approve the newest version by a meeting's protocol (№ 1 of 18.01.2024)."""
    from datetime import date

    regulation = services.newest(contest)
    services.record_meeting_decision(
        regulation, association=association, protocol_date=date(2024, 1, 18), protocol_number="1"
    )
    contest.refresh_from_db()
    if hasattr(contest, "_approved"):
        del contest._approved
    return contest


def college(name):
    return factories.OrganizationFactory(name=name, short_name=name)


AWARDS = ((1, "Диплом I степени"), (2, "Диплом II степени"), (3, "Диплом III степени"))


def ranked_contest(contest, applicant, jurors, names):
    """Applications for ``names`` (a representative applies for each), scored by ``jurors``
    (the first chairs the jury), with results approved: each has a diploma or certificate."""
    regulation = contest.approved_regulation
    nominations = list(regulation.nominations.all())
    criteria = list(regulation.criteria.all())
    applications = []
    for index, name in enumerate(names):
        application = services.submit_application(
            contest, applicant, nomination=nominations[index % len(nominations)],
            files=[pdf_upload()], consent=True, participant_name=name,
        )  # fmt: skip
        applications.append(services.decide_application(application, accept=True))
    for number, member in enumerate(jurors):
        seat = services.appoint_juror(contest, member, is_chair=number == 0)
        for index, application in enumerate(applications):
            points = {c.pk: str((index * 3 + number) % (c.max_points + 1)) for c in criteria}
            services.save_scores(seat, application, points)
        services.submit_scores(seat)
    for place, title in AWARDS:
        regulation.awards.create(place=place, title=title)
    services.approve_results(contest)
    contest.refresh_from_db()
    return applications
