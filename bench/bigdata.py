"""Grow the demo data (``load_demo``) to ten times its size for bench/run.py.

Ten associations (the demo's and new ones) with 300 more members each
(3,000 in all), ten years of approved plans for each (copies of the seed
plan's text, 100 plans), and 300 meetings (30 per association over the ten
years, four agenda questions each, the past ones with minutes, the future
ones announced). The demo's own pages stay what they are; around them the
database, the lists (people, meetings, feeds, the dashboard) and the indexes
are ten times larger.

Run inside a configured Django process: ``bench.bigdata.grow()``.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

ASSOCIATIONS = 10
MEMBERS_EACH = 300
YEARS = 10
MEETINGS_EACH = 30


@transaction.atomic
def grow() -> dict:
    from meetings.models import AgendaItem, Meeting
    from members.models import Association, Member, Membership, Organization
    from plans.models import Item, Plan, Revision, Section

    library = Association.objects.get(slug="library")
    seed = Revision.objects.get(plan__association=library, plan__year=2024, number=1)
    sections = list(seed.sections.prefetch_related("items").order_by("position"))
    associations = list(Association.objects.order_by("pk"))
    for n in range(ASSOCIATIONS - len(associations)):
        associations.append(
            Association.objects.create(
                name=f"РУМО по направлению № {n + 1} (замер)",
                short_name=f"РУМО № {n + 1}",
                slug=f"bench-{n + 1}",
                parent=library.parent,
            )
        )
    organizations = list(Organization.objects.all())
    members = Member.objects.bulk_create(
        Member(
            last_name=f"Фамилия{a}-{n}", first_name="Анна", patronymic="Ивановна",
            organization=organizations[n % len(organizations)],
            email=f"bench{a}-{n}@bench.example.org",
        )
        for a in range(len(associations)) for n in range(MEMBERS_EACH)
    )  # fmt: skip
    Membership.objects.bulk_create(
        Membership(
            member=member,
            association=associations[i // MEMBERS_EACH],
            role=Membership.Role.MEMBER,
        )
        for i, member in enumerate(members)
    )

    this_year = timezone.localdate().year
    plans = 0
    for association in associations:
        for year in range(this_year - YEARS + 1, this_year + 1):
            if Plan.objects.filter(association=association, year=year).exists():
                continue
            plan = Plan.objects.create(association=association, year=year)
            revision = Revision.objects.create(
                plan=plan, number=1, status=Revision.Status.APPROVED, title=seed.title,
                place=seed.place, approved_at=timezone.now(),
            )  # fmt: skip
            new_sections = Section.objects.bulk_create(
                Section(revision=revision, position=s.position, kind=s.kind, title=s.title,
                        text=s.text)
                for s in sections
            )  # fmt: skip
            Item.objects.bulk_create(
                Item(
                    section=new, position=item.position, text=item.text, timing=item.timing,
                    month_mask=item.month_mask, place=item.place,
                    responsible=item.responsible,
                )
                for source, new in zip(sections, new_sections, strict=True)
                for item in source.items.all()
            )  # fmt: skip
            plans += 1

    moscow = ZoneInfo("Europe/Moscow")
    now = timezone.now()
    meetings = 0
    for association in associations:
        taken = set(Meeting.objects.filter(association=association).values_list("year", "number"))
        created = []
        for n in range(MEETINGS_EACH):
            year = this_year - YEARS + 2 + n // 3  # three a year, the last year ahead
            number = 10 + n % 3
            if (year, number) in taken:
                continue
            month = 2 + 4 * (n % 3)
            starts = datetime.combine(datetime(year, month, 15).date(), time(14, 0), moscow)
            past = starts < now
            created.append(
                Meeting(
                    association=association,
                    year=year,
                    number=number,
                    topic=f"Заседание № {number} ({year})",
                    planned_month=month,
                    starts_at=starts,
                    format=Meeting.Format.ONLINE,
                    link="https://meet.example.org/rumo",
                    status=Meeting.Status.HELD if past else Meeting.Status.ANNOUNCED,
                    announced_at=starts - timedelta(days=14)
                    if starts - timedelta(days=14) < now
                    else None,
                    minutes_chair="С.Н. Лоскутова" if past else "",
                    minutes_secretary="И.Г. Николаева" if past else "",
                    minutes_approved_at=starts + timedelta(days=3) if past else None,
                )  # fmt: skip
            )
        created = Meeting.objects.bulk_create(created)
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                position=p,
                title=f"Вопрос № {p} заседания № {meeting.number}",
                speakers="Докладчик",
                heard="Слушали." if meeting.minutes_approved_at else "",
                decided="Решили." if meeting.minutes_approved_at else "",
            )  # fmt: skip
            for meeting in created
            for p in range(1, 5)
        )
        meetings += len(created)
    return {"members": len(members), "plans": plans, "meetings": meetings}
