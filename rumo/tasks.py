"""Celery entry points of the document pipeline and the outbox: take ids, re-read rows,
safe to run twice."""

import logging
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings

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
def password_reset_task(email: str) -> None:
    """Look the address up and record a reset e-mail in the outbox for each of its accounts.

    Run in the background for every accepted request alike, whether the
    address belongs to anyone or not: the request itself neither looks it up
    nor renders a message, so its answer tells nothing.
    """
    from .forms import OutboxPasswordResetForm

    form = OutboxPasswordResetForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
    )


@shared_task(acks_late=True)
def sweep_outbox_task() -> int:
    """Hand every due row to the workers: rows the broker missed, retries, expired leases."""
    enqueued = outbox.dispatch(OutboxMessage.objects.all())
    if enqueued:
        log.info("Outbox sweep: %s rows enqueued", enqueued)
    return enqueued
