"""Reading the document pipeline's rows in tests (rumo.pipeline, rumo.models.DocumentBuild)."""

from rumo.models import DocumentBuild

State = DocumentBuild.State


def build_of(kind: str, obj) -> DocumentBuild | None:
    """Return the build row of the object's document of ``kind`` ("plans.draft", ...)."""
    return DocumentBuild.objects.filter(kind=kind, object_id=obj.pk).first()


def plan_pdf(revision, *, draft: bool) -> DocumentBuild:
    return DocumentBuild.objects.get(kind="plans.draft" if draft else "plans.signed",
                                     object_id=revision.pk)  # fmt: skip


def file_bytes(row: DocumentBuild) -> bytes:
    with row.stored_file.open("rb") as file:
        return file.read()
