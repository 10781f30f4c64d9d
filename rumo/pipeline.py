"""The one document pipeline: kinds, build states, the worker's build, the sweep, the panel.

An app declares each document it issues as a DocumentKind and registers it
(see docs/documents.md). The pipeline then owns everything else: the
DocumentBuild row of each object and its states, one Celery task that builds
any kind (rumo.tasks), registration in the register with SHA-256 and signing
(rumo.documents), the beat sweep that re-queues lost builds, the «формируется…»
panel polled by htmx, and the download view (rumo.document_views).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import downloads
from .documents import issue_document, sha256_hex
from .models import DocumentBuild, IssuedDocument
from .pdf import render_pdf, signature_mark
from .signing import signing_configured

logger = logging.getLogger(__name__)
State = DocumentBuild.State

BUILD_FAILED = gettext_lazy(
    "Не удалось сформировать PDF. Попробуйте ещё раз; если ошибка повторится, "
    "сообщите администратору портала."
)
# A queued build no worker took (the broker was down) is sent again after
# QUEUED_GRACE; one a worker started and never finished, after BUILDING_GRACE
# (longer than CELERY_TASK_TIME_LIMIT, so a live build is never doubled).
QUEUED_GRACE = timedelta(minutes=1)
BUILDING_GRACE = timedelta(minutes=10)


class BuildRefused(Exception):
    """The document cannot be built in the object's state; the message is shown as is."""


def never(obj) -> Any:
    return None


@dataclass(frozen=True)
class DocumentKind:
    """What an app declares about one kind of document; see docs/documents.md.

    Every callable takes the object as ``load`` returns it.
    """

    name: str  # the registry key, "<app>.<kind>"; stored in DocumentBuild.kind
    slug: str  # the kind in URLs and element ids: "draft", "agenda", ...
    template: str
    load: Callable[[int], Any]  # object by pk, with what its document shows; DoesNotExist
    context: Callable[..., dict]  # context(obj, draft=..., mark=...) for the template
    version: Callable[[Any], str]  # fingerprint of what the document shows
    title: Callable[[Any], str]
    filename: Callable[[Any], str]
    may_read: Callable[[Any, Any], bool]  # (user, obj): see the panel and download
    exists: Callable[[Any], bool] = lambda obj: True  # False: its URLs answer 404
    may_request: Callable[[Any, Any], bool] | None = None  # (user, obj); default may_read
    refusal: Callable[[Any], str | None] = never  # a reason the build fails, shown as is
    register_kind: str = ""  # an IssuedDocument.Kind; "" keeps the file off the register
    is_draft: Callable[[Any], bool] = lambda obj: False  # watermarked «ПРОЕКТ», not signed
    signed: Callable[[Any], bool] = lambda obj: False  # signed with the association's key
    signers: Callable[[Any], list[dict]] = lambda obj: []  # {name, position, date}
    document_date: Callable[[Any], date | None] = never
    mark: Callable[..., dict] | None = None  # mark(obj, number, url, signed) → signature_mark
    urls: Callable[[Any], tuple[str, str, str]] | None = None  # (status, build, file)
    page: Callable[[Any], str] = lambda obj: obj.get_absolute_url()  # back after a request
    labels: dict | None = None  # {"download", "request", "retry"} button texts
    compact: bool = False  # one line (a meeting page) rather than a panel with details
    register_source: Callable[[Any], str] | None = None  # IssuedDocument.source; "<name>:<pk>"
    # The download's object: pk → what may_read, exists and filename need; default load.
    access: Callable[[int], Any] | None = None
    # A visitor's may_read and exists depend only on rows of page_cache.CONTENT_MODELS:
    # what a visitor may download is remembered per build and generation (rumo.downloads).
    cache_visitor_access: bool = False

    @property
    def registered(self) -> bool:
        return bool(self.register_kind)

    def source(self, obj) -> str:
        return self.register_source(obj) if self.register_source else f"{self.name}:{obj.pk}"

    def requestable(self, user, obj) -> bool:
        return (self.may_request or self.may_read)(user, obj)


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Add a kind to the registry (at import of the app's documents module)."""
    if KINDS.get(kind.name, kind) != kind:
        raise ValueError(f"Document kind {kind.name!r} is declared twice.")
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> DocumentKind:
    return KINDS[name]


# Asking for a document


def build_row(kind: DocumentKind, obj) -> DocumentBuild | None:
    return (
        DocumentBuild.objects.select_related("issued")
        .filter(kind=kind.name, object_id=obj.pk)
        .first()
    )


def rows_for(kinds: list[DocumentKind], objects: list) -> dict[tuple[str, int], DocumentBuild]:
    """Return the build rows of several kinds and objects, by (kind name, object pk)."""
    rows = DocumentBuild.objects.select_related("issued").filter(
        kind__in=[k.name for k in kinds], object_id__in=[o.pk for o in objects]
    )
    return {(row.kind, row.object_id): row for row in rows}


def is_current(row: DocumentBuild | None, kind: DocumentKind, obj) -> bool:
    """Return whether the row's file is built and shows the object as it is now."""
    if row is None or row.state != State.DONE or not row.stored_file:
        return False
    return row.content_version == kind.version(obj)


def request_build(kind: DocumentKind, obj) -> DocumentBuild:
    """Queue a build of the object's document and return its row.

    The row is saved QUEUED and the task sent when the transaction commits; a
    broker that is down is logged, never raised: the row stays QUEUED and the
    beat sweep sends it again (sweep_builds).
    """
    with transaction.atomic():
        row, created = DocumentBuild.objects.select_for_update().get_or_create(
            kind=kind.name, object_id=obj.pk
        )
        if not created and (row.busy or is_current(row, kind, obj)):
            return row
        row.state = State.QUEUED
        row.error = ""
        row.requested_at = timezone.now()  # the sweep measures from here
        row.save(update_fields=["state", "error", "requested_at"])
        pk = row.pk
        transaction.on_commit(lambda: enqueue(pk))
    row.refresh_from_db()  # eager tasks (tests, a dev box) have already built it
    return row


def request_builds(kind: DocumentKind, objects) -> int:
    """Queue the documents of many objects at once (a batch: a contest's diplomas).

    What request_build does for one object, in four queries for all of them:
    rows that are busy or current are left alone; the tasks are sent when the
    transaction commits, and a broker that is down leaves the rows to the sweep.
    Return how many builds were queued.
    """
    objects = list(objects)
    if not objects:
        return 0
    with transaction.atomic():
        existing = {
            row.object_id: row
            for row in DocumentBuild.objects.select_for_update(of=("self",))
            .select_related("issued")
            .filter(kind=kind.name, object_id__in=[obj.pk for obj in objects])
        }
        stale = [
            existing[obj.pk].pk
            for obj in objects
            if obj.pk in existing
            and not existing[obj.pk].busy
            and not is_current(existing[obj.pk], kind, obj)
        ]
        now = timezone.now()
        DocumentBuild.objects.filter(pk__in=stale).update(
            state=State.QUEUED, error="", requested_at=now
        )
        # New rows: a concurrent request may have made one meanwhile; that one is queued.
        created = DocumentBuild.objects.bulk_create(
            [
                DocumentBuild(kind=kind.name, object_id=obj.pk, requested_at=now)
                for obj in objects
                if obj.pk not in existing
            ],
            ignore_conflicts=True,
        )
        new = DocumentBuild.objects.filter(
            kind=kind.name, object_id__in=[row.object_id for row in created], requested_at=now
        ).values_list("pk", flat=True)
        queued = stale + list(new)
        transaction.on_commit(lambda: [enqueue(pk) for pk in queued])
    return len(queued)


def build_now(kind: DocumentKind, obj) -> DocumentBuild:
    """Build the object's document in this process (a management command) and return its row."""
    row, _created = DocumentBuild.objects.get_or_create(kind=kind.name, object_id=obj.pk)
    if not is_current(row, kind, obj):
        DocumentBuild.objects.filter(pk=row.pk).update(state=State.QUEUED)
        build(row.pk)
    row.refresh_from_db()
    return row


def read_file(row: DocumentBuild) -> bytes:
    with row.stored_file.open("rb") as file:
        return file.read()


def enqueue(build_id: int) -> bool:
    """Send the build task; return False (and log) when the broker cannot take it."""
    from .tasks import build_document_task

    try:
        build_document_task.apply_async((build_id,), retry=False)
    except Exception:
        logger.warning("Cannot queue document build %s; the sweep will", build_id, exc_info=True)
        return False
    return True


def sweep_builds(now=None) -> int:
    """Send again the builds no worker took or finished; return how many were sent."""
    now = now or timezone.now()
    stale = DocumentBuild.objects.filter(
        state=State.QUEUED, requested_at__lt=now - QUEUED_GRACE
    ) | DocumentBuild.objects.filter(state=State.BUILDING, requested_at__lt=now - BUILDING_GRACE)
    return sum(enqueue(pk) for pk in stale.values_list("pk", flat=True))


# Building (in the worker)


def build(build_id: int) -> None:
    """Build the row's document, recording the outcome on the row; safe to run twice."""
    row = start(build_id)
    if row is None:
        return
    kind = KINDS.get(row.kind)
    try:
        if kind is None:
            raise LookupError(f"Unknown document kind {row.kind!r}")
        try:
            obj = kind.load(row.object_id)
        except ObjectDoesNotExist:  # deleted meanwhile: nothing to build, nothing to keep
            forget(row)
            return
        if reason := kind.refusal(obj):
            raise BuildRefused(reason)
        version = kind.version(obj)
        if kind.registered:
            finish(row.pk, version, issued=issue(kind, obj, version))
        else:
            store(row.pk, version, render(kind, obj, draft=kind.is_draft(obj)))
    except BuildRefused as refused:
        fail(row.pk, str(refused))
    except Exception:
        logger.exception("Building document %s (%s:%s) failed", row.pk, row.kind, row.object_id)
        fail(row.pk, str(BUILD_FAILED))
    finally:  # whatever the outcome: the remembered downloads of the document are not used again
        transaction.on_commit(lambda: downloads.changed(row.kind, row.object_id))


@transaction.atomic
def start(build_id: int) -> DocumentBuild | None:
    """Mark the row BUILDING and return it, or None when there is nothing to do."""
    row = DocumentBuild.objects.select_for_update().filter(pk=build_id).first()
    if row is None or row.state == State.DONE:
        return None
    row.state = State.BUILDING
    row.error = ""
    row.requested_at = timezone.now()  # a live build is measured from its start
    row.save(update_fields=["state", "error", "requested_at"])
    return row


def render(kind: DocumentKind, obj, *, draft: bool, mark: dict | None = None) -> bytes:
    context = {
        "title": kind.title(obj),
        "watermark": "ПРОЕКТ" if draft else "",
        **kind.context(obj, draft=draft, mark=mark),
    }
    return render_pdf(kind.template, context)


def issue(kind: DocumentKind, obj, version: str) -> IssuedDocument:
    """Register (once per content version), sign when the kind says so, and store."""
    draft = kind.is_draft(obj)
    sign = not draft and kind.signed(obj)

    def build_pdf(number: str, url: str) -> bytes:
        mark = None
        if not draft:
            signed = sign and signing_configured()
            mark = (
                kind.mark(obj, number, url, signed)
                if kind.mark
                else signature_mark(register_number=number, verify_url=url, signed=signed)
            )
        return render(kind, obj, draft=draft, mark=mark)

    return issue_document(
        kind=kind.register_kind,
        title=kind.title(obj),
        source=kind.source(obj),
        build=build_pdf,
        signers=kind.signers(obj) if sign else [],
        sign=sign,
        is_draft=draft,
        document_date=kind.document_date(obj),
        content_version=version,
    )


def store(build_id: int, version: str, data: bytes) -> None:
    """Store an unregistered file on its row, replacing the previous one."""
    field = DocumentBuild._meta.get_field("file")
    stored = field.storage.save(field.generate_filename(None, f"{build_id}.pdf"), ContentFile(data))
    try:
        with transaction.atomic():
            row = DocumentBuild.objects.select_for_update().get(pk=build_id)
            previous = row.file.name
            row.file.name = stored
            row.save(update_fields=["file"])
            finish(build_id, version, sha256=sha256_hex(data))
    except BaseException:
        field.storage.delete(stored)
        raise
    if previous and previous != stored:
        transaction.on_commit(lambda: field.storage.delete(previous))


def finish(build_id: int, version: str, *, issued=None, sha256: str = "") -> None:
    DocumentBuild.objects.filter(pk=build_id).update(
        state=State.DONE,
        issued=issued,
        sha256=issued.sha256 if issued else sha256,
        content_version=version,
        error="",
        built_at=timezone.now(),
    )


def forget(row: DocumentBuild) -> None:
    """Delete the row of an object that no longer exists, with its unregistered file."""
    if row.file:
        row.file.storage.delete(row.file.name)
    row.delete()


def fail(build_id: int, message: str) -> None:
    DocumentBuild.objects.filter(pk=build_id).update(state=State.FAILED, error=message)


# What a page shows (templates/documents/panel.html)

DEFAULT_LABELS = {
    "download": gettext_lazy("Скачать PDF"),
    "request": gettext_lazy("Сформировать PDF"),
    "retry": gettext_lazy("Повторить"),
}


def panel(kind: DocumentKind, obj, user, row: DocumentBuild | None = None, *, fetch=True) -> dict:
    """Return what templates/documents/panel.html shows for one document of one object.

    ``row`` is the object's build row when the caller fetched it already
    (rows_for); with ``fetch=False`` a missing row means none exists.
    """
    if row is None and fetch:
        row = build_row(kind, obj)
    ready = is_current(row, kind, obj)
    status_url, build_url, file_url = urls(kind, obj)
    issued = row.issued if row is not None and row.issued_id else None
    registered = ready and issued is not None and not issued.is_draft
    return {
        "kind": kind.slug,
        "id": f"doc-{kind.slug}-{obj.pk}",
        "row": row,
        "ready": ready,
        "busy": row is not None and row.busy,
        "failed": row is not None and row.state == State.FAILED,
        "error": row.error if row is not None else "",
        "stale": row is not None and not ready and bool(row.stored_file),
        "draft": bool(row is not None and not registered),
        "can_request": kind.requestable(user, obj),
        "labels": {**DEFAULT_LABELS, **(kind.labels or {})},
        "compact": kind.compact,
        "status_url": status_url,
        "build_url": build_url,
        "file_url": file_url,
        "sha256": row.sha256 if ready else "",
        "size": file_size(row.stored_file) if ready and not kind.compact else None,
        "register_number": issued.register_number if registered else "",
        "verify_url": reverse("verify", args=[issued.code]) if registered else "",
        "signed": registered and issued.signed,
    }


def urls(kind: DocumentKind, obj) -> tuple[str, str, str]:
    if kind.urls:
        return kind.urls(obj)
    return tuple(
        reverse(f"documents:{view}", kwargs={"kind": kind.name, "pk": obj.pk})
        for view in ("status", "request", "file")
    )


def file_size(field) -> int | None:
    try:
        return field.size
    except (OSError, ValueError):
        return None
