"""A contest's documents as PDFs: the approved regulation, the jury protocol, the diplomas.

Three kinds of the document pipeline (rumo.pipeline, docs/documents.md): the
pipeline builds them in its worker task, registers them, signs the regulation
and the approved protocol, and serves them; this module says what they show
(the contexts of contests.documents) and who reads them.
"""

import hashlib
import json

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumo import pipeline
from rumo.models import IssuedDocument
from rumo.pdf import approval, signature_mark

from . import documents, services
from .models import Application, Approval, Contest, Regulation

# --- the approved regulation ---------------------------------------------------------------


def load_regulation(pk: int) -> Regulation:
    return Regulation.objects.select_related("contest").get(pk=pk)


def approved_on(regulation: Regulation):
    return timezone.localdate(regulation.approved_at) if regulation.approved_at else None


def decisions(regulation: Regulation) -> list[Approval]:
    return [
        a for a in regulation.approvals.select_related("association", "agenda_item") if a.approved
    ]


def decision_text(decision: Approval) -> str:
    """What the record says approved the regulation: a meeting's protocol or the council's vote."""
    if decision.method == Approval.Method.MEETING:
        text = _("Утверждено решением Совета %(association)s (протокол от %(date)s № %(number)s)")
        return text % {
            "association": decision.association.name,
            "date": date_format(decision.protocol_date, "d.m.Y") if decision.protocol_date else "…",
            "number": decision.protocol_number or "…",
        }
    return _(
        "Утверждено голосованием совета %(association)s: за — %(for)s, против — %(against)s, "
        "воздержались — %(abstained)s, в совете %(size)s чел."
    ) % {
        "association": decision.association.name,
        "for": decision.votes_for,
        "against": decision.votes_against,
        "abstained": decision.votes_abstained,
        "size": decision.council_size,
    }


def decision_day(decision: Approval):
    if decision.method == Approval.Method.MEETING and decision.protocol_date:
        return decision.protocol_date
    return timezone.localdate(decision.decided_at)


def regulation_mark(regulation: Regulation, number: str, url: str, signed: bool) -> dict:
    # A meeting outside the portal (no agenda item) decided on paper; a vote or a
    # meeting held in the portal decided in it.
    approvals = [
        approval(
            decision_text(d),
            "",
            decision_day(d),
            on_paper=d.method == Approval.Method.MEETING and d.agenda_item_id is None,
        )
        for d in decisions(regulation)
    ]
    return signature_mark(
        register_number=number, verify_url=url, signed=signed, approvals=approvals
    )


def regulation_signers(regulation: Regulation) -> list[dict]:
    return [
        {"name": d.association.name, "position": _("Совет объединения"), "date": decision_day(d)}
        for d in decisions(regulation)
    ]


def regulation_context(regulation: Regulation, *, draft: bool, mark: dict | None) -> dict:
    return {**documents.regulation_context(regulation), "mark": mark}


def kind_urls(prefix: str):
    def build(obj) -> tuple[str, str, str]:
        return tuple(
            reverse(f"contests:{prefix}{suffix}", args=[obj.pk])
            for suffix in ("-status", "-request", "")
        )

    return build


REGULATION = pipeline.register(
    pipeline.DocumentKind(
        name="contests.regulation",
        slug="regulation",
        template=documents.REGULATION_TEMPLATE,
        load=load_regulation,
        context=regulation_context,
        # An approved version never changes: registered and signed once.
        version=lambda r: f"{r.pk}:{r.approved_at.isoformat() if r.approved_at else ''}",
        title=lambda r: f"Положение о конкурсе «{r.contest.title}», редакция {r.number}",
        filename=lambda r: f"regulation-{r.contest_id}-{r.number}.pdf",
        may_read=lambda user, r: user.has_perm("contests.read_regulation", r),
        exists=lambda r: r.is_frozen,
        refusal=lambda r: None if r.is_frozen else _("Положение ещё не утверждено."),
        register_kind=IssuedDocument.Kind.REGULATION,
        register_source=lambda r: f"contests.regulation:{r.pk}",
        signed=lambda r: True,
        signers=regulation_signers,
        document_date=approved_on,
        mark=regulation_mark,
        urls=kind_urls("regulation-pdf"),
        labels={
            "download": gettext_lazy("Скачать положение (PDF)"),
            "request": gettext_lazy("Положение в PDF"),
        },
    )
)


# --- the jury protocol ---------------------------------------------------------------------


def load_contest(pk: int) -> Contest:
    return Contest.objects.get(pk=pk)


def results_day(contest: Contest):
    return timezone.localdate(contest.results_approved_at) if contest.results_approved_at else None


def protocol_version(contest: Contest) -> str:
    """Approved results never change; before that, the table of scores is what it shows."""
    if contest.results_approved_at:
        return f"{contest.pk}:approved:{contest.results_approved_at.isoformat()}"
    table = services.score_table(contest)
    data = [[j.pk, j.is_chair, bool(j.submitted_at)] for j in table["jurors"]] + [
        [row.application.pk, row.place, [str(v) for v in row.cells]]
        for _nomination, rows in table["groups"]
        for row in rows
    ]
    return fingerprint(data)


def fingerprint(*data) -> str:
    """A content version that fits DocumentBuild.content_version (64 characters)."""
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()


def protocol_mark(contest: Contest, number: str, url: str, signed: bool) -> dict:
    """The jurors who sent their scores, and the approval of the results, as recorded."""
    jurors = contest.jurors.filter(submitted_at__isnull=False).select_related("member")
    approvals = [
        approval(_("Оценки отправлены"), j.member.short_name, timezone.localdate(j.submitted_at))
        for j in jurors.order_by("-is_chair", "submitted_at")
    ]
    approvals.append(approval(_("Итоги конкурса утверждены"), "", results_day(contest)))
    return signature_mark(
        register_number=number, verify_url=url, signed=signed, approvals=approvals
    )


def may_read_protocol(user, contest: Contest) -> bool:
    if user.has_perm("contests.manage_contest", contest):
        return True
    member = getattr(user, "member", None) if user.is_authenticated else None
    return member is not None and contest.jurors.filter(member=member).exists()


JURY_PROTOCOL = pipeline.register(
    pipeline.DocumentKind(
        name="contests.jury_protocol",
        slug="jury-protocol",
        template=documents.JURY_PROTOCOL_TEMPLATE,
        load=load_contest,
        context=lambda contest, *, draft, mark: {
            **documents.jury_protocol_context(contest),
            "mark": mark,
        },
        version=protocol_version,
        title=lambda c: f"Протокол жюри конкурса «{c.title}» ({c.year})",
        filename=lambda c: f"jury-protocol-{c.pk}.pdf",
        may_read=may_read_protocol,
        may_request=lambda user, c: user.has_perm("contests.manage_contest", c),
        exists=lambda c: c.approved_regulation is not None,
        register_kind=IssuedDocument.Kind.MINUTES,
        register_source=lambda c: f"contests.contest:{c.pk}:jury_protocol",
        is_draft=lambda c: not c.results_approved_at,
        signed=lambda c: True,
        signers=lambda c: [
            {"name": j.member.full_name, "position": _("Член жюри"), "date": results_day(c)}
            for j in c.jurors.filter(submitted_at__isnull=False).select_related("member")
        ],
        document_date=results_day,
        mark=protocol_mark,
        urls=kind_urls("protocol-pdf"),
        page=lambda c: reverse("contests:results", args=[c.pk]),
        labels={
            "download": gettext_lazy("Скачать протокол жюри (PDF)"),
            "request": gettext_lazy("Протокол жюри в PDF"),
        },
    )
)


# --- a diploma (or a participant's certificate) per application ----------------------------


def load_application(pk: int) -> Application:
    return Application.objects.select_related(
        "contest", "nomination", "applicant", "organization"
    ).get(pk=pk)


def may_read_diploma(user, application: Application) -> bool:
    contest = application.contest
    if user.has_perm("contests.manage_contest", contest):
        return True
    member = getattr(user, "member", None) if user.is_authenticated else None
    return bool(
        member is not None
        and application.applicant_id == member.pk
        and contest.results_published_at
    )


def diploma_context(application: Application, *, draft: bool, mark: dict | None) -> dict:
    verify_url = mark["verify_url"] if mark else ""
    return {**documents.diploma_context(application, verify_url=verify_url), "mark": mark}


def diploma_mark(application: Application, number: str, url: str, signed: bool) -> dict:
    day = results_day(application.contest)
    return signature_mark(
        register_number=number,
        verify_url=url,
        signed=signed,
        approvals=[approval(_("Итоги конкурса утверждены"), "", day)],
    )


DIPLOMA = pipeline.register(
    pipeline.DocumentKind(
        name="contests.diploma",
        slug="diploma",
        template=documents.DIPLOMA_TEMPLATE,
        load=load_application,
        context=diploma_context,
        version=lambda a: fingerprint(
            a.pk, a.contest.results_approved_at, a.register_number, a.place, a.award
        ),
        title=lambda a: (
            f"{'Диплом' if a.place and a.place <= 3 else 'Сертификат'} — "
            f"{a.display_name}, конкурс «{a.contest.title}» ({a.contest.year})"
        ),
        filename=lambda a: f"diploma-{a.register_number or a.pk}.pdf",
        may_read=may_read_diploma,
        may_request=lambda user, a: user.has_perm("contests.manage_contest", a.contest),
        exists=lambda a: bool(a.register_number and a.contest.results_approved_at),
        register_kind=IssuedDocument.Kind.DIPLOMA,
        register_source=lambda a: f"contests.application:{a.pk}:diploma",
        document_date=lambda a: results_day(a.contest),
        mark=diploma_mark,
        urls=kind_urls("diploma"),
        page=lambda a: a.get_absolute_url(),
        labels={
            "download": gettext_lazy("Скачать диплом (PDF)"),
            "request": gettext_lazy("Диплом в PDF"),
        },
        compact=True,
    )
)
