"""Celery entry points for meeting notices: take ids, re-read rows, safe to run twice."""

import logging

from celery import shared_task

from . import notify
from .models import ReminderDelivery

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sweep_reminders_task() -> int:
    """Plan the due reminders and hand every due notice to the workers (Celery beat)."""
    counts = notify.plan_reminders()
    enqueued = notify.dispatch(ReminderDelivery.objects.all())
    log.info("Reminder sweep: %s, %s enqueued", counts, enqueued)
    return enqueued


@shared_task(acks_late=True)
def send_deliveries_task(delivery_ids: list[int], lease: str | None = None) -> int:
    """Send the given notices that are still pending and leased to this run."""
    return notify.send_deliveries(delivery_ids, lease=lease).sent
