"""Caching what pages render, keyed so that a change never waits for an expiry.

Every cached entry's key holds the *content generation*: a counter in the
cache that any saved or deleted row of the models in CONTENT_MODELS moves on
(model signals, connected in rumo.apps). Keys also hold the versions of what
they show (a revision's ``content_version`` and status, a user's pk, the
date), so an entry is never reused for something else; the expiries only
bound the memory and catch changes made by ``QuerySet.update()``, which sends
no signal (code that changes shown data that way calls ``bump()``).

Only parts that are the same for everyone who may see them are cached whole;
per-request parts (the menu, the CSRF token, the CSP nonce, forms) are
rendered around them on every request.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)
GENERATION_KEY = "content-generation"
# Models whose rows appear on cached pages (labels: rumo imports no app above it).
CONTENT_MODELS = [
    "auth.User",  # staff flag and permissions: the menu
    "auth.Group",
    "members.Association",
    "members.Organization",
    "members.Member",
    "members.Membership",
    "members.Course",  # the characteristics report
    "plans.Plan",
    "plans.Revision",
    "plans.Section",
    "plans.Item",
    "plans.Stamp",
    "meetings.Meeting",
    "meetings.AgendaItem",
    "meetings.Response",
    "meetings.CalendarFeed",
    "contests.Contest",
]


class Unavailable(Exception):
    """The cache does not answer (Redis down): pages are rendered without it."""


# Saves of only these fields show on no cached page (every login writes last_login).
QUIET_FIELDS = {"last_login", "password"}


def generation() -> int:
    """Return the current content generation (created on first use)."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, fresh_generation(), timeout=None)
            value = cache.get(GENERATION_KEY)
    except Exception as error:
        raise Unavailable from error
    return value


def fresh_generation() -> int:
    """Return a generation no earlier entry can hold: an evicted counter starts anew
    from the clock, never from a number it has already counted through."""
    return time.time_ns() // 1000


def changed(*args, **kwargs) -> None:
    """Signal receiver: bump now and once the change is committed.

    Bumping only now would let a request that reads the old rows before the
    commit cache them under the new generation; bumping only then would hide
    the change from the rest of its own transaction. So both.
    """
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= QUIET_FIELDS:
        return
    bump()
    transaction.on_commit(bump)


def bump(*args, **kwargs) -> None:
    """Move the content generation on: every cached page part is rendered anew."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): a fresh value invalidates
        cache.add(GENERATION_KEY, fresh_generation(), timeout=None)
    except Exception:
        # Redis down: nothing is read from it either; entries written before
        # may be stale when it is back, and their expiries bound how long.
        logger.warning("The cache did not answer; cached pages may lag behind", exc_info=True)


def key(*parts, current: int | None = None) -> str:
    """Return a cache key of the parts and the current generation."""
    current = generation() if current is None else current
    raw = ":".join(str(p) for p in (*parts, current))
    return "page:" + hashlib.sha1(raw.encode()).hexdigest()


def cached_many(entries: dict, build, timeout: int | None = None) -> dict:
    """Return {name: value} for entries {name: parts}, building the missing ones with
    ``build(names)`` (which returns {name: value}); one round trip each way."""
    try:
        current = generation()
        keys = {name: key(*parts, current=current) for name, parts in entries.items()}
        found = cache.get_many(list(keys.values()))
    except Exception:
        logger.warning("The cache did not answer; rendering without it", exc_info=True)
        return build(list(entries))
    values = {name: found[k] for name, k in keys.items() if k in found}
    missing = [name for name in entries if name not in values]
    if missing:
        built = build(missing)
        values.update(built)
        try:
            cache.set_many({keys[name]: value for name, value in built.items()}, timeout)
        except Exception:
            logger.warning("The cache did not answer; not stored", exc_info=True)
    return values


def cached(parts: tuple, build, timeout: int | None = None):
    """Return the value cached under ``parts`` (and the generation), building it once."""
    try:
        name = key(*parts)
        value = cache.get(name)
    except Exception:
        logger.warning("The cache did not answer; rendering without it", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(name, value, timeout)
        except Exception:
            logger.warning("The cache did not answer; not stored", exc_info=True)
    return value


def connect() -> None:
    from django.apps import apps

    for label in CONTENT_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                changed, sender=field.remote_field.through, dispatch_uid=f"page-cache-m2m-{label}"
            )
