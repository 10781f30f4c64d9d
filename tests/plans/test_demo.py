"""The demo holds the seed's 2024 plan as an approved revision, and loads idempotently."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from contests.models import Contest
from meetings.models import AgendaItem, Meeting
from plans import demo
from plans.models import Item, Plan, Revision, Section, Stamp
from plans.outline import load_revision, outline

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


MODELS = [Plan, Revision, Stamp, Section, Item, Meeting, AgendaItem, Contest]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_twice_leaves_the_same_plans_meetings_and_contests():
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first


def test_seed_plan_is_approved_and_complete():
    load_demo()
    revision = Revision.objects.get(plan__year=2024, plan__association__slug="library")
    assert revision.status == Revision.Status.APPROVED
    blocks = outline(load_revision(revision.pk))
    assert [b.numeral for b in blocks] == ["I", "II", "III", "", "IV"]
    sizes = [len(b.rows) for b in blocks]
    assert sizes == [
        len(demo.PRIORITIES), len(demo.TASKS), len(demo.EVENTS), len(demo.MEETINGS),
        len(demo.ORGWORK),
    ]  # fmt: skip
    assert [row.number for row in blocks[2].rows] == ["1", "2", "3", "4"]
    meetings = [row.item.meeting for row in blocks[3].rows]
    assert [m.number for m in meetings] == [1, 2, 3]
    assert [len(row.agenda) for row in blocks[3].rows] == [len(m[3]) for m in demo.MEETINGS]
    assert {s.person_name for s in revision.stamps.all()} == {"О.Б. Кузнецова", "Л.П.Рудакова"}


def test_next_years_draft_is_copied_from_the_seed_with_upcoming_meetings():
    load_demo()
    year = timezone.localdate().year + 1
    revision = Revision.objects.get(plan__year=year, plan__association__slug="library")
    assert revision.status == Revision.Status.DRAFT
    assert revision.title_lines[-1] == f"на {year} год"
    meetings = Meeting.objects.filter(year=year).order_by("number")
    assert [m.number for m in meetings] == [1, 2, 3]
    # № 1 is announced by the meetings demo, so that members can answer it today.
    assert [m.status for m in meetings] == ["announced", "planned", "planned"]
    assert f"на {year} год" in meetings[0].agenda_items.get(position=2).title
