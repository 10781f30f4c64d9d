"""What a document's download answers with, and a visitor's downloads remembered per build.

The download view (rumo.document_views.download) checks the reader's rights on
the object and reads its build row before serving the file. For a visitor (no
login) asking for a document of a kind declared with ``cache_visitor_access``
(a plan's signed text) that answer is the same for every visitor until the
object or the file changes, so it is kept in the cache: the file's storage
name, its validators and its name, with the version it was found under, and
used only while that version holds:

- the content generation of rumo.page_cache, which every saved plan, revision,
  meeting… moves on (so a revision that stops being public is checked anew), and
- the document's *build stamp*, which the pipeline moves on once a build of the
  document (or its removal) is committed (``changed``, from pipeline.build).

Only what a visitor *may* read is kept; a refusal is decided anew each time, and
members are always checked against the rules with their own rights. The version
is read (with the answer, in one round trip: ``look_up``) before the row, so a
request that read the row before a rebuild was committed keeps it under a
version no later request accepts. A cache that does not answer only means the
full check; a remembered file that is gone means the full check too.
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


def answer_key(kind: str, object_id) -> str:
    return f"document-download:{kind}:{object_id}"


@dataclass(frozen=True)
class Lookup:
    """What the cache holds for a visitor's download of one document, read in one trip."""

    key: str
    version: tuple  # (content generation, build stamp) as read, before the build row
    served: Served | None  # the remembered answer, if it was kept under that version


def look_up(kind: str, object_id) -> Lookup | None:
    """Return the remembered answer with the current version; None when the cache is down.

    One round trip reads the content generation, the build stamp and the answer
    (kept with the version it was found under). Call it before reading the build
    row.
    """
    stamp, answer = stamp_key(kind, object_id), answer_key(kind, object_id)
    try:
        version, found = page_cache.read_current((page_cache.GENERATION_KEY, stamp), [answer])
    except page_cache.Unavailable:
        return None
    kept = found.get(answer)
    served = None
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == version:
        served = kept[1] if isinstance(kept[1], Served) else None
    return Lookup(key=answer, version=version, served=served)


def remember(lookup: Lookup, served: Served) -> None:
    try:
        cache.set(lookup.key, (lookup.version, served), REMEMBER_FOR)
    except Exception:
        logger.warning("The cache did not answer; the download is not remembered", exc_info=True)


def changed(kind: str, object_id) -> None:
    """Forget the remembered downloads of a document: its file was built anew or removed.

    Call it once the change is committed (transaction.on_commit).
    """
    try:
        page_cache.advance(stamp_key(kind, object_id))
    except Exception:
        logger.warning("The cache did not answer; a download may lag", exc_info=True)
