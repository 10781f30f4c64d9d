"""Celery entry points of meetings: take ids, re-read rows, safe to run twice."""

import logging

from celery import shared_task

from rumo import outbox
from rumo.models import OutboxMessage

from . import services

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sweep_reminders_task() -> int:
    """Record the due reminders and hand every due notice to the workers (Celery beat)."""
    counts = services.plan_reminders()
    enqueued = outbox.dispatch(OutboxMessage.objects.all())
    log.info("Reminder sweep: %s, %s enqueued", counts, enqueued)
    return enqueued
