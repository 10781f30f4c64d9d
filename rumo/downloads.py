"""What a document's download answers with, and a visitor's downloads remembered per build.

The download view (rumo.document_views.download) checks the reader's rights on
the object and reads its build row before serving the file. For a visitor (no
login) asking for a document of a kind declared with ``cache_visitor_access``
(a plan's signed text) that answer is the same for every visitor until the
object or the file changes, so it is kept in the cache: the file's storage
name, its validators and its name, under a key that holds

- the content generation of rumo.page_cache, which every saved plan, revision,
  meeting… moves on (so a revision that stops being public is checked anew), and
- the document's *build stamp*, which the pipeline moves on once a build of the
  document (or its removal) is committed (``changed``, from pipeline.build).

Only what a visitor *may* read is kept; a refusal is decided anew each time, and
members are always checked against the rules with their own rights. The stamp
and the generation are read before the row, so a request that read the row
before a rebuild was committed keeps it under a key no later request asks for.
A cache that does not answer only means the full check; a remembered file that
is gone means the full check too.
"""

import logging
from dataclasses import dataclass

from django.core.cache import cache

from . import page_cache
from .models import DocumentBuild, IssuedDocument

logger = logging.getLogger(__name__)
# Bounds how long an answer outlives a stamp moved while the cache was down.
REMEMBER_FOR = 60 * 60


@dataclass(frozen=True)
class Served:
    """One built file as the download serves it."""

    name: str  # in the storage of IssuedDocument.file (registered) or DocumentBuild.file
    registered: bool
    sha256: str
    modified: float  # POSIX time: the registration, else the build
    filename: str  # offered to save as

    @classmethod
    def of(cls, row: DocumentBuild | None, filename: str) -> "Served | None":
        """Return what the row serves, or None when it has no file (yet)."""
        if row is None or not row.stored_file or not row.sha256:
            return None
        modified = (row.issued.issued_at if row.issued_id else row.built_at) or row.requested_at
        return cls(
            name=row.stored_file.name,
            registered=bool(row.issued_id),
            sha256=row.sha256,
            modified=modified.timestamp(),
            filename=filename,
        )

    def open(self):
        """Return the file opened for reading; FileNotFoundError when it is gone."""
        model = IssuedDocument if self.registered else DocumentBuild
        return model._meta.get_field("file").storage.open(self.name, "rb")


def stamp_key(kind: str, object_id) -> str:
    return f"document-build:{kind}:{object_id}"


def slot(kind: str, object_id) -> str | None:
    """Return the key a visitor's download of the document is kept under now.

    None when the cache does not answer. Call it before reading the build row.
    """
    stamp = stamp_key(kind, object_id)
    try:
        found = cache.get_many([page_cache.GENERATION_KEY, stamp])
        generation = found.get(page_cache.GENERATION_KEY)
        if generation is None:
            generation = page_cache.generation()
        build = found.get(stamp)
        if build is None:
            cache.add(stamp, page_cache.fresh_generation(), timeout=None)
            build = cache.get(stamp)
    except Exception:
        logger.warning("The cache did not answer; checking the download in full", exc_info=True)
        return None
    if build is None:
        return None
    return page_cache.key("download", kind, object_id, build, current=generation)


def recall(key: str) -> Served | None:
    try:
        served = cache.get(key)
    except Exception:
        logger.warning("The cache did not answer; checking the download in full", exc_info=True)
        return None
    return served if isinstance(served, Served) else None


def remember(key: str, served: Served) -> None:
    try:
        cache.set(key, served, REMEMBER_FOR)
    except Exception:
        logger.warning("The cache did not answer; the download is not remembered", exc_info=True)


def changed(kind: str, object_id) -> None:
    """Forget the remembered downloads of a document: its file was built anew or removed.

    Call it once the change is committed (transaction.on_commit).
    """
    key = stamp_key(kind, object_id)
    try:
        cache.incr(key)
    except ValueError:  # never read (or evicted): a fresh value matches no kept answer
        try:
            cache.add(key, page_cache.fresh_generation(), timeout=None)
        except Exception:
            logger.warning("The cache did not answer; a download may lag", exc_info=True)
    except Exception:
        logger.warning("The cache did not answer; a download may lag", exc_info=True)
