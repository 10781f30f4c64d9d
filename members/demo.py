"""Demo associations, colleges and people taken from the 2024 seed plan.

Every row is found by a natural key and updated in place, so loading twice
leaves the same data.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .consent import CONSENT_VERSION
from .models import (
    Association,
    Award,
    AwardNominee,
    AwardPetition,
    Campaign,
    Consent,
    Course,
    Member,
    Membership,
    Organization,
)
from .services.campaigns import queue_invitations

DEMO_PASSWORD = "rumo-demo-2024"
Role = Membership.Role

ORGANIZATIONS = [
    (
        "Чебоксарский профессиональный колледж им. Н.В. Никольского",
        "ЧПК им. Н.В. Никольского",
        "Чебоксары",
    ),
    ("Чебоксарский экономико-технологический колледж", "ЧЭТК", "Чебоксары"),
    ("Чебоксарский техникум строительства и городского хозяйства", "ЧТСГХ", "Чебоксары"),
    ("Канашский педагогический колледж", "КПК", "Канаш"),
    ("Алатырский технологический колледж", "АТК", "Алатырь"),
    ("Новочебоксарский химико-механический техникум", "НХМТ", "Новочебоксарск"),
    ("Цивильский аграрно-технологический техникум", "ЦАТТ", "Цивильск"),
    ("Шумерлинский политехнический техникум", "ШПТ", "Шумерля"),
]


@dataclass(frozen=True)
class Person:
    last_name: str
    first_name: str
    patronymic: str
    org: int
    position: str
    username: str = ""
    roles: tuple = ()
    staff: bool = False


# (association slug, role, title for documents)
PEOPLE = [
    Person(
        "Лоскутова",
        "Светлана",
        "Николаевна",
        0,
        "заведующий библиотекой",
        "chair",
        (("library", Role.CHAIR, "Председатель РУМО по библиотечному направлению"),),
    ),
    Person(
        "Кузнецова",
        "Ольга",
        "Борисовна",
        1,
        "методист",
        "curator",
        (("library", Role.CURATOR, "Куратор, член Координационного Совета РУМО"),),
    ),
    Person(
        "Рудакова",
        "Людмила",
        "Петровна",
        2,
        "заместитель директора",
        "approver",
        (
            ("library", Role.APPROVER, "Председатель РУМО педагогических работников"),
            ("pedagogy", Role.CHAIR, "Председатель РУМО педагогических работников"),
        ),
    ),
    Person(
        "Иванова",
        "Марина",
        "Алексеевна",
        3,
        "библиотекарь",
        "council",
        (("library", Role.COUNCIL, "Член совета РУМО"),),
    ),
    Person(
        "Петрова",
        "Елена",
        "Викторовна",
        4,
        "заведующий библиотекой",
        "",
        (("library", Role.COUNCIL, "Член совета РУМО"),),
    ),
    Person(
        "Николаева",
        "Ирина",
        "Геннадьевна",
        5,
        "педагог-библиотекарь",
        "",
        (("library", Role.SECRETARY, "Секретарь РУМО"), ("library", Role.COUNCIL, "")),
    ),
    Person(
        "Васильева",
        "Наталья",
        "Ивановна",
        6,
        "библиотекарь",
        "member",
        (("library", Role.MEMBER, ""),),
    ),
    Person(
        "Семёнова",
        "Татьяна",
        "Юрьевна",
        0,
        "преподаватель литературы",
        "philology",
        (("philology", Role.CHAIR, "Председатель РУМО филологов"),),
    ),
    Person("Григорьева", "Анна", "Сергеевна", 2, "специалист отдела СПО", "staff", (), True),
]

SURNAMES = [
    "Алексеева",
    "Андреева",
    "Яковлева",
    "Фёдорова",
    "Михайлова",
    "Егорова",
    "Павлова",
    "Степанова",
    "Орлова",
    "Ефимова",
    "Тимофеева",
    "Волкова",
    "Соловьёва",
    "Борисова",
    "Ильина",
    "Максимова",
    "Кириллова",
    "Захарова",
    "Ёлкина",
    "Зайцева",
    "Никитина",
]
NAMES = [
    ("Ольга", "Владимировна"),
    ("Светлана", "Петровна"),
    ("Надежда", "Николаевна"),
    ("Галина", "Аркадьевна"),
    ("Людмила", "Васильевна"),
    ("Валентина", "Ивановна"),
    ("Алина", "Олеговна"),
    ("Юлия", "Эдуардовна"),
    ("Вера", "Семёновна"),
]
POSITIONS = ["библиотекарь", "заведующий библиотекой", "педагог-библиотекарь", "библиотекарь"]
COURSES = [
    ("Современная библиотека образовательной организации", "ЧРИО", 72),
    ("Цифровые сервисы библиотеки", "БПОУ «ЧЭТК» Минобразования Чувашии", 36),
    (
        "Информационная безопасность в библиотеке",
        "Национальная библиотека Чувашской Республики",
        16,
    ),
    (
        "Организация работы школьного информационно-библиотечного центра",
        "ЧГПУ им. И.Я. Яковлева",
        108,
    ),
]
AWARDS = [
    ("Почётная грамота Министерства образования Чувашской Республики", "Минобразования Чувашии"),
    ("Благодарность РУМО педагогических работников", "РУМО педагогических работников"),
    ("Диплом победителя конкурса «Лучший библиотекарь СПО»", "РУМО библиотекарей"),
]
THIS_YEAR = timezone.localdate().year
CAMPAIGN_TITLE = "Банк данных: характеристика кадров (январь–март)"


def load() -> dict:
    """Create or update the demo associations, colleges and people."""
    with transaction.atomic():
        associations = load_associations()
        organizations = [
            Organization.objects.update_or_create(
                name=name, defaults={"short_name": short, "city": city}
            )[0]
            for name, short, city in ORGANIZATIONS
        ]
        for person in PEOPLE:
            load_person(person, associations, organizations)
        load_rank_and_file(associations["library"], organizations)
        load_campaign(associations["library"])
        load_petition(associations["library"])
    return associations


def load_associations() -> dict[str, Association]:
    pedagogy, _ = Association.objects.update_or_create(
        slug="pedagogy",
        defaults={
            "name": "РУМО педагогических работников",
            "short_name": "РУМО педагогических работников",
        },
    )
    library, _ = Association.objects.update_or_create(
        slug="library",
        defaults={
            "name": "РУМО по библиотечному направлению",
            "short_name": "РУМО библиотекарей",
            "parent": pedagogy,
        },
    )
    philology, _ = Association.objects.update_or_create(
        slug="philology",
        defaults={
            "name": "РУМО филологов",
            "short_name": "РУМО филологов",
            "parent": pedagogy,
        },
    )
    return {"pedagogy": pedagogy, "library": library, "philology": philology}


def load_person(person: Person, associations, organizations) -> Member:
    member, _ = Member.objects.update_or_create(
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
        defaults={
            "organization": organizations[person.org],
            "position": person.position,
            "email": f"{person.username or translit(person.last_name)}@example.org",
        },
    )
    fill_data_bank(member, random.Random(member.last_name))
    if person.username:
        user = demo_user(person.username, member, staff=person.staff)
        if member.user_id != user.pk:
            member.user = user
            member.save(update_fields=["user"])
    for slug, role, title in person.roles:
        Membership.objects.update_or_create(
            member=member,
            association=associations[slug],
            role=role,
            start=date(2024, 1, 1),
            defaults={
                "title": title,
                "note": "избран(а) на заседании № 1" if role == Role.COUNCIL else "",
            },
        )
    return member


def load_rank_and_file(library: Association, organizations) -> None:
    rng = random.Random(2024)
    for index, surname in enumerate(SURNAMES):
        first_name, patronymic = NAMES[index % len(NAMES)]
        member, _ = Member.objects.update_or_create(
            last_name=surname,
            first_name=first_name,
            patronymic=patronymic,
            defaults={
                "organization": organizations[index % len(organizations)],
                "position": POSITIONS[index % len(POSITIONS)],
                # Some members have no e-mail, as in real life.
                "email": "" if index % 10 == 9 else f"{translit(surname)}{index}@example.org",
            },
        )
        fill_data_bank(member, rng)
        Membership.objects.update_or_create(
            member=member, association=library, role=Role.MEMBER, start=date(2024, 1, 1)
        )


def fill_data_bank(member: Member, rng: random.Random) -> None:
    total = rng.randint(1, 38)
    category = rng.choice(list(Member.Category.values))
    member.education = rng.choice(
        [Member.Education.HIGHER, Member.Education.HIGHER, Member.Education.VOCATIONAL]
    )
    member.has_library_education = rng.random() < 0.6
    member.category = category
    member.category_date = (
        None
        if category == Member.Category.NONE
        else date(rng.randint(2019, 2023), rng.randint(1, 12), 1)
    )
    member.total_experience = total
    member.library_experience = rng.randint(0, total)
    member.phone = f"+7 (8352) {rng.randint(20, 79)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
    member.consent_at = timezone.make_aware(datetime(2024, 1, 20, 10, 0))
    member.consent_version = CONSENT_VERSION
    member.confirmed_at = timezone.make_aware(
        datetime(2024, rng.randint(1, 3), rng.randint(1, 28), 12, 0)
    )
    member.save()
    Consent.objects.get_or_create(
        member=member, version=CONSENT_VERSION, defaults={"given_at": member.consent_at}
    )
    for title, organizer, hours in rng.sample(COURSES, rng.randint(0, 3)):
        Course.objects.update_or_create(
            member=member,
            title=title,
            defaults={
                "organizer": organizer,
                "hours": hours,
                "year": rng.randint(THIS_YEAR - 6, THIS_YEAR),
            },
        )
    for title, issued_by in rng.sample(AWARDS, rng.choice([0, 0, 1, 2])):
        Award.objects.update_or_create(
            member=member,
            title=title,
            defaults={"issued_by": issued_by, "year": rng.randint(2015, 2024)},
        )


def load_campaign(library: Association) -> Campaign:
    """A collection campaign in progress: opened ten days ago, about half have answered."""
    campaign, _ = Campaign.objects.get_or_create(
        association=library,
        title=CAMPAIGN_TITLE,
        defaults={
            "opened_at": timezone.now() - timedelta(days=10),
            "due_date": timezone.localdate() + timedelta(days=30),
            "reminder_interval_days": 7,
        },
    )
    rng = random.Random(campaign.pk)
    for member in Member.objects.of_association(library).exclude(user__username="member"):
        if rng.random() < 0.55:
            member.confirmed_at = campaign.opened_at + timedelta(hours=rng.randint(1, 200))
            member.save(update_fields=["confirmed_at"])
    # Through the real service: every member asked has an invitation row in the outbox.
    queue_invitations(campaign)
    return campaign


PETITION_AWARD = "Почётная грамота Министерства образования Чувашской Республики"
PETITION_MERITS = (
    "За многолетний добросовестный труд, большой вклад в развитие библиотечного дела "
    "в системе профессионального образования Чувашской Республики и активное участие "
    "в работе РУМО.",
    "За высокий профессионализм, организацию цикла мероприятий по продвижению чтения "
    "среди студентов и подготовку победителей республиканских конкурсов.",
)


def load_petition(library: Association) -> AwardPetition:
    """An award petition in preparation: three nominees, the merits of two written."""
    petition, _ = AwardPetition.objects.get_or_create(
        association=library,
        award=PETITION_AWARD,
        defaults={"addressee": "Министру образования Чувашской Республики"},
    )
    people = (
        Member.objects.of_association(library)
        .filter(total_experience__gte=10)
        .order_by("last_name", "first_name", "pk")[:3]
    )
    for index, member in enumerate(people):
        reason = PETITION_MERITS[index] if index < len(PETITION_MERITS) else ""
        AwardNominee.objects.get_or_create(
            petition=petition, member=member, defaults={"reason": reason}
        )
    return petition


def demo_user(username: str, member: Member, *, staff: bool):
    user, _ = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "is_staff": staff,
            "is_active": True,
        },
    )
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


LETTERS = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def translit(text: str) -> str:
    return "".join(LETTERS.get(ch, ch) for ch in text.lower())


def logins() -> list[tuple[str, str]]:
    """Return (login, who) pairs for the demo accounts, for the start command to print."""
    return [
        ("chair", "председатель РУМО библиотекарей (С.Н. Лоскутова)"),
        ("council", "член совета (М.А. Иванова)"),
        ("member", "член РУМО (Н.И. Васильева)"),
        ("curator", "куратор, согласует план (О.Б. Кузнецова)"),
        ("approver", "утверждает план (Л.П. Рудакова)"),
        ("staff", "сотрудник, администрирование (А.С. Григорьева)"),
        ("philology", "председатель РУМО филологов (Т.Ю. Семёнова)"),
    ]
