"""Celery entry points of the document pipeline: take ids, re-read rows, safe to run twice."""

from celery import shared_task

from . import pipeline


@shared_task(acks_late=True)
def build_document_task(build_id: int) -> None:
    """Build one DocumentBuild row's document, whatever its kind."""
    pipeline.build(build_id)


@shared_task
def sweep_documents_task() -> int:
    """Send again the builds no worker took (the broker was down) or finished (it died)."""
    return pipeline.sweep_builds()
