"""Celery entry points of the document pipeline and the outbox: take ids, re-read rows,
safe to run twice."""

import logging

from celery import shared_task

from . import outbox, pipeline
from .models import OutboxMessage

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def build_document_task(build_id: int) -> None:
    """Build one DocumentBuild row's document, whatever its kind."""
    pipeline.build(build_id)


@shared_task
def sweep_documents_task() -> int:
    """Send again the builds no worker took (the broker was down) or finished (it died)."""
    return pipeline.sweep_builds()


@shared_task(acks_late=True)
def send_outbox_task(ids: list[int], lease: str | None = None) -> int:
    """Send the given rows that are still pending and leased to this run."""
    return outbox.send_rows(ids, lease=lease).sent


@shared_task(acks_late=True)
def sweep_outbox_task() -> int:
    """Hand every due row to the workers: rows the broker missed, retries, expired leases."""
    enqueued = outbox.dispatch(OutboxMessage.objects.all())
    if enqueued:
        log.info("Outbox sweep: %s rows enqueued", enqueued)
    return enqueued
