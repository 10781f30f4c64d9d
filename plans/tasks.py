"""Celery entry points for plans: take ids, re-read rows, safe to run twice."""

from celery import shared_task
from django.utils import timezone

# The PDFs are built by the document pipeline's one task (rumo.tasks); the
# workflow e-mails are outbox rows recorded with the workflow step (rumo.outbox).


@shared_task(acks_late=True)
def send_month_digests_task() -> int:
    """Record the month's plan digests in the outbox (its unique keys keep it to one each)."""
    # Imported here: plans.services imports this module to enqueue its tasks.
    from .services import send_month_digests

    return send_month_digests(timezone.localdate())
