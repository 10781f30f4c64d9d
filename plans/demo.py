# ruff: noqa: E501 (the seed's texts are kept verbatim, one per line)
"""The seed's 2024 plan as an approved revision, and a draft for next year copied from it."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from contests.models import Contest
from meetings.models import Meeting, month_name
from meetings.services import create_meeting
from members.models import Association, Member

from .models import Item, Plan, Revision, Section, Stamp
from .services import create_plan
from .services.editing import item_fields

CHAIR_LINE = "Председатель РУМО по библиотечному направлению ПОО ЧР"
COUNCIL_LINE = f"{CHAIR_LINE}, совет РУМО"

PRIORITIES = [
    "Обеспечение единого образовательного пространства профессиональных образовательных организаций Чувашской Республики для координации действий по основным профессиональным образовательным программам среднего профессионального образования, по развитию содержания профессионального образования и обеспечению его качества.",
    "Взаимодействие с Чувашским республиканским институтом образования по организации и проведению семинаров, конференций, конкурсов, олимпиад и других мероприятий в рамках деятельности учебно-методического объединения по библиотечному направлению.",
    "Совершенствование качества библиотечно-информационной деятельности в условиях обновления содержания образования и введения новых ФГОС. Создание условий для личностного и профессионального роста библиотекарей организаций профессионального образования Чувашской Республики методическими средствами с использованием информационно-коммуникационных технологий.",
    "Организация научно-практической деятельности в области профессионального образования и организация участия библиотекарей в конкурсах различного уровня.",
    "Организация работы по повышению профессиональной компетентности библиотечных работников.",
]
TASKS = [
    "Организация работы членов РУМО по библиотечному направлению на 2024 год.",
    "Обобщение передового опыта библиотекарей профессиональных образовательных организаций.",
    "Повышение профессионального уровня квалификации библиотечных работников профессиональных образовательных организаций.",
    "Организация и проведение республиканских конкурсов, научно-практических конференций в рамках деятельности методического объединения по библиотечному направлению.",
    "Участие в реализации Программы развития организаций, реализующих образовательные программы среднего профессионального образования, в целях устранения дефицита рабочих кадров в Чувашской Республике.",
    "Участие в республиканских конкурсах, научно-практических конференциях в рамках деятельности методического объединения по библиотечному направлению.",
    "Повышение статуса воспитания в процессе образования, совершенствование духовно-нравственного, эстетического, патриотического, гражданского воспитания обучающихся.",
    "Участие во внедрении и реализации в учебном процессе новых федеральных государственных образовательных стандартов, в том числе по профессиям и специальностям из перечня ТОП-50 в соответствии со стандартами WorldSkills Russia.",
    "Подведение итогов работы РУМО по библиотечному направлению за 2024 год.",
]
# (text, timing, responsible, contest title)
EVENTS = [
    (
        "Участие в международных, всероссийских, межрегиональных и республиканских конкурсах, фестивалях среди студентов профессиональных образовательных организаций и библиотекарей.",
        "в течение года",
        CHAIR_LINE,
        None,
    ),
    (
        "Проведение заседаний РУМО по библиотечному направлению профессиональных образовательных организаций Чувашской Республики.",
        "В течение года",
        CHAIR_LINE,
        None,
    ),
    (
        "Подготовка и проведение республиканского конкурса «Лучший библиотекарь СПО» среди библиотекарей ПОО Чувашии.",
        "апрель-май",
        COUNCIL_LINE,
        "Лучший библиотекарь СПО",
    ),
    (
        "Подготовка и проведение республиканского конкурса чтецов «Золотая лира» .",
        "октябрь - ноябрь",
        "Председатель РУМО по библиотечному направлению председатель РУМО филологов ПОО ЧР, совет РУМО",
        "Золотая лира",
    ),
]
# (month, place, responsible, agenda)
MEETINGS = [
    (1, "онлайн", COUNCIL_LINE, [
        "«Библиотечное обслуживание студентов: современные подходы и поиск новых форматов».(Опыт работы библиотеки Чебоксарского профессионального колледжа им.Н.В. Никольского)",
        "Рассмотрение и утверждение плана работы РУМО по библиотечному направлению на 2024 год.",
        "Выборы Совета РУМО по библиотечному направлению на 2024 год.",
        "Рассмотрение и утверждение Положения о республиканском конкурсе «Лучший библиотекарь СПО» среди библиотекарей ПОО Чувашии.",
    ]),
    (4, "", "Председатель РУМО по библиотечному направлению и", [
        "Самообразовательная деятельность библиотекаря ПОО и повышение профессиональной компетентности.",
        "Рассмотрение Положения о Республиканском конкурсе чтецов «Золотая лира» .",
    ]),
    (11, "", COUNCIL_LINE, [
        "Современные подходы к организации информационно-библиотечного обслуживания: опыт работы библиотек ПОО Чувашии.",
        "Анализ работы РУМО по библиотечному направлению за 2024 год.",
        "Обзор профессиональных источников информации по библиотечному делу.",
    ]),
]  # fmt: skip
ORGWORK = [
    (
        "Проведение организационного собрания РУМО по библиотечному направлению, выборы Совета. Рассмотрение плана работы РУМО на 2024 учебный год",
        "январь, 2024 г.",
    ),
    (
        "Информирование о проводимых мероприятиях членов учебно-методического объединения в составе РУМО",
        "в течение года",
    ),
    (
        "Подготовка Положений о проводимых учебно-методическим объединением мероприятиях: конкурсах, семинарах, конференциях",
        "В течение года",
    ),
    (
        "Подготовка и проведение тематических заседаний и заседаний по обмену опытом РУМО по библиотечным вопросам",
        "В течение года",
    ),
    ("Предоставление информации о мероприятиях, проводимых РУМО на сайт Союза", "в течение года"),
    ("Сбор информации для банка данных (характеристика кадров) по РУМО", "январь – март, 2024"),
    (
        "Подготовка информационных материалов (справок, отчетов, информации о работе)",
        "в течение года",
    ),
    (
        "Рассмотрение и подготовка ответов на запросы-письма руководителей и работников профессиональных образовательных организаций Чувашской Республики",
        "в течение года",
    ),
    ("Организация повышения квалификации библиотечных работников", "в течение года"),
    ("Подготовка документов для награждения библиотекарей", "по итогам года"),
]


def load(associations: dict[str, Association]) -> Plan:
    """Load the 2024 plan unless it is there, then a copied draft for next year."""
    library = associations["library"]
    with transaction.atomic():
        plan = Plan.objects.filter(association=library, year=2024).first() or load_seed_plan(
            library, associations["philology"]
        )
    next_year = timezone.localdate().year + 1
    if not Plan.objects.filter(association=library, year=next_year).exists():
        chair = Member.objects.filter(user__username="chair").first()
        create_plan(library, year=next_year, by=chair, copy_from=plan.revisions.get(number=1))
    return plan


def load_seed_plan(library: Association, philology: Association) -> Plan:
    plan = Plan.objects.create(association=library, year=2024)
    revision = Revision.objects.create(
        plan=plan,
        number=1,
        status=Revision.Status.APPROVED,
        title="ПЛАН РАБОТЫ\nреспубликанского учебно-методического объединения\n"
        "по библиотечному направлению\nна 2024 год",
        place="Чебоксары",
        signature_position="Председатель РУМО по библиотечному направлению",
        signature_name="С.Н. Лоскутова",
        sent_at=timezone.make_aware(timezone.datetime(2024, 1, 22, 10, 0)),
        approved_at=timezone.make_aware(timezone.datetime(2024, 1, 25, 12, 0)),
    )
    stamps = [
        (Stamp.Kind.AGREED, Stamp.Side.LEFT, "Куратор, член Координационного Совета\nРУМО",
         "О.Б. Кузнецова", "curator", date(2024, 1, 22)),
        (Stamp.Kind.APPROVED, Stamp.Side.RIGHT, "Председатель РУМО\nпедагогических работников",
         "Л.П.Рудакова", "approver", date(2024, 1, 25)),
    ]  # fmt: skip
    for kind, side, position, name, username, signed_on in stamps:
        Stamp.objects.create(
            revision=revision, kind=kind, side=side, position=position, person_name=name,
            signed_on=signed_on, signed_by=Member.objects.filter(user__username=username).first(),
        )  # fmt: skip
    numbered = section(revision, 1, Section.Kind.NUMBERED, "Приоритетные направления деятельности:")
    for text in PRIORITIES:
        item(numbered, text)
    numbered = section(
        revision, 2, Section.Kind.NUMBERED,
        "Основные задачи деятельности учебно-методического объединения библиотекарей:",
    )  # fmt: skip
    for text in TASKS:
        item(numbered, text)
    events = section(revision, 3, Section.Kind.EVENTS, "Планируемые мероприятия:")
    for text, timing, responsible, contest_title in EVENTS:
        contest = seed_contest(contest_title, library, philology) if contest_title else None
        item(events, text, timing=timing, responsible=responsible, contest=contest)
    meetings = section(revision, 4, Section.Kind.MEETINGS, "Проведение заседаний РУМО:")
    for month, place, responsible, agenda in MEETINGS:
        meeting = create_meeting(
            library, year=2024, planned_month=month, agenda=[(title, "") for title in agenda],
            place=place, status=Meeting.Status.HELD,
        )  # fmt: skip
        item(meetings, f"Заседание № {meeting.number}.", timing=f"{month_name(month)}, 2024 г.",
             place=place, responsible=responsible, meeting=meeting,
             execution=Item.Execution.DONE)  # fmt: skip
    orgwork = section(
        revision, 5, Section.Kind.ORGWORK,
        "Организационная работа РУМО библиотечных работников профессиональных "
        "образовательных организаций Чувашской Республики:",
    )  # fmt: skip
    for text, timing in ORGWORK:
        item(orgwork, text, timing=timing)
    return plan


def section(revision: Revision, position: int, kind: str, title: str) -> Section:
    return Section.objects.create(revision=revision, position=position, kind=kind, title=title)


def item(section: Section, text: str, **fields) -> Item:
    # The seed plan is loaded as already approved, so rows are written directly
    # rather than through the draft-only editing services; timings are read alike.
    return Item.objects.create(
        section=section,
        position=section.items.count() + 1,
        text=text,
        **item_fields(fields, section),
    )


def seed_contest(title: str, library: Association, philology: Association) -> Contest:
    contest, _ = Contest.objects.get_or_create(title=title, year=2024)
    contest.organizers.add(library)
    if title == "Золотая лира":
        contest.organizers.add(philology)
    return contest
