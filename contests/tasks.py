"""Celery entry points for contests: thin, safe to run twice."""

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sweep_council_votes_task() -> dict:
    """Remind non-voters a day before the deadline and close the votes that are due.

    Beat entry (rumo/settings.py CELERY_BEAT_SCHEDULE), to be added at merge:
    "sweep-contest-votes": {"task": "contests.tasks.sweep_council_votes_task", "schedule": 15 * 60}
    """
    reminded = services.remind_non_voters()
    closed = services.close_due_votes()
    log.info("Contest votes: %s reminders, %s closed", reminded, closed)
    return {"reminded": reminded, "closed": closed}
