"""Reading plans over HTTP: the document page, who sees which revision, the list, the diff."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership
from plans import demo, services
from plans.models import Item, Plan, Revision, Section
from tests import factories

pytestmark = pytest.mark.django_db
Status = Revision.Status


@pytest.fixture
def seed(library, philology):
    """The approved 2024 plan of the seed, and next year's draft copied from it."""
    return demo.load({"library": library, "philology": philology})


@pytest.fixture
def approved_and_draft(chair, curator, approver, library):
    """A 2030 plan: revision 1 approved, revision 2 a draft with one changed item."""
    plan = services.create_plan(library, year=2030, by=chair)
    first = plan.revisions.get()
    events = first.sections.get(kind=Section.Kind.EVENTS)
    services.add_item(events, by=chair, text="Конкурс чтецов «Золотая лира».", timing="октябрь")
    services.add_item(events, by=chair, text="Семинар библиотекарей.", timing="март")
    services.send_for_agreement(first, by=chair)
    services.agree_revision(first, by=curator, on=timezone.localdate())
    services.approve_revision(first, by=approver, on=timezone.localdate())
    second = services.start_revision(plan, by=chair)
    item = Item.objects.get(section__revision=second, text="Семинар библиотекарей.")
    services.update_item(
        item, by=chair, version=item.version, text="Вебинар библиотекарей.", timing="апрель"
    )
    return plan


def page(client, member, url):
    client.logout()
    if member is not None:
        client.force_login(member.user)
    return client.get(url)


def section_html(html: str, title: str) -> str:
    """Return the HTML of the section whose heading or subsection row contains ``title``."""
    start = html.rindex("<section", 0, html.index(title))
    return html[start : html.index("</section>", start)]


def row_numbers(html: str) -> list[str]:
    return re.findall(r'class="plan-num">(\d+)\.<', html)


# The document


def test_anonymous_visitor_reads_the_approved_seed_plan_laid_out_like_the_document(client, seed):
    response = page(client, None, reverse("plans:detail", args=["library", 2024]))

    assert response.status_code == 200
    html = response.text
    left, right = html.index("СОГЛАСОВАНО"), html.index("УТВЕРЖДЕНО")
    assert left < right < html.index("ПЛАН РАБОТЫ") < html.index("Чебоксары, 2024")
    assert "« 22 » января 2024 года" in html and "« 25 » января 2024 года" in html
    assert "I. Приоритетные направления деятельности:" in html
    assert "III. Планируемые мероприятия:" in html
    assert "IV. Организационная работа РУМО" in html
    assert ". Проведение заседаний РУМО:" not in html  # it continues the events table
    assert row_numbers(section_html(html, "Приоритетные направления")) == ["1", "2", "3", "4", "5"]
    events = section_html(html, "Планируемые мероприятия:")
    for header in (
        "№ п/п",
        "Наименование мероприятий",
        "Сроки и место проведения",
        "Организаторы ответственные",
    ):
        assert header in events
    # The seed numbers two events «4.»; computed numbers cannot repeat.
    assert row_numbers(events) == ["1", "2", "3", "4"]
    meetings = section_html(html, "Проведение заседаний РУМО:")
    assert 'class="plan-subsection"' in meetings
    assert row_numbers(meetings) == ["1", "2", "3"]
    assert "Заседание № 1." in meetings and "Выборы Совета РУМО" in meetings
    orgwork = section_html(html, "Организационная работа РУМО")
    assert "№п/п" in orgwork and "Сроки проведения" in orgwork
    assert row_numbers(orgwork) == [str(n) for n in range(1, 11)]
    assert html.index("Председатель РУМО по библиотечному направлению</span>") < html.index(
        "С.Н. Лоскутова</span>"
    )
    assert "table-responsive" in events  # tables scroll sideways on a phone
    assert "Изменить" not in html and "plan-actions" not in html


def test_execution_progress_is_shown_on_the_approved_revision(client, seed):
    response = page(client, None, seed.get_absolute_url())

    progress = response.text[response.text.index('id="plan-progress"') :]
    assert "Выполнено 3 из 17 мероприятий" in progress
    assert '<progress class="plan-progress" value="3" max="17"' in progress
    assert response.text.count('data-testid="execution"') == 3


def test_anonymous_visitor_is_sent_to_log_in_for_a_draft(client, seed):
    draft = Plan.objects.exclude(pk=seed.pk).get().revisions.get()

    response = page(client, None, draft.get_absolute_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_other_associations_chair_reads_published_revisions_but_not_drafts(
    client, approved_and_draft, other_chair
):
    first, second = approved_and_draft.revisions.order_by("number")

    assert page(client, other_chair, first.get_absolute_url()).status_code == 200
    assert page(client, other_chair, second.get_absolute_url()).status_code == 403
    detail = page(client, other_chair, approved_and_draft.get_absolute_url())
    assert "Конкурс чтецов" in detail.text and "Семинар библиотекарей." in detail.text


def test_plan_page_shows_the_newest_revision_the_reader_may_read(
    client, approved_and_draft, member
):
    url = approved_and_draft.get_absolute_url()

    public = page(client, None, url)
    insider = page(client, member, url)

    assert "Семинар библиотекарей." in public.text and "Вебинар" not in public.text
    assert "Вебинар библиотекарей." in insider.text
    assert "Это черновик: текст ещё может измениться." in insider.text
    assert "Изменить пункт" not in insider.text  # a member reads, only the chair edits


def test_revision_switcher_lists_only_the_revisions_the_reader_may_read(
    client, approved_and_draft, chair
):
    first = approved_and_draft.revisions.get(number=1)

    public = page(client, None, first.get_absolute_url())
    own = page(client, chair, first.get_absolute_url())

    switcher = public.text[public.text.index('data-testid="revisions"') :]
    assert "Редакция 1" in switcher and "Редакция 2" not in switcher
    switcher = own.text[own.text.index('data-testid="revisions"') :]
    assert "Редакция 1" in switcher and "Редакция 2" in switcher
    assert 'aria-current="page"' in switcher
    assert reverse("plans:diff", args=["library", 2030]) in switcher


def test_unknown_plans_and_revisions_are_not_found(client, approved_and_draft, chair):
    assert page(client, chair, reverse("plans:revision", args=["library", 2030, 9])).status_code
    for url in (
        reverse("plans:revision", args=["library", 2030, 9]),
        reverse("plans:detail", args=["library", 1999]),
        reverse("plans:detail", args=["nobody", 2030]),
        reverse("plans:diff", args=["library", 2031]),
    ):
        assert page(client, chair, url).status_code == 404


def test_html_typed_into_the_plan_is_shown_as_text(client, chair, library):
    plan = services.create_plan(library, year=2030, by=chair)
    revision = plan.revisions.get()
    section = revision.sections.get(kind=Section.Kind.EVENTS)
    services.update_section(
        section, by=chair, version=section.version, title='<b onmouseover="x()">Мероприятия</b>'
    )
    services.add_item(
        section,
        by=chair,
        text="<script>alert('x')</script>",
        responsible='<img src=x onerror="alert(1)">',
    )

    response = page(client, chair, revision.get_absolute_url())

    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response.text
    assert "<img src=x" not in response.text and "&lt;img src=x" in response.text
    assert "<b onmouseover" not in response.text


# The list of plans


def test_list_groups_plans_by_association_and_shows_anonymous_only_published_ones(
    client, seed, philology, chair
):
    philology_plan = services.create_plan(philology, year=2024, by=None)

    public = page(client, None, reverse("plans:list"))
    own = page(client, chair, reverse("plans:list"))

    next_year = timezone.localdate().year + 1
    assert "План работы на 2024 год" in public.text
    assert f"План работы на {next_year} год" not in public.text
    assert ">РУМО филологов</h2>" not in public.text  # its only revision is a draft
    assert f"План работы на {next_year} год" in own.text
    assert "черновик" in own.text and "утверждён" in own.text
    assert philology_plan.get_absolute_url() not in own.text
    assert '<h2 id="association-' in own.text


def test_list_searches_by_association_and_year(client, seed, philology, chair):
    services.create_plan(philology, year=2024, by=None)
    next_year = timezone.localdate().year + 1

    by_year = page(client, chair, reverse("plans:list") + "?year=2024")
    by_association = page(client, chair, reverse("plans:list") + "?association=philology")

    assert "План работы на 2024 год" in by_year.text
    assert f"План работы на {next_year} год" not in by_year.text
    assert "Ничего не нашлось" in by_association.text


def test_empty_list_tells_the_chair_to_create_the_plan(client, chair):
    response = page(client, chair, reverse("plans:list"))

    assert "Планов пока нет" in response.text
    assert reverse("plans:create") + f"?association={chair.memberships.get().association_id}" in (
        response.text
    )


def test_empty_list_tells_a_visitor_where_plans_will_appear(client, member):
    public = page(client, None, reverse("plans:list"))
    insider = page(client, member, reverse("plans:list"))

    assert "Опубликованных планов пока нет" in public.text
    assert "Когда председатель объединения составит план" in insider.text
    assert reverse("plans:create") not in insider.text


def test_list_is_paginated(client, library):
    for year in range(2001, 2023):
        plan = Plan.objects.create(association=library, year=year)
        Revision.objects.create(
            plan=plan, number=1, status=Status.APPROVED, title="ПЛАН", place="Ч"
        )

    first = page(client, None, reverse("plans:list"))
    second = page(client, None, reverse("plans:list") + "?page=2")

    assert "Страница 1 из 2" in first.text and "План работы на 2022 год" in first.text
    assert "План работы на 2002 год" in second.text and "План работы на 2022 год" not in second.text


# Comparing revisions


def test_diff_compares_the_previous_revision_with_the_newest_by_default(
    client, approved_and_draft, member
):
    response = page(client, member, reverse("plans:diff", args=["library", 2030]))

    html = response.text
    assert response.status_code == 200
    removed = re.findall(r'<del class="diff-line diff-removed">(.*?)</del>', html, re.S)
    added = re.findall(r'<ins class="diff-line diff-added">(.*?)</ins>', html, re.S)
    assert any("Семинар" in line and "<mark>Семинар</mark>" in line for line in removed)
    assert any("<mark>Вебинар</mark>" in line and "апрель" in line for line in added)
    assert "Конкурс чтецов" in html  # context around the change


def test_diff_takes_revision_numbers_and_refuses_drafts_to_outsiders(
    client, approved_and_draft, other_chair
):
    url = reverse("plans:diff", args=["library", 2030])

    same = page(client, None, url + "?a=1&b=1")
    alone = page(client, None, url)
    hidden = page(client, other_chair, url + "?a=1&b=2")
    visitor = page(client, None, url + "?a=1&b=2")

    assert 'data-testid="diff-same"' in same.text
    assert "Сравнивать не с чем" in alone.text
    assert hidden.status_code == 403
    assert visitor.status_code == 302 and visitor.url.startswith(reverse("login"))
    assert page(client, None, url + "?a=7").status_code == 404
    assert page(client, None, url + "?a=x").status_code == 200


# Marking execution


def htmx(client, member, url, data=None):
    client.logout()
    client.force_login(member.user)
    return client.post(url, data or {}, headers={"HX-Request": "true"})


def test_chair_marks_an_event_done_and_the_progress_follows(client, approved_and_draft, chair):
    first = approved_and_draft.revisions.get(number=1)
    item = Item.objects.get(section__revision=first, text="Семинар библиотекарей.")
    url = reverse("plans:item-execution", args=[item.pk])

    form = page(client, chair, url)
    response = htmx(client, chair, url, {"execution": "moved", "execution_note": "на май"})

    assert form.status_code == 200 and 'name="execution_note"' in form.text
    item.refresh_from_db()
    assert (item.execution, item.execution_note) == ("moved", "на май")
    assert response.status_code == 200
    assert re.search(r'перенесено</span>\s*<span class="plan-execution-note">на май', response.text)
    assert 'id="plan-progress"' in response.text and 'hx-swap-oob="true"' in response.text


def test_secretary_marks_execution_but_a_member_cannot(client, approved_and_draft, member):
    first = approved_and_draft.revisions.get(number=1)
    item = Item.objects.filter(section__revision=first).first()
    secretary = factories.MembershipFactory(
        association=approved_and_draft.association,
        role=Membership.Role.SECRETARY,
        member=factories.person("sveta", last_name="Петрова", first_name="Светлана"),
    ).member
    url = reverse("plans:item-execution", args=[item.pk])

    assert htmx(client, member, url, {"execution": "done"}).status_code == 403
    assert htmx(client, secretary, url, {"execution": "done"}).status_code == 200
    item.refresh_from_db()
    assert item.execution == Item.Execution.DONE


def test_execution_is_not_marked_in_a_draft(client, approved_and_draft, chair):
    draft = approved_and_draft.revisions.get(number=2)
    item = Item.objects.filter(section__revision=draft).first()

    response = htmx(
        client, chair, reverse("plans:item-execution", args=[item.pk]), {"execution": "done"}
    )

    assert response.status_code == 409
    assert "только в утверждённой" in response.text
    item.refresh_from_db()
    assert item.execution == Item.Execution.PLANNED
