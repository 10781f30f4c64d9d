# ruff: noqa: E501 (regulation texts are kept one per line)
"""Demo contests from the seed plan: «Лучший библиотекарь СПО» 2024 run to the end and
«Золотая лира» 2027 with its regulations under the council's vote.

Runs after the plans demo (which creates the 2024 contests linked to plan items)
and the meetings demo (which holds meeting № 1 of 2024, whose 4th question
approved the regulations). Safe to run again: a contest that already has
regulations is left alone.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meetings.models import AgendaItem
from members.models import Association, Member, Membership

from . import services
from .models import (
    Application,
    Award,
    Clause,
    Contest,
    Criterion,
    Juror,
    Nomination,
    Organiser,
    Person,
    Regulation,
    Score,
    Section,
    Stage,
    Stamp,
)

Role = Membership.Role
BEST_LIBRARIAN = "Лучший библиотекарь СПО"
GOLDEN_LYRE = "Золотая лира"

LIBRARIAN_SECTIONS = [
    (
        "Общие положения",
        [
            "Настоящее Положение определяет цели, задачи, порядок организации и проведения республиканского конкурса «Лучший библиотекарь СПО» среди библиотекарей профессиональных образовательных организаций Чувашской Республики (далее – Конкурс).",
            "Конкурс проводится республиканским учебно-методическим объединением по библиотечному направлению (далее – РУМО).",
        ],
    ),
    (
        "Цели и задачи Конкурса",
        [
            "Цель Конкурса – повышение престижа профессии библиотекаря и выявление лучших практик библиотечного обслуживания студентов.\nЗадачи Конкурса:\n– обобщение и распространение передового опыта;\n– поддержка творческой инициативы библиотекарей;\n– развитие новых форм работы с читателями.",
        ],
    ),
    (
        "Участники Конкурса",
        [
            "В Конкурсе участвуют библиотекари профессиональных образовательных организаций Чувашской Республики.",
            "Участие в Конкурсе индивидуальное.",
        ],
    ),
    (
        "Порядок проведения Конкурса",
        [
            "Конкурс проводится в два этапа: заочный (приём заявок и видеопрезентаций) и очный (публичная защита).",
            "Для участия необходимо подать заявку через портал Rumo и приложить:\n- видеопрезентацию опыта работы (до 5 минут);\n- описание проекта или мероприятия.",
        ],
    ),
    (
        "Подведение итогов и награждение",
        [
            "Итоги подводит жюри по критериям, указанным в настоящем Положении.",
            "Победители и призёры награждаются дипломами I, II, III степени, участники – сертификатами.",
        ],
    ),
]
LYRE_SECTIONS = [
    (
        "Общие положения",
        [
            "Республиканский конкурс чтецов «Золотая лира» (далее – Конкурс) проводится РУМО по библиотечному направлению совместно с РУМО филологов профессиональных образовательных организаций Чувашской Республики.",
        ],
    ),
    (
        "Цели и задачи Конкурса",
        [
            "Цель Конкурса – приобщение студентов к чтению и художественному слову.",
            "Задачи:\n– выявление талантливых чтецов;\n– развитие культуры устной речи.",
        ],
    ),
    (
        "Участники Конкурса",
        [
            "В Конкурсе участвуют студенты профессиональных образовательных организаций Чувашской Республики. Заявку за студента подаёт библиотекарь или преподаватель колледжа.",
        ],
    ),
    (
        "Сроки и порядок проведения",
        [
            "Конкурс проводится в три этапа: приём заявок и видеозаписей; голосование за приз зрительских симпатий; подведение итогов.",
        ],
    ),
]


def moscow(day: date, at: time = time(12, 0)) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), ZoneInfo(settings.TIME_ZONE))


def member(last_name: str) -> Member | None:
    return Member.objects.filter(last_name=last_name).order_by("pk").first()


def fill(
    regulation: Regulation, sections, *, stamps, nominations, stages, criteria, jury, awards
) -> None:
    for position, (title, clauses) in enumerate(sections, start=1):
        section = Section.objects.create(regulation=regulation, position=position, title=title)
        for n, text in enumerate(clauses, start=1):
            Clause.objects.create(section=section, position=n, text=text)
    for n, fields in enumerate(stamps, start=1):
        Stamp.objects.create(regulation=regulation, position=n, **fields)
    for n, (name, category) in enumerate(nominations, start=1):
        Nomination.objects.create(regulation=regulation, position=n, name=name, category=category)
    for n, (starts, ends, what, place) in enumerate(stages, start=1):
        Stage.objects.create(
            regulation=regulation, position=n, starts=starts, ends=ends, what=what, place=place
        )
    for n, (name, points, weight) in enumerate(criteria, start=1):
        Criterion.objects.create(
            regulation=regulation, position=n, name=name, max_points=points, weight=Decimal(weight)
        )
    for n, (who, name, position_text, is_chair) in enumerate(jury, start=1):
        Person.objects.create(
            regulation=regulation,
            position=n,
            member=who,
            name=name,
            position_text=position_text,
            is_chair=is_chair,
        )
    for n, (place, title) in enumerate(awards, start=1):
        Award.objects.create(regulation=regulation, position=n, place=place, title=title)


def load(associations: dict[str, Association]) -> None:
    library, philology = associations["library"], associations["philology"]
    with transaction.atomic():
        load_best_librarian(library)
    with transaction.atomic():
        load_golden_lyre(library, philology)


def load_best_librarian(library: Association) -> Contest:
    contest, _ = Contest.objects.get_or_create(title=BEST_LIBRARIAN, year=2024)
    contest.organizers.add(library)
    if contest.regulations.exists():
        return contest
    contest.period = "апрель – май 2024"
    contest.save(update_fields=["period"])
    chair, council, petrova = member("Лоскутова"), member("Иванова"), member("Петрова")
    regulation = Regulation.objects.create(
        contest=contest,
        number=1,
        audience="среди библиотекарей ПОО Чувашии",
        application_opens=date(2024, 4, 1),
        application_closes=date(2024, 4, 30),
        required_files="видеопрезентация опыта работы и описание проекта",
        allowed_extensions="pdf, docx, mp4",
        tie_rule=Regulation.TieRule.FIRST_CRITERION,
        contacts="Лоскутова Светлана Николаевна, председатель РУМО, тел. +7 (8352) 45-12-34, rumo-library@example.org",
        appendix="1. ФИО участника\n2. Колледж, должность\n3. Номинация\n4. Название проекта\n5. Контактный телефон, e-mail",
    )
    Organiser.objects.create(
        regulation=regulation,
        position=1,
        name=library.name,
        role="организатор",
        association=library,
    )
    fill(
        regulation,
        LIBRARIAN_SECTIONS,
        stamps=[{"kind": Stamp.Kind.APPROVED, "by_council_decision": True}],
        nominations=[
            ("Лучший библиотекарь СПО", "библиотекари ПОО"),
            ("Лучший библиотечный проект", "библиотекари ПОО"),
        ],
        stages=[
            (date(2024, 4, 1), date(2024, 4, 30), "Приём заявок и видеопрезентаций", "портал Rumo"),
            (date(2024, 5, 6), date(2024, 5, 20), "Оценка работ жюри", "заочно"),
            (
                date(2024, 5, 28),
                date(2024, 5, 28),
                "Подведение итогов и награждение",
                "ЧПК им. Н.В. Никольского",
            ),
        ],
        criteria=[
            ("Актуальность и новизна опыта", 10, "1.5"),
            ("Практическая значимость", 10, "1.5"),
            ("Качество презентации", 5, "1"),
            ("Культура речи", 5, "1"),
            ("Соблюдение регламента", 5, "0.5"),
        ],
        jury=[
            (chair, "", "председатель РУМО по библиотечному направлению", True),
            (council, "", "член Совета РУМО", False),
            (petrova, "", "член Совета РУМО", False),
        ],
        awards=[
            (1, "Диплом I степени"),
            (2, "Диплом II степени"),
            (3, "Диплом III степени"),
            (None, "Сертификат участника"),
        ],
    )
    item = (
        AgendaItem.objects.filter(
            meeting__association=library,
            meeting__year=2024,
            meeting__number=1,
            title__contains="Лучший библиотекарь",
        )
        .select_related("meeting")
        .first()
    )
    services.record_meeting_decision(
        regulation,
        association=library,
        agenda_item=item,
        protocol_date=date(2024, 1, 18),
        protocol_number="1",
    )
    Regulation.objects.filter(pk=regulation.pk).update(
        approved_at=moscow(date(2024, 1, 18), time(16, 0))
    )
    contest = Contest.objects.get(pk=contest.pk)
    run_best_librarian(contest, regulation, library, [chair, council, petrova])
    return contest


def run_best_librarian(contest, regulation, library, jury_members) -> None:
    """Applications, blind scores, approved and published results — as in spring 2024."""
    named = {"Лоскутова", "Иванова", "Петрова", "Николаева", "Васильева"}
    rank_and_file = [
        m
        for m in Member.objects.of_association(library)
        .select_related("organization")
        .order_by("pk")
        if m.last_name not in named
    ][:8]
    nominations = list(regulation.nominations.all())
    for index, applicant in enumerate(rank_and_file):
        Application.objects.create(
            contest=contest,
            nomination=nominations[index % len(nominations)],
            applicant=applicant,
            organization=applicant.organization,
            work_title=[
                "Библиотека как третье место",
                "Читательский клуб «Книжная полка»",
                "Буккроссинг в колледже",
                "Виртуальная выставка к юбилею",
            ][index % 4],
            status=Application.Status.ACCEPTED,
            consent_at=moscow(date(2024, 4, 10 + index)),
            submitted_at=moscow(date(2024, 4, 10 + index)),
        )
    rng = random.Random(2024)
    criteria = list(regulation.criteria.all())
    for n, person in enumerate(jury_members):
        if person is None:
            continue
        juror = Juror.objects.create(contest=contest, member=person, is_chair=n == 0)
        for application in contest.applications.select_related("applicant"):
            if juror.is_recused_from(application):
                continue
            for criterion in criteria:
                low = criterion.max_points // 2
                Score.objects.create(
                    juror=juror,
                    application=application,
                    criterion=criterion,
                    points=Decimal(rng.randint(low, criterion.max_points)),
                )
        juror.submitted_at = moscow(date(2024, 5, 20))
        juror.save(update_fields=["submitted_at"])
    services.approve_results(contest, now=moscow(date(2024, 5, 28), time(15, 0)))
    services.publish_results(contest, now=moscow(date(2024, 5, 28), time(16, 0)))


def load_golden_lyre(library: Association, philology: Association) -> Contest:
    year = 2027
    contest = Contest.objects.filter(title=GOLDEN_LYRE, year=year).first()
    if contest is not None and contest.regulations.exists():
        return contest
    contest = services.create_contest(title=GOLDEN_LYRE, year=year, organizers=[library, philology])
    contest.period = f"октябрь – ноябрь {year}"
    contest.save(update_fields=["period"])
    regulation = services.newest(contest)
    regulation.sections.all().delete()
    Regulation.objects.filter(pk=regulation.pk).update(
        kind="республиканского конкурса чтецов",
        audience="среди студентов ПОО Чувашской Республики",
        dedication="посвящённого Году защитника Отечества",
        application_opens=date(year, 10, 1),
        application_closes=date(year, 10, 25),
        required_files="видеозапись выступления (до 3 минут)",
        allowed_extensions="mp4, mov",
        tie_rule=Regulation.TieRule.JURY_CHAIR,
        contacts="Лоскутова С.Н., РУМО по библиотечному направлению; Семёнова Т.Ю., РУМО филологов",
    )
    regulation.refresh_from_db()
    fill(
        regulation,
        LYRE_SECTIONS,
        stamps=[
            {
                "kind": Stamp.Kind.AGREED,
                "signer_name": "Е.А. Павлова",
                "signer_position": "Директор БУ ЧР ДПО «Чувашский республиканский институт образования»",
            },
            {"kind": Stamp.Kind.APPROVED, "by_council_decision": True},
        ],
        nominations=[("Поэзия", "студенты 1–2 курсов"), ("Проза", "студенты 1–4 курсов")],
        stages=[
            (date(year, 10, 1), date(year, 10, 25), "Приём заявок и видеозаписей", "портал Rumo"),
            (
                date(year, 10, 28),
                date(year, 11, 5),
                "Голосование за приз зрительских симпатий",
                "страница РУМО",
            ),
            (
                date(year, 11, 20),
                date(year, 11, 20),
                "Подведение итогов",
                "ЧПК им. Н.В. Никольского",
            ),
        ],
        criteria=[
            ("Знание текста", 5, "1"),
            ("Выразительность и интонация", 10, "1.5"),
            ("Артистизм", 10, "1"),
            ("Соответствие теме", 5, "1"),
        ],
        jury=[
            (member("Семёнова"), "", "председатель РУМО филологов", True),
            (member("Лоскутова"), "", "председатель РУМО по библиотечному направлению", False),
            (
                None,
                "Андреева Ольга Петровна",
                "актриса Чувашского государственного театра юного зрителя",
                False,
            ),
        ],
        awards=[
            (1, "Диплом I степени"),
            (2, "Диплом II степени"),
            (3, "Диплом III степени"),
            (None, "Приз зрительских симпатий"),
        ],
    )
    services.send_to_council(regulation, deadline=timezone.now() + timedelta(days=10))
    for last_name in ("Иванова", "Семёнова"):
        voter = member(last_name)
        if voter is not None:
            services.cast_vote(regulation, voter, choice="for", comment="")
    return contest
