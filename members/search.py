"""Search that folds case and «ё» the same way on PostgreSQL and SQLite.

SQLite's LOWER() and LIKE fold ASCII letters only, so «лоскутова» would not
find «Лоскутова» there; Rumo registers a Python function on every SQLite
connection (``register_sqlite_fold`` runs on ``connection_created``) and
uses the database's own LOWER() elsewhere.
"""

from django.core.paginator import Paginator
from django.db import models

FOLD_FUNCTION = "rumo_fold"


def fold(text: str) -> str:
    """Return ``text`` lowercased with «ё» read as «е», as searches compare it."""
    return text.lower().replace("ё", "е")


def fold_or_none(text):
    return None if text is None else fold(str(text))


class Folded(models.Func):
    """The column's text lowercased with «ё» as «е», in the database."""

    output_field = models.CharField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="REPLACE(LOWER(%(expressions)s), 'ё', 'е')", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template=f"{FOLD_FUNCTION}(%(expressions)s)", **extra
        )


def register_sqlite_fold(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(FOLD_FUNCTION, 1, fold_or_none, deterministic=True)


class CountedPaginator(Paginator):
    """A paginator told how many were found (a count cached per content generation)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count
