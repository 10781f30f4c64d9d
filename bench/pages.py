"""The pages bench/run.py measures: add a line to PAGES to measure another one.

Each page has a label, a target group, the demo login it is opened as (None:
a visitor) and a function that returns its path from the demo data (called in
a Django process connected to the bench database). Groups and their targets
(issue 7, ratios to /healthz measured right before the page):

- ``static``: what never changes for its readers — p95 ≤ 3×;
- ``member``: a member's pages — p95 ≤ 8×, throughput ≥ 0.12×;
- ``staff``: chair and staff pages — p95 ≤ 15×.

Other branches add their pages here (contests, the data bank) with a
``Page(...)`` line and, when they need it, a fixture function in ``Demo``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

TARGETS = {
    "static": {"p95": 3.0},
    "member": {"p95": 8.0, "rps": 0.12},
    "staff": {"p95": 15.0},
}


@dataclass(frozen=True)
class Page:
    label: str
    group: str
    login: str | None
    path: Callable[["Demo"], str]


class Demo:
    """Finds (or creates once) what the pages need in the demo data."""

    def __init__(self):
        from members.models import Association

        self.library = Association.objects.get(slug="library")

    def approved_revision(self):
        from plans.models import Revision

        return Revision.objects.get(plan__association=self.library, plan__year=2024, number=1)

    def draft(self):
        from plans.models import Revision

        return (
            Revision.objects.filter(plan__association=self.library, status=Revision.Status.DRAFT)
            .order_by("-plan__year")
            .first()
        )

    def contest(self):
        from contests.models import Contest

        return Contest.objects.filter(title__contains="Лучший библиотекарь").order_by("pk").first()

    def big_contest(self):
        """The 300 × 5 criteria × 5 jurors contest of bench/contest.py (created once); the
        demo's council member chairs its jury and has not sent her scores yet."""
        from bench.contest import big_contest
        from members.models import Member

        return big_contest(
            association=self.library, juror=Member.objects.get(user__username="council")
        )

    def approved_regulation_url(self):
        return _url("contests:regulation", self.contest().approved_regulation.pk)

    def signed_document(self):
        from rumo.models import IssuedDocument

        source = f"plans.revision:{self.approved_revision().pk}"
        return IssuedDocument.objects.final().for_source(source).order_by("pk").first()

    def held_meeting(self):
        from meetings.models import Meeting

        return Meeting.objects.get(association=self.library, year=2024, number=1)

    def upcoming_meeting(self):
        from meetings.models import Meeting

        return (
            Meeting.objects.filter(association=self.library, announced_at__isnull=False)
            .upcoming()
            .order_by("starts_at")
            .first()
        )

    def minutes_in_progress(self):
        """A held meeting whose minutes are being written (created once)."""
        from django.utils import timezone

        from meetings.models import AgendaItem, Meeting

        meeting, created = Meeting.objects.get_or_create(
            association=self.library, year=2024, number=90,
            defaults={"topic": "Заседание для замера", "status": Meeting.Status.HELD,
                      "starts_at": timezone.now() - timedelta(days=2),
                      "minutes_chair": "С.Н. Лоскутова", "minutes_secretary": "И.Г. Николаева"},
        )  # fmt: skip
        if created:
            AgendaItem.objects.bulk_create(
                AgendaItem(meeting=meeting, position=p, title=f"Вопрос № {p}", speakers="Докладчик",
                           heard="Слушали.")
                for p in range(1, 5)
            )  # fmt: skip
        return meeting

    def petition(self):
        from members.models import AwardPetition

        return AwardPetition.objects.filter(association=self.library).order_by("pk").first()

    def feed_token(self, username: str) -> str:
        from meetings.feeds import renew_calendar_feed
        from members.models import Member

        member = Member.objects.get(user__username=username)
        feed = getattr(member, "calendar_feed", None)
        return feed.token if feed else renew_calendar_feed(member).token


def _url(name, *args, **kwargs):
    from django.urls import reverse

    return reverse(name, args=args, kwargs=kwargs)


def _signed_pdf_url(demo):
    return _url("plans:pdf-download", pk=demo.approved_revision().pk, kind="signed")


def _approved_pk(demo):
    return demo.approved_revision().pk


def _revision_url(demo):
    return demo.approved_revision().get_absolute_url()


PAGES = [
    Page("home (visitor)", "static", None, lambda d: _url("home")),
    Page("approved plan page", "static", None, _revision_url),
    Page("verification page", "static", None, lambda d: _url("verify", d.signed_document().code)),
    Page("public feed", "static", None, lambda d: _url("notices:public-feed")),
    Page("association page", "static", None, lambda d: _url("public-association", "library")),
    Page("public schedule", "static", None, lambda d: _url("public-schedule")),
    Page("signed document download", "static", None, lambda d: _signed_pdf_url(d)),
    Page("member dashboard", "member", "member", lambda d: _url("home")),
    Page("meeting list", "member", "member", lambda d: _url("meetings:list")),
    Page("meeting page", "member", "member", lambda d: d.upcoming_meeting().get_absolute_url()),
    Page("minutes for reading", "member", "member", lambda d: d.held_meeting().get_absolute_url()),
    Page(
        "personal feed",
        "member",
        None,
        lambda d: _url("notices:feed", token=d.feed_token("member")),
    ),  # fmt: skip
    Page("chair's draft editor", "staff", "chair", lambda d: d.draft().get_absolute_url()),
    Page(
        "minutes editor",
        "staff",
        "chair",
        lambda d: _url("meetings:minutes", d.minutes_in_progress().pk),
    ),  # fmt: skip
    Page("people", "staff", "staff", lambda d: _url("members:people")),
    # Contests (issue 9) and the data bank (issue 10).
    Page("contests", "member", "member", lambda d: _url("contests:list")),
    Page("approved regulations", "static", None, lambda d: d.approved_regulation_url()),
    Page("contest page", "member", "member", lambda d: _url("contests:detail", d.contest().pk)),
    Page(
        "score table 300×5×5",
        "staff",
        "chair",
        lambda d: _url("contests:results", d.big_contest().pk),
    ),  # fmt: skip
    Page(
        "scoring sheet, 300 applications",
        "member",
        "council",
        lambda d: _url("contests:scoring", d.big_contest().pk),
    ),  # fmt: skip
    Page("contest mail", "staff", "chair", lambda d: _url("contests:deliveries", d.contest().pk)),
    Page("directory", "staff", "chair", lambda d: _url("members:directory")),
    Page("staff characteristics", "staff", "chair", lambda d: _url("members:report", "library")),
    Page("award petition", "staff", "chair", lambda d: d.petition().get_absolute_url()),
    Page(
        "award petition form",
        "staff",
        "chair",
        lambda d: _url("members:petition-edit", d.petition().pk),
    ),  # fmt: skip
    # Import from and export to Word (issue 11).
    Page("plan import", "staff", "chair", lambda d: _url("plans:import")),
    Page("plan as .docx", "member", "member", lambda d: _url("plans:docx", _approved_pk(d))),
]
