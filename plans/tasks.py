"""Celery entry points for plans: take ids, re-read rows, safe to run twice."""

from celery import shared_task
from django.utils import timezone

from . import notifications

# The PDFs are built by the document pipeline's one task (rumo.tasks).


# Not acks_late: the mails are not recorded per person, so a redelivered task
# would mail everyone again; losing one notice to a crashed worker is the
# smaller harm (the dashboard shows what waits for whom either way).
@shared_task
def notify_plan_task(revision_id: int, event: str) -> None:
    notifications.notify(revision_id, event)


@shared_task
def send_month_digests_task() -> int:
    """Mail the month's plan digests not sent yet (the PlanDigest rows keep it to one each)."""
    # Imported here: plans.services imports this module to enqueue its tasks.
    from .services import send_month_digests

    return send_month_digests(timezone.localdate())
