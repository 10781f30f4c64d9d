"""Timings understood as months feed the plan's meeting rows and the «this month» list."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, month_name
from plans import services
from plans.models import Item, Section
from plans.outline import load_revision, outline


@pytest.fixture
def in_force(chair, curator, approver, library):
    year = timezone.localdate().year
    revision = services.create_plan(library, year=year, by=chair).revisions.get()
    events = revision.sections.get(kind=Section.Kind.EVENTS)
    orgwork = revision.sections.get(kind=Section.Kind.ORGWORK)
    services.add_item(events, by=chair, text="Семинар всего года.", timing="в течение года")
    month = timezone.localdate().month
    services.add_item(events, by=chair, text="Конкурс этого месяца.",
                      timing=f"{month_name(month)}, {year} г.")  # fmt: skip
    services.add_item(orgwork, by=chair, text="Отчёт другого месяца.",
                      timing=month_name(month % 12 + 1))  # fmt: skip
    services.send_for_agreement(revision, by=chair)
    services.agree_revision(revision, by=curator, on=date(year, 1, 1))
    services.approve_revision(revision, by=approver, on=date(year, 1, 2))
    return revision


def test_dashboard_lists_what_the_plan_schedules_this_month(client, member, in_force):
    client.force_login(member.user)
    html = client.get(reverse("home")).text
    assert "В этом месяце по плану" in html
    assert html.index("Конкурс этого месяца.") < html.index("Семинар всего года.")
    assert "Отчёт другого месяца." not in html


def test_done_items_leave_the_list(client, chair, member, in_force):
    item = Item.objects.get(section__revision=in_force, text="Конкурс этого месяца.")
    services.mark_execution(item, by=chair, execution=Item.Execution.DONE)
    client.force_login(member.user)
    assert "Конкурс этого месяца." not in client.get(reverse("home")).text


def test_a_meeting_row_follows_the_meeting_when_it_moves(chair, library, draft):
    meetings = draft.sections.get(kind=Section.Kind.MEETINGS)
    meeting = Meeting.objects.create(association=library, year=2025, number=1, planned_month=4,
                                     place="ЧПК им. Н.В. Никольского")  # fmt: skip
    services.add_item(meetings, by=chair, text="Заседание № 1.", timing="апрель, 2025 г.",
                      meeting=meeting)  # fmt: skip
    meeting.planned_month = 6
    meeting.save(update_fields=["planned_month"])
    row = outline(load_revision(draft.pk))[3].rows[0]
    assert row.when_where == "июнь, 2025 г. ЧПК им. Н.В. Никольского"
