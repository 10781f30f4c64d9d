"""The public face: an association's page, the schedule of meetings and the welcome page,
as a visitor sees them — published things only, no links meant for members."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contests.models import Contest
from meetings.models import AgendaItem, Meeting
from plans import services as plans
from rumo import public
from tests.contests import approve, draft_contest
from tests.meetings import LINK, announced, held, planned

pytestmark = pytest.mark.django_db


def page_of(client, association):
    response = client.get(reverse("public-association", args=[association.slug]))
    assert response.status_code == 200
    return response.text


def approved_plan(association, chair, curator, approver, year=2030):
    plan = plans.create_plan(association, year=year, by=chair)
    revision = plan.revisions.get()
    plans.send_for_agreement(revision, by=chair)
    plans.agree_revision(revision, by=curator, on=timezone.localdate())
    plans.approve_revision(revision, by=approver, on=timezone.localdate())
    return revision


def test_visitor_sees_the_approved_plans_but_not_the_drafts(
    client, library, chair, curator, approver
):
    approved = approved_plan(library, chair, curator, approver)
    draft = plans.start_revision(approved.plan, by=chair)
    other_year = plans.create_plan(library, year=2031, by=chair).revisions.get()

    html = page_of(client, library)

    assert "РУМО по библиотечному направлению" in html
    assert approved.get_absolute_url() in html
    assert "План работы на 2030 год" in html
    assert draft.get_absolute_url() not in html
    assert "2031" not in html and other_year.get_absolute_url() not in html


def test_upcoming_meetings_show_without_the_call_link_files_or_drafts(client, library):
    coming = announced(library, topic="Цифровые ресурсы библиотек", agenda=["Отчёт о работе"])
    item = coming.agenda_items.get()
    item.document = SimpleUploadedFile("materials.pdf", b"%PDF-1.4\n%%EOF\n")
    item.save()
    draft = planned(library, starts_in=timedelta(days=40), topic="Черновик заседания")
    past = announced(library, starts_in=-timedelta(days=3), topic="Прошедшее заседание")
    held(library, [], topic="Проведённое заседание")

    html = page_of(client, library)

    assert "Цифровые ресурсы библиотек" in html
    assert "Отчёт о работе" in html
    assert "онлайн" in html
    assert LINK not in html  # the call link is for the members
    assert reverse("meetings:agenda-file", args=[item.pk]) not in html
    assert "materials" not in html
    assert coming.get_absolute_url() not in html  # the meeting's own page is behind login
    assert "Черновик заседания" not in html and f"public-meeting-{draft.pk}" not in html
    assert "Прошедшее заседание" not in html and f"public-meeting-{past.pk}" not in html
    assert "Проведённое заседание" not in html


def test_a_cancelled_meeting_that_was_announced_says_so(client, library):
    meeting = announced(library, topic="Отменённое заседание")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)

    html = page_of(client, library)

    assert "Отменённое заседание" in html
    assert "отменено" in html


def test_the_page_links_the_public_calendar_feed(client, library):
    html = page_of(client, library)

    feed = f"{reverse('notices:public-feed')}?association={library.slug}"
    assert f'value="http://testserver{feed}"' in html
    assert f'href="webcal://testserver{feed}"' in html
    assert client.get(feed).status_code == 200


def test_contests_with_approved_regulations_and_published_results(client, library, chair):
    running = approve(draft_contest(library, title="Лучший библиотекарь СПО"), library)
    finished = approve(draft_contest(library, title="Библиотека года", year=2029), library)
    Contest.objects.filter(pk=finished.pk).update(results_published_at=timezone.now())
    unapproved = draft_contest(library, title="Конкурс в работе")

    html = page_of(client, library)

    assert running.approved_regulation.get_absolute_url() in html
    assert finished.approved_regulation.get_absolute_url() in html
    assert reverse("contests:results", args=[finished.pk]) in html
    assert reverse("contests:results", args=[running.pk]) not in html
    assert "Конкурс в работе" not in html
    assert unapproved.get_absolute_url() not in html
    # The linked pages open to a visitor.
    for url in (
        running.approved_regulation.get_absolute_url(),
        running.get_absolute_url(),
        reverse("contests:results", args=[finished.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_no_contest_section_without_contests(client, library):
    assert 'data-testid="public-contests"' not in page_of(client, library)


def test_an_unknown_association_is_not_found_in_russian_even_in_development(client, settings):
    settings.DEBUG = True

    response = client.get(reverse("public-association", args=["no-such"]))

    assert response.status_code == 404
    assert "Страница не найдена" in response.text


def test_members_also_get_the_link_to_the_people_page(client, library, member):
    assert reverse("members:association-detail", args=[library.slug]) not in page_of(
        client, library
    )
    client.force_login(member.user)

    assert reverse("members:association-detail", args=[library.slug]) in page_of(client, library)


def test_the_association_page_costs_the_same_queries_with_more_data(
    client, library, chair, curator, approver
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page_of(client, library)
        return len(captured)

    approved_plan(library, chair, curator, approver, year=2030)
    announced(library, agenda=["Первый вопрос"])
    approve(draft_contest(library), library)
    few = queries()
    approved_plan(library, chair, curator, approver, year=2031)
    for days in (10, 20, 50):
        announced(library, starts_in=timedelta(days=days), agenda=["Вопрос", "Ещё вопрос"])
    approve(draft_contest(library, title="Библиотека года"), library)

    assert queries() == few


# The schedule


def test_the_schedule_lists_every_associations_upcoming_meetings_soonest_first(
    client, library, philology
):
    later = announced(library, starts_in=timedelta(days=20), topic="Позднее")
    sooner = announced(philology, starts_in=timedelta(days=5), topic="Раньше")
    planned(library, topic="Черновик")

    response = client.get(reverse("public-schedule"))

    html = response.text
    assert response.status_code == 200
    assert html.index("Раньше") < html.index("Позднее")
    assert "Черновик" not in html
    assert LINK not in html
    assert reverse("public-association", args=[philology.slug]) in html
    assert reverse("notices:public-feed") in html
    assert {sooner.pk, later.pk} == {m.pk for m in response.context["page"].object_list}


def test_the_schedule_is_paginated_and_filtered_by_association(client, library, philology):
    for day in range(1, public.SCHEDULE_PAGE_SIZE + 3):
        announced(library, starts_in=timedelta(days=day), agenda=[])
    announced(philology, topic="Филологи", agenda=[])

    first = client.get(reverse("public-schedule"))
    second = client.get(reverse("public-schedule"), {"page": 2})
    chosen = client.get(reverse("public-schedule"), {"association": philology.slug})

    assert len(first.context["page"].object_list) == public.SCHEDULE_PAGE_SIZE
    assert len(second.context["page"].object_list) == 3
    assert "Страница 2 из 2" in second.text
    assert [m.topic for m in chosen.context["page"].object_list] == ["Филологи"]
    library_only = client.get(reverse("public-schedule"), {"association": library.slug})
    assert f"?association={library.slug}&amp;page=2" in library_only.text  # the filter is kept


def test_the_schedule_ignores_a_bad_page_or_association(client, library):
    announced(library, topic="Заседание")

    response = client.get(reverse("public-schedule"), {"page": "x", "association": "<b>"})

    assert response.status_code == 200
    assert "Заседание" in response.text


def test_an_empty_schedule_says_so(client, library):
    response = client.get(reverse("public-schedule"))

    assert 'data-testid="empty"' in response.text


# The welcome page


def test_the_welcome_page_links_each_association_and_the_schedule(client, library, philology):
    announced(library, topic="Ближайшее заседание", agenda=[])

    html = client.get(reverse("home")).text

    assert f'href="{reverse("public-association", args=[library.slug])}"' in html
    assert f'href="{reverse("public-association", args=[philology.slug])}"' in html
    assert f'href="{reverse("public-schedule")}"' in html
    assert "Ближайшее заседание" in html
    # It promises only what a visitor finds: the data bank is for members, said as such.
    assert "банк данных библиотекарей" not in html


def test_agenda_item_titles_are_escaped(client, library):
    meeting = announced(library, agenda=[])
    AgendaItem.objects.create(meeting=meeting, position=1, title="<script>alert(1)</script>")

    html = page_of(client, library)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
