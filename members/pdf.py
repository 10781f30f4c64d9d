"""The data bank's documents as PDFs: an association's staff characteristics report, a
member's own personal data and an award petition.

A kind of the document pipeline (rumo.pipeline, docs/documents.md): the
pipeline builds it in its worker task, registers it (a report, numbered) and
serves it; this module says what it shows and who reads it — those who may
open the report page.
"""

import hashlib
import json
from dataclasses import asdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumo import pipeline
from rumo.models import DocumentBuild, IssuedDocument

from .charts import bar_chart
from .export import personal_data
from .models import Association, AwardPetition, Member
from .petitions import chair_of, petition_refusal, petition_rows
from .reports import Characteristics, cached_characteristics
from .services.petitions import PETITION_KIND
from .services.profile import PROFILE_FIELDS


def load_association(pk: int) -> Association:
    return Association.objects.select_related("parent").get(pk=pk)


def report_of(association: Association) -> Characteristics:
    return cached_characteristics(association, on=timezone.localdate())


# The report page works the version out with the rest of what it caches (once per
# content generation) and leaves it on the association it shows, for the PDF panel.
KNOWN_VERSION = "_members_report_version"


def report_version(association: Association) -> str:
    """A fingerprint of what the PDF shows: the date, every college's counts, the names."""
    known = getattr(association, KNOWN_VERSION, None)
    if known is not None and known[0] == timezone.localdate():
        return known[1]
    return report_fingerprint(association, report_of(association))


def report_fingerprint(association: Association, report: Characteristics) -> str:
    data = [association.name, report.on.isoformat()]
    for row in [*report.colleges, report.total]:
        data.append([row.name, row.headcount])
        for key, buckets in row.by_dimension.items():
            data.append([key, [bucket.count for bucket in buckets]])
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def report_context(association: Association, *, draft: bool, mark: dict | None) -> dict:
    report = report_of(association)
    return {
        "report": report,
        "association": association,
        "sections": [
            (dimension, totals, colleges, bar_chart(str(dimension.title), totals))
            for dimension, totals, colleges in report.sections()
        ],
        "author": association.name,
        "mark": mark,
    }


def report_title(association: Association) -> str:
    return _("Характеристика кадров: %(name)s") % {"name": association.name}


def report_urls(association: Association) -> tuple[str, str, str]:
    return tuple(
        reverse(f"members:{name}", args=[association.slug])
        for name in ("report-pdf", "report-pdf-request", "report-pdf-file")
    )


REPORT = pipeline.register(
    pipeline.DocumentKind(
        name="members.report",
        slug="report",
        template="members/pdf/report.html",
        load=load_association,
        context=report_context,
        version=report_version,
        title=report_title,
        filename=lambda a: f"characteristics-{a.slug}-{timezone.localdate()}.pdf",
        may_read=lambda user, a: user.has_perm("members.manage_databank", a),
        register_kind=IssuedDocument.Kind.REPORT,
        document_date=lambda a: timezone.localdate(),
        urls=report_urls,
        page=lambda a: reverse("members:report", args=[a.slug]),
        labels={
            "download": gettext_lazy("Скачать отчёт (PDF)"),
            "request": gettext_lazy("Сформировать PDF"),
        },
        register_source=lambda a: f"members.association:{a.pk}:report",
    )
)


# The member's own data (152-FZ, art. 14) as a PDF: read only by that member, kept off
# the register (whose verification page is public), deleted with the personal data.


def load_member(pk: int) -> Member:
    return Member.objects.select_related("organization", "user").get(pk=pk)


def data_of(member: Member) -> dict:
    data = personal_data(member)
    data.pop("exported_at")
    return data


def personal_data_version(member: Member) -> str:
    data = [timezone.localdate().isoformat(), data_of(member)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()


def yes_no(value) -> str:
    if value is True:
        return _("да")
    if value is False:
        return _("нет")
    return "—" if value in (None, "") else str(value)


def personal_data_context(member: Member, *, draft: bool, mark: dict | None) -> dict:
    data = data_of(member)
    profile = [
        (Member._meta.get_field(name).verbose_name, yes_no(display_value(member, name)))
        for name in PROFILE_FIELDS
    ]
    confirmed = member.confirmed_at and timezone.localtime(member.confirmed_at)
    profile.append((_("профиль подтверждён"), confirmed.strftime("%d.%m.%Y") if confirmed else "—"))
    profile.append((_("логин"), yes_no(data["profile"]["login"])))
    return {
        "member": member,
        "data": data,
        "profile": profile,
        "on": timezone.localdate(),
        "author": "Rumo",
        "mark": mark,
    }


def display_value(member: Member, name: str):
    field = Member._meta.get_field(name)
    if field.choices:
        return getattr(member, f"get_{name}_display")()
    value = getattr(member, name)
    return value.strftime("%d.%m.%Y") if hasattr(value, "strftime") else value


PERSONAL_DATA = pipeline.register(
    pipeline.DocumentKind(
        name="members.personal_data",
        slug="personal-data",
        template="members/pdf/personal_data.html",
        load=load_member,
        context=personal_data_context,
        version=personal_data_version,
        title=lambda m: _("Сведения о персональных данных: %(name)s") % {"name": m.full_name},
        filename=lambda m: f"rumo-my-data-{timezone.localdate()}.pdf",
        may_read=lambda user, m: bool(m.user_id) and user.pk == m.user_id,
        urls=lambda m: tuple(
            reverse(f"members:{name}")
            for name in ("my-data-pdf", "my-data-pdf-request", "my-data-pdf-file")
        ),
        page=lambda m: reverse("members:me"),
        labels={
            "download": gettext_lazy("Скачать мои данные (PDF)"),
            "request": gettext_lazy("Мои данные в PDF"),
        },
        compact=True,
    )
)


def forget_personal_data(member: Member) -> None:
    """Delete the member's personal-data PDF (on erasure): it holds what was erased."""
    rows = DocumentBuild.objects.filter(kind=PERSONAL_DATA.name, object_id=member.pk)
    files = [(row.file.storage, row.file.name) for row in rows if row.file]
    rows.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


# An award petition (ходатайство о награждении): the nominees with their data-bank fields
# and merits, signed by the chair. Read by those who run the association's data bank.
# Kept off the register: its public verification page would serve personal data.


def load_petition(pk: int) -> AwardPetition:
    return AwardPetition.objects.select_related("association__parent").get(pk=pk)


# The petition page has the rows already: it leaves them on the petition for the panel.
KNOWN_ROWS = "_members_petition_rows"


def petition_data(petition: AwardPetition) -> dict:
    on = timezone.localdate()
    known = getattr(petition, KNOWN_ROWS, None)
    rows = known[1] if known is not None and known[0] == on else petition_rows(petition, on=on)
    return {
        "on": on,
        "rows": rows,
        "chair": chair_of(petition, on=on),
    }


def petition_version(petition: AwardPetition) -> str:
    data = petition_data(petition)
    fingerprint = [
        petition.association.name,
        petition.award,
        petition.addressee,
        data["on"].isoformat(),
        asdict(data["chair"]),
        [asdict(row) for row in data["rows"]],
    ]
    text = json.dumps(fingerprint, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def petition_context(petition: AwardPetition, *, draft: bool, mark: dict | None) -> dict:
    return {
        "petition": petition,
        "association": petition.association,
        **petition_data(petition),
        "author": petition.association.name,
        "mark": mark,
    }


PETITION = pipeline.register(
    pipeline.DocumentKind(
        name=PETITION_KIND,
        slug="petition",
        template="members/pdf/petition.html",
        load=load_petition,
        context=petition_context,
        version=petition_version,
        title=lambda p: _("Ходатайство о награждении: %(award)s") % {"award": p.award},
        filename=lambda p: f"petition-{p.pk}-{timezone.localdate()}.pdf",
        may_read=lambda user, p: user.has_perm("members.manage_databank", p),
        refusal=lambda p: petition_refusal(petition_rows(p, on=timezone.localdate())),
        urls=lambda p: tuple(
            reverse(f"members:{name}", args=[p.pk])
            for name in ("petition-pdf", "petition-pdf-request", "petition-pdf-file")
        ),
        page=lambda p: p.get_absolute_url(),
        labels={
            "download": gettext_lazy("Скачать ходатайство (PDF)"),
            "request": gettext_lazy("Сформировать ходатайство (PDF)"),
        },
    )
)
