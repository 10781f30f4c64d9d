"""Every role's main pages pass axe-core with no critical or serious violation, on a desktop
and on a phone, and no page scrolls sideways on a phone outside a marked table region.

The pages come from the demo data (``load_demo``), as a visitor, a member, the chair
and staff see them. Add a page here when you add one to Rumo.
"""

import io
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from contests.models import Contest
from meetings.models import Meeting
from members.demo import DEMO_PASSWORD
from members.models import Association, AwardPetition, Campaign, Member
from plans.models import Revision
from rumo.models import DocumentBuild
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}
BLOCKING = {"critical", "serious"}
# Regions allowed to scroll sideways on a phone: wide tables, marked in the templates.
SCROLL_REGIONS = ".table-responsive"


# Elements that stick out of a phone's screen, outside the regions that may scroll.
WIDER_THAN_SCREEN = """(regions) => {
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(regions)) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > window.innerWidth + 1) {
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (classes ? '.' + classes.split(/\\s+/).join('.') : ''));
    }
  }
  // Content clipped by a region can still widen the page (an absolutely positioned
  // child escapes a static region): what the reader feels is the page's width.
  const page = document.documentElement.scrollWidth;
  if (page > window.innerWidth + 1) wide.push('html (scrollWidth ' + page + ')');
  return wide.slice(0, 5);
}"""


@dataclass(frozen=True)
class Visit:
    role: str  # demo login, or "" for a visitor
    name: str
    url: str
    status: int = 200  # a page answered with another status on purpose (404)


def pages() -> list[Visit]:
    library = Association.objects.get(slug="library")
    approved = Revision.objects.filter(plan__association=library, status="approved").first()
    draft = Revision.objects.filter(plan__association=library).exclude(status="approved").first()
    held = Meeting.objects.filter(association=library, minutes_approved_at__isnull=False).first()
    upcoming = (
        Meeting.objects.filter(association=library, status=Meeting.Status.ANNOUNCED)
        .order_by("-starts_at")
        .first()
    )
    campaign = Campaign.objects.first()
    chair = Member.objects.get(user__username="chair")
    code = DocumentBuild.objects.filter(kind="plans.signed", object_id=approved.pk).first()
    visits = [
        Visit("", "главная", reverse("home")),
        Visit("", "вход", reverse("login")),
        Visit("", "проверка документа", reverse("verify-lookup")),
        Visit("", "утверждённый план", approved.plan.get_absolute_url()),
        Visit("", "страница объединения", reverse("public-association", args=[library.slug])),
        Visit("", "предстоящие заседания", reverse("public-schedule")),
        Visit("", "неизвестный код", reverse("verify", args=["NOSUCHCODE"]), 404),
        Visit("member", "кабинет", reverse("home")),
        Visit("member", "планы", reverse("plans:list")),
        Visit("member", "заседания", reverse("meetings:list")),
        Visit("member", "заседание", upcoming.get_absolute_url()),
        Visit("member", "календарь", reverse("notices:calendar")),
        Visit("member", "мой профиль", reverse("members:me")),
        Visit("chair", "кабинет", reverse("home")),
        Visit("chair", "план", approved.get_absolute_url()),
        Visit("chair", "справочник", reverse("members:directory")),
        Visit("chair", "банк данных", reverse("members:databank")),
        Visit("chair", "характеристика кадров", reverse("members:report", args=[library.slug])),
        Visit("chair", "ходатайства", reverse("members:petitions", args=[library.slug])),
        Visit(
            "chair", "новое ходатайство", reverse("members:petition-create", args=[library.slug])
        ),
        Visit(
            "chair",
            "ходатайство",
            AwardPetition.objects.get(association=library).get_absolute_url(),
        ),
        Visit("chair", "импорт плана из Word", reverse("plans:import")),
        Visit("staff", "люди и роли", reverse("members:people")),
        Visit("staff", "карточка участника", reverse("members:member-detail", args=[chair.pk])),
        Visit("staff", "загрузка списка", reverse("members:import-create")),
    ]
    contest = Contest.objects.filter(title__contains="Лучший библиотекарь").order_by("pk").first()
    if contest:
        visits += [
            Visit("member", "конкурсы", reverse("contests:list")),
            Visit("member", "конкурс", contest.get_absolute_url()),
            Visit("", "положение о конкурсе", contest.approved_regulation.get_absolute_url()),
            Visit("chair", "итоги конкурса", reverse("contests:results", args=[contest.pk])),
            Visit("chair", "письма конкурса", reverse("contests:deliveries", args=[contest.pk])),
            Visit("council", "оценочный лист", reverse("contests:scoring", args=[contest.pk])),
        ]
    if draft:
        visits.append(Visit("chair", "редактор проекта", draft.get_absolute_url()))
    if held:
        visits.append(Visit("member", "протокол", held.get_absolute_url()))
        visits.append(
            Visit("chair", "редактор протокола", reverse("meetings:minutes", args=[held.pk]))
        )
    if campaign:
        visits.append(Visit("chair", "сбор данных", campaign.get_absolute_url()))
    if code is not None and getattr(code, "issued", None) is not None:
        visits.append(Visit("", "страница проверки", code.issued.get_absolute_url()))
    return visits


def describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}"


def test_main_pages_of_every_role_are_accessible_on_desktop_and_phone(browser, live_server):
    call_command("load_demo", stdout=io.StringIO())
    axe = Axe()
    problems: list[str] = []
    visits = pages()
    for role in dict.fromkeys(visit.role for visit in visits):
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": width, "height": height}
            )
            page = context.new_page()
            if role:
                log_in(page, Member.objects.get(user__username=role), DEMO_PASSWORD)
            for visit in (v for v in visits if v.role == role):
                where = f"{role or 'гость'} · {visit.name} · {width_name} ({visit.url})"
                response = page.goto(visit.url)
                if response is None or response.status != visit.status:
                    problems.append(f"{where}: HTTP {response.status if response else '—'}")
                    continue
                results = axe.run(page)
                problems += [
                    f"{where}: {describe(v)}"
                    for v in results.response["violations"]
                    if v["impact"] in BLOCKING
                ]
                if width_name == "phone":
                    overflow = page.evaluate(WIDER_THAN_SCREEN, SCROLL_REGIONS)
                    if overflow:
                        problems.append(f"{where}: шире экрана: {', '.join(overflow)}")
            context.close()
    assert not problems, "\n" + "\n".join(problems)
