"""The data bank's documents as PDFs: the staff characteristics report of an association.

A kind of the document pipeline (rumo.pipeline, docs/documents.md): the
pipeline builds it in its worker task, registers it (a report, numbered) and
serves it; this module says what it shows and who reads it — those who may
open the report page.
"""

import hashlib
import json

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumo import pipeline
from rumo.models import IssuedDocument

from .charts import bar_chart
from .models import Association
from .reports import Characteristics, staff_characteristics


def load_association(pk: int) -> Association:
    return Association.objects.select_related("parent").get(pk=pk)


def report_of(association: Association) -> Characteristics:
    return staff_characteristics(association, on=timezone.localdate())


def report_version(association: Association) -> str:
    """A fingerprint of what the PDF shows: the date, every college's counts, the names."""
    report = report_of(association)
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
