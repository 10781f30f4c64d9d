"""Contents of the contest documents: the regulations, the jury protocol, diplomas.

Each ``*_context`` returns the context of its template; the kinds of the
document pipeline in contests/pdf.py build, register and serve the files (the
pipeline adds the watermark of a draft and the signature mark).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from rumo.pdf import qr_svg, short_url

from . import services

REGULATION_TEMPLATE = "contests/pdf/regulation.html"
JURY_PROTOCOL_TEMPLATE = "contests/pdf/jury_protocol.html"
DIPLOMA_TEMPLATE = "contests/pdf/diploma.html"


def regulation_context(regulation) -> dict:
    contest = regulation.contest
    approvals = list(regulation.approvals.select_related("association", "agenda_item__meeting"))
    return {
        "title": f"Положение о конкурсе «{contest.title}»",
        "regulation": regulation,
        "contest": contest,
        "stamps": list(regulation.stamps.select_related("member")),
        "council_approval": next((a for a in approvals if a.approved and a.protocol_number), None),
        "approvals": approvals,
        "sections": services.numbered(regulation),
        "organisers": list(regulation.organisers.all()),
        "nominations": list(regulation.nominations.all()),
        "stages": list(regulation.stages.all()),
        "criteria": list(regulation.criteria.all()),
        "jury": [p for p in regulation.people.select_related("member") if p.group == "jury"],
        "committee": [
            p for p in regulation.people.select_related("member") if p.group == "committee"
        ],
        "awards": list(regulation.awards.all()),
    }


def jury_protocol_context(contest) -> dict:
    table = services.score_table(contest)
    return {
        "title": f"Протокол жюри конкурса «{contest.title}»",
        "contest": contest,
        "regulation": contest.approved_regulation,
        "table": table,
        "approved_on": timezone.localdate(contest.results_approved_at)
        if contest.results_approved_at
        else None,
    }


def diploma_context(application, *, verify_url: str = "") -> dict:
    contest = application.contest
    regulation = contest.approved_regulation
    verify_url = verify_url or settings.SITE_URL + reverse("contests:results", args=[contest.pk])
    jury_chair = contest.jurors.filter(is_chair=True).select_related("member").first()
    return {
        "title": f"Диплом — {application.display_name}",
        "application": application,
        "contest": contest,
        "regulation": regulation,
        "is_diploma": bool(application.place and application.place <= 3),
        "degree": services.roman(application.place or 0),
        "organisers": list(regulation.organisers.all()) if regulation else [],
        "jury_chair": jury_chair.member if jury_chair else None,
        "register_number": application.register_number,
        "qr": qr_svg(verify_url),
        "short_url": short_url(verify_url),
    }
