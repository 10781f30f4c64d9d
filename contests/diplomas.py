"""A contest's diplomas as one batch: how far the worker has got, and all of them as one ZIP.

Each diploma is a document of the pipeline (contests.pdf.DIPLOMA), built by the
worker and kept in the register. The ZIP is not a document of its own: it is
written on request from the registered files, so it always holds exactly what
the register holds (no second copy to go stale, nothing more for the worker to
do). It is offered only when every diploma of the contest is built and current.
"""

import hashlib
import re
import tempfile
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from rumo import pipeline
from rumo.models import DocumentBuild

from .models import Application, Contest
from .pdf import DIPLOMA

State = DocumentBuild.State


@dataclass
class Diploma:
    application: Application
    row: DocumentBuild | None
    ready: bool

    @property
    def busy(self) -> bool:
        return not self.ready and self.row is not None and self.row.busy

    @property
    def failed(self) -> bool:
        return not self.ready and self.row is not None and self.row.state == State.FAILED

    @property
    def register_number(self) -> str:
        return self.row.register_number if self.ready else ""


@dataclass
class Batch:
    contest: Contest
    diplomas: list[Diploma]

    @property
    def total(self) -> int:
        return len(self.diplomas)

    @property
    def ready(self) -> int:
        return sum(d.ready for d in self.diplomas)

    @property
    def busy(self) -> int:
        return sum(d.busy for d in self.diplomas)

    @property
    def failed(self) -> int:
        return sum(d.failed for d in self.diplomas)

    @property
    def missing(self) -> int:
        """Neither built nor being built: failed, never requested or out of date."""
        return self.total - self.ready - self.busy

    @property
    def complete(self) -> bool:
        return bool(self.diplomas) and self.ready == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.ready / self.total) if self.total else 0

    @property
    def etag(self) -> str:
        """The archive's validator: the names and SHA-256 of what it holds."""
        data = "\n".join(f"{name}\t{d.row.sha256}" for name, d in entries(self))
        return hashlib.sha256(data.encode()).hexdigest()

    @property
    def built_at(self):
        times = [d.row.built_at for d in self.diplomas if d.row is not None and d.row.built_at]
        return max(times) if times else timezone.now()


def applications_of(contest: Contest):
    """The ranked applications (each has a diploma or a certificate), in the results' order."""
    return (
        contest.applications.exclude(register_number="")
        .select_related("contest", "nomination", "applicant", "organization")
        .order_by("nomination__position", "place", "pk")
    )


def batch(contest: Contest) -> Batch:
    """The diplomas of a contest with approved results and their build states, in two queries."""
    applications = list(applications_of(contest))
    for application in applications:
        application.contest = contest  # one contest object: its cached rows serve every diploma
    rows = pipeline.rows_for([DIPLOMA], applications)
    diplomas = []
    for application in applications:
        row = rows.get((DIPLOMA.name, application.pk))
        diplomas.append(Diploma(application, row, pipeline.is_current(row, DIPLOMA, application)))
    return Batch(contest, diplomas)


UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def clean(text: str, limit: int = 80) -> str:
    """A piece of a file name: no path separators or characters Windows refuses."""
    text = " ".join(UNSAFE.sub(" ", text).split()).strip(" .")
    return text[:limit].rstrip(" .") or "—"


def entries(batch: Batch) -> list[tuple[str, Diploma]]:
    """Each diploma's path in the archive: a folder per nomination, a readable file name.

    «Лучший библиотекарь/01 — Диплом I степени — Фёдорова Галина Аркадьевна.pdf»
    """
    named = []
    taken: set[str] = set()
    counters: dict[int, int] = {}
    for diploma in batch.diplomas:
        application = diploma.application
        nomination = application.nomination
        counters[nomination.pk] = counters.get(nomination.pk, 0) + 1
        award = application.award or _("Сертификат участника")
        stem = (
            f"{clean(nomination.name, 60)}/{counters[nomination.pk]:02d} — "
            f"{clean(award, 60)} — {clean(application.display_name)}"
        )
        name, copy = f"{stem}.pdf", 1
        while name in taken:  # two nominations of the same name: never one entry twice
            copy += 1
            name = f"{stem} ({copy}).pdf"
        taken.add(name)
        named.append((name, diploma))
    return named


def archive_name(contest: Contest) -> str:
    return f"{clean(_('Дипломы'))} — {clean(contest.title)} ({contest.year}).zip"


def write_zip(batch: Batch):
    """Write the archive of a complete batch to a temporary file and return it, at its start.

    The PDFs are compressed already: they are stored as they are. Entry times are
    the build times, so the same diplomas give the same bytes.
    """
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response that streams it)
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, diploma in entries(batch):
                built = timezone.localtime(diploma.row.built_at or timezone.now())
                info = zipfile.ZipInfo(name, date_time=built.timetuple()[:6])
                info.external_attr = 0o644 << 16
                with (
                    diploma.row.stored_file.open("rb") as source,
                    archive.open(info, "w") as target,
                ):
                    while chunk := source.read(1 << 16):
                        target.write(chunk)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return out
