"""Celery entry points for members: take ids, re-read rows, safe to run twice."""

from celery import shared_task

from .services import imports


@shared_task(acks_late=True)
def analyse_import_task(batch_id: int) -> None:
    imports.analyse_import(batch_id)


@shared_task(acks_late=True)
def apply_import_task(batch_id: int) -> None:
    # A second run finds the batch DONE and does nothing; a crash rolls the writes back.
    imports.apply_batch(batch_id)


@shared_task(acks_late=True)
def send_campaign_reminders_task() -> int:
    """Record today's campaign reminders in the outbox (its unique keys keep it to one each)."""
    from .services import queue_reminders

    return queue_reminders()
