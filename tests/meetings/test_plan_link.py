"""The plan and the meetings share rows: approved minutes mark the plan's meeting items done."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings import services
from meetings.demo import third_thursday
from meetings.models import Attendance, Meeting
from plans import services as plan_services
from plans.models import Item, Revision, Section
from plans.outline import item_text, load_revision, outline
from rumo.models import DocumentBuild
from tests.documents import build_of
from tests.meetings import held, minuted

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_with_meetings(library, chair, member):
    """A draft plan whose meetings section lists a held meeting and a planned one."""
    plan = plan_services.create_plan(library, year=timezone.localdate().year + 1, by=chair)
    section = plan.revisions.get().sections.get(kind=Section.Kind.MEETINGS)
    meeting = held(library, [member, chair], agenda=("Отчёт о работе", "Выборы совета"))
    later = services.schedule_meeting(library, year=meeting.year + 1, planned_month=4)
    for linked in (meeting, later):
        plan_services.add_item(section, by=chair, text=f"Заседание № {linked.number}.",
                               timing="январь", meeting=linked)  # fmt: skip
    return section, meeting, later


def test_approved_minutes_mark_the_plan_item_of_the_meeting_done(plan_with_meetings):
    section, meeting, later = plan_with_meetings
    # Marks go to the plan in force (plans.services.mark_execution's rule).
    Revision.objects.filter(pk=section.revision_id).update(status=Revision.Status.APPROVED)

    services.approve_minutes(minuted(meeting), on=date(2024, 1, 18))

    done = Item.objects.get(meeting=meeting)
    assert done.execution == Item.Execution.DONE
    assert done.execution_note == "Протокол утверждён 18.01.2024"
    untouched = Item.objects.get(meeting=later)
    assert (untouched.execution, untouched.execution_note) == (Item.Execution.PLANNED, "")


def test_the_plan_shows_the_agenda_as_edited_on_the_meeting_page(plan_with_meetings):
    section, _meeting, later = plan_with_meetings
    services.add_agenda_item(later, title="Анализ работы РУМО <за год>")
    first = services.add_agenda_item(later, title="Обзор источников")
    services.move_agenda_item(first, offset=-1)

    blocks = outline(load_revision(section.revision_id))
    row = next(r for b in blocks for r in b.rows if r.item.meeting_id == later.pk)

    assert item_text(row) == (
        f"Заседание № {later.number}. 1. Обзор источников 2. Анализ работы РУМО <за год>"
    )


def test_the_demo_holds_meeting_1_of_2024_with_approved_minutes(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # a second run changes nothing

    first = Meeting.objects.get(year=2024, number=1)
    assert first.minutes_approved
    assert (first.minutes_chair, first.minutes_secretary) == ("С.Н. Лоскутова", "И.Г. Николаева")
    assert Attendance.objects.filter(meeting=first).count() == 20
    decisions = list(first.agenda_items.order_by("position").values_list("decided", flat=True))
    assert "Избрать Совет РУМО" in decisions[2]
    assert "«Лучший библиотекарь СПО»" in decisions[3]
    assert Item.objects.get(meeting=first).execution_note == "Протокол утверждён 18.01.2024"
    assert build_of("meetings.minutes", first).state == DocumentBuild.State.DONE
    next_year = timezone.localdate().year + 1
    dated = Meeting.objects.filter(year=next_year).order_by("number")
    assert [timezone.localtime(m.starts_at).strftime("%d.%m %H:%M") for m in dated] == [
        dm.strftime("%d.%m 14:00")
        for dm in (third_thursday(next_year, 1), third_thursday(next_year, 4),
                   third_thursday(next_year, 11))
    ]  # fmt: skip
    assert [m.format for m in dated] == ["online", "in_person", "in_person"]
    assert all(not services.announce_problems(m) for m in dated)
