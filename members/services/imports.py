"""Import batches: upload → analysis (preview) → confirmation → applied; work runs in tasks."""

import logging
import secrets

from django.db import transaction
from django.utils import timezone

from .. import importing
from ..models import AccessLog, Association, ImportBatch
from .access import log_access

log = logging.getLogger(__name__)
State = ImportBatch.State
PREVIEW_LIMIT = 3000


def enqueue(task, batch_id: int) -> None:
    """Send the task after commit; a broker that is down leaves the batch for «Повторить»."""

    def send():
        try:
            task.delay(batch_id)
        except Exception:  # the broker is down: the page offers to retry
            log.warning("Import batch %s not enqueued; the page offers a retry", batch_id)

    transaction.on_commit(send)


@transaction.atomic
def start_import(*, upload, association: Association | None, by) -> ImportBatch:
    """Store the uploaded file and have it analysed; nothing in the data bank changes yet."""
    from ..tasks import analyse_import_task

    batch = ImportBatch(
        token=secrets.token_hex(16),
        association=association,
        filename=upload.name[:255],
        created_by=by,
    )
    batch.file.save(upload.name, upload, save=False)
    batch.save()
    # The preview shows current values of the members the file matches.
    log_access(by, action=AccessLog.Action.IMPORT_MEMBERS, association=association,
               what=f"проверка файла {batch.filename}")  # fmt: skip
    enqueue(analyse_import_task, batch.pk)
    return batch


@transaction.atomic
def confirm_import(batch: ImportBatch, *, by) -> ImportBatch:
    from ..tasks import apply_import_task

    if batch.state != State.READY:
        return batch
    batch.state, batch.processed_rows = State.APPLYING, 0
    batch.save(update_fields=["state", "processed_rows"])
    what = f"{batch.filename}: {batch.counts}"
    log_access(by, action=AccessLog.Action.IMPORT_MEMBERS, association=batch.association, what=what)
    enqueue(apply_import_task, batch.pk)
    return batch


@transaction.atomic
def retry_import(batch: ImportBatch) -> ImportBatch:
    from ..tasks import analyse_import_task, apply_import_task

    if batch.state in (State.ANALYSING, State.APPLYING):
        task = analyse_import_task if batch.state == State.ANALYSING else apply_import_task
        enqueue(task, batch.pk)
    return batch


@transaction.atomic
def cancel_import(batch: ImportBatch) -> ImportBatch:
    if batch.state in (State.READY, State.FAILED, State.ANALYSING):
        batch.state = State.CANCELLED
        batch.preview = []
        batch.save(update_fields=["state", "preview"])
        drop_file(batch)
    return batch


def drop_file(batch: ImportBatch) -> None:
    """Delete the uploaded file once it is no longer needed (it holds personal data)."""
    if batch.file:
        name, storage = batch.file.name, batch.file.storage
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
        transaction.on_commit(lambda: storage.delete(name))


def read_file(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as handle:
        return handle.read()


def progress_saver(batch_id: int):
    def save(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(processed_rows=done, total_rows=total)

    return save


def restricted(batch: ImportBatch) -> bool:
    return not (batch.created_by and batch.created_by.is_staff)


def analyse_import(batch_id: int) -> None:
    """Read and check the batch's file; keep the rows that would change or are rejected."""
    batch = ImportBatch.objects.filter(pk=batch_id, state=State.ANALYSING).first()
    if batch is None:
        return
    try:
        data = read_file(batch)
        _planner, result = importing.plan_import(
            data, batch.filename, association=batch.association,
            restricted=restricted(batch), progress=progress_saver(batch.pk),
        )  # fmt: skip
    except importing.ImportProblem as problem:
        batch.state, batch.error = State.FAILED, str(problem)
        batch.save(update_fields=["state", "error"])
        return
    shown = [r.as_preview() for r in result.rows if r.action != "unchanged"]
    batch.preview = shown[:PREVIEW_LIMIT]
    batch.counts = result.counts
    batch.total_rows = batch.processed_rows = len(result.rows)
    batch.state = State.READY
    batch.save(update_fields=["preview", "counts", "total_rows", "processed_rows", "state"])


class AlreadyApplied(Exception):
    pass


def apply_batch(batch_id: int) -> None:
    """Write the confirmed batch; the rows are decided again against the data as it is now."""
    batch = ImportBatch.objects.filter(pk=batch_id, state=State.APPLYING).first()
    if batch is None:
        return

    def mark_done(counts: dict) -> None:
        # Locked, so a redelivered task running alongside writes nothing twice.
        locked = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if locked.state != State.APPLYING:
            raise AlreadyApplied
        locked.counts, locked.state, locked.applied_at = counts, State.DONE, timezone.now()
        locked.processed_rows = locked.total_rows
        locked.save(update_fields=["counts", "state", "applied_at", "processed_rows"])
        drop_file(locked)

    try:
        importing.apply_import(
            read_file(batch), batch.filename, association=batch.association,
            restricted=restricted(batch), progress=progress_saver(batch.pk), then=mark_done,
        )  # fmt: skip
    except AlreadyApplied:
        return
