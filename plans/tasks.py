"""Celery entry points for plans: take ids, re-read rows, safe to run twice."""

from celery import shared_task
from django.utils import timezone

from . import pdf


@shared_task(acks_late=True)
def build_plan_pdf_task(revision_id: int, draft: bool) -> None:
    pdf.build_revision_pdf(revision_id, draft=draft)


@shared_task
def sweep_plan_pdfs_task() -> int:
    """Re-enqueue PDF builds left pending (the broker was down, a worker died)."""
    return pdf.requeue_stale()


@shared_task(acks_late=True)
def send_month_digests_task() -> int:
    """Record the month's plan digests in the outbox (its unique keys keep it to one each)."""
    # Imported here: plans.services imports this module to enqueue its tasks.
    from .services import send_month_digests

    return send_month_digests(timezone.localdate())
