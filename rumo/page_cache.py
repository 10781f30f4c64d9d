"""Caching what pages render, keyed so that a change never waits for an expiry.

Generations. Every write to a table of the apps in TRACKED (an INSERT, UPDATE
or DELETE that Django sends, whether from ``save()``, ``QuerySet.update()``,
``bulk_create()``, a cascade or a migration) moves a *generation* on: a counter
in the cache, bumped when the statement runs and again once its transaction
commits (a database execute wrapper, installed on every connection by
``connect()``; a statement that changed no row moves nothing). "content"
counts the rows pages show (plans, meetings, members, contests, users);
"documents" the build states and the register of issued documents, which the
workers write a few times a build. The outbox is not tracked: the workers
write its rows twice an e-mail (a bump each would slow a reminder fan-out by
a quarter), so a page that shows delivery states is checked against their
version on each hit (``checked_by``, ``deliveries_version``). Nor are tables
that no cached page shows (import progress, the access log, sessions, login
attempts).

Fragments. ``cached()`` and ``cached_many()`` keep parts of pages under keys
holding the content generation and the versions of what they show.

Whole pages. ``whole_page`` caches a view's whole response per URL, user,
language, day and generations; the CSRF token and the CSP nonce are put in
per request, and a conditional request for an unchanged page gets a 304.

A Redis that does not answer only means rendering without the cache: after
a failure the cache is left alone for a moment (``DOWN_FOR`` seconds), and
the bumps missed meanwhile are made once it answers again.
"""

import functools
import hashlib
import logging
import re
import time
from functools import wraps
from pathlib import Path

from django.core.cache import cache, caches
from django.db import transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csp import get_nonce
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

CONTENT = "content"
DOCUMENTS = "documents"
GENERATION_KEY = "content-generation"
# What each generation counts: app labels (every model of the app) or single models.
TRACKED = {
    CONTENT: ["auth.User", "auth.Group", "members", "meetings", "contests", "plans"],
    DOCUMENTS: ["rumo.DocumentBuild", "rumo.IssuedDocument"],
}
# What a page that shows no document state depends on (document builds leave it cached).
CONTENT_ONLY = (CONTENT,)
# Rows written by background work or by reading pages, shown on no cached page.
UNTRACKED = {"members.ImportBatch", "members.AccessLog"}
# Writes of only these columns show on no cached page (every login writes last_login).
QUIET_COLUMNS = {"auth_user": {"last_login", "password"}}
# After the cache failed to answer, how long to render without asking it.
DOWN_FOR = 2.0


class Unavailable(Exception):
    """The cache does not answer (Redis down): pages are rendered without it."""


# ---- The cache's health: a short pause after a failure, bumps made up later ----


def _backend():
    return caches["default"]


def _down() -> bool:
    return getattr(_backend(), "_rumo_down_until", 0.0) > time.monotonic()


def _failed(error: Exception, doing: str) -> None:
    backend = _backend()
    backend._rumo_down_until = time.monotonic() + DOWN_FOR
    logger.warning("The cache did not answer (%s); %s", error.__class__.__name__, doing)


def _missed() -> set:
    backend = _backend()
    if not hasattr(backend, "_rumo_missed"):
        backend._rumo_missed = set()
    return backend._rumo_missed


def _make_up() -> None:
    """Make the bumps missed while the cache did not answer (it answers now)."""
    missed = _missed()
    for name in sorted(missed):
        _incr(name)  # raises while the cache is still away: kept for the next time
        missed.discard(name)


# ---- Generations ----


def generation_key(name: str) -> str:
    return GENERATION_KEY if name == CONTENT else f"{name}-generation"


def fresh_generation() -> int:
    """Return a generation no earlier entry can hold: an evicted counter starts anew
    from the clock, never from a number it has already counted through."""
    return time.time_ns() // 1000


def generations(names=(CONTENT,)) -> tuple:
    """Return the current generations of ``names`` (created on first use), one round trip."""
    return generations_of(tuple(generation_key(name) for name in names))


def generations_of(keys: tuple, found: dict | None = None) -> tuple:
    """Return the values of generation ``keys``, creating those missing from ``found``
    (what a get_many already read; read here when None)."""
    if _down():
        raise Unavailable
    try:
        _make_up()
        if found is None:
            found = cache.get_many(keys)
        for key in keys:
            if found.get(key) is None:
                cache.add(key, fresh_generation(), timeout=None)
                found[key] = cache.get(key)
    except Exception as error:
        _failed(error, "rendering without it")
        raise Unavailable from error
    return tuple(found[key] for key in keys)


def generation() -> int:
    """Return the current content generation."""
    return generations((CONTENT,))[0]


def _incr(name: str) -> None:
    advance(generation_key(name))


def advance(key: str) -> None:
    """Move the counter under ``key`` on (a generation, or a stamp of one's own, such as
    a document's builds in rumo.downloads); raises when the cache does not answer."""
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): a fresh value invalidates
        cache.add(key, fresh_generation(), timeout=None)


def read_current(generation_keys: tuple, keys: list) -> tuple[tuple, dict]:
    """Return the current values of ``generation_keys`` (created when missing) and what
    the cache holds of ``keys``, in one round trip; Unavailable when it does not answer."""
    if _down():
        raise Unavailable
    try:
        _make_up()
        found = cache.get_many([*generation_keys, *keys])
    except Exception as error:
        _failed(error, "rendering without it")
        raise Unavailable from error
    return generations_of(generation_keys, found), found


def bump(name: str = CONTENT, **kwargs) -> None:
    """Move a generation on: every cached part that depends on it is rendered anew."""
    if not isinstance(name, str):  # called as a signal receiver or on_commit callback
        name = CONTENT
    if _down():
        _missed().add(name)
        return
    try:
        _make_up()
        _incr(name)
    except Exception as error:
        _missed().add(name)
        _failed(error, "cached pages may lag behind until it answers")


# ---- Watching the database's writes ----

WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)
TRUNCATE = re.compile(r"\s*TRUNCATE", re.IGNORECASE)
SET_COLUMNS = re.compile(r"\bSET\s+(.*?)(?:\bWHERE\b|$)", re.IGNORECASE | re.DOTALL)
COLUMN = re.compile(r'[`"]?(\w+)[`"]?\s*=')
# table name → the generations its writes move on (filled by connect()).
TABLES: dict[str, tuple[str, ...]] = {}


def written(sql: str) -> tuple[str, ...]:
    """Return the generations a statement moves on (none for a read)."""
    if not sql or sql.lstrip()[:1] not in "IUDTiudt":
        return ()
    match = WRITE.match(sql)
    if match is None:
        return tuple(TRACKED) if TRUNCATE.match(sql) else ()
    table = match.group(1)
    names = TABLES.get(table, ())
    if names and table in QUIET_COLUMNS and sql.lstrip()[:1] in "Uu":
        setting = SET_COLUMNS.search(sql)
        columns = set(COLUMN.findall(setting.group(1))) if setting else set()
        if columns and columns <= QUIET_COLUMNS[table]:
            return ()
    return names


def watch(execute, sql, params, many, context):
    """A database execute wrapper: bump the generations of the tables a write touched."""
    result = execute(sql, params, many, context)
    names = written(sql)
    if names and getattr(context.get("cursor"), "rowcount", -1) != 0:
        touched(context["connection"], names)
    return result


def touched(connection, names) -> None:
    """Bump now (the rest of the transaction sees its change) and once it commits
    (other requests may have cached the old rows meanwhile under the new value)."""
    for name in names:
        bump(name)
    if not connection.in_atomic_block:
        return
    # One callback per generation and transaction: the list of callbacks is
    # replaced at a commit or a rollback, so a new one means a new transaction.
    seen_in, seen = getattr(connection, "_page_cache_seen", (None, set()))
    if seen_in is not connection.run_on_commit:
        seen = set()
    new = [name for name in names if name not in seen]
    if new:
        seen.update(new)
        transaction.on_commit(lambda: [bump(name) for name in new], using=connection.alias)
    connection._page_cache_seen = (connection.run_on_commit, seen)


def install(connection, **kwargs) -> None:
    if watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch)


def connect() -> None:
    """Map the tracked tables and watch every database connection's writes."""
    from django.apps import apps
    from django.db import connections

    TABLES.clear()
    for name, labels in TRACKED.items():
        for label in labels:
            if "." in label:
                try:
                    models = [apps.get_model(label)]
                except LookupError:
                    continue
            else:
                try:
                    models = list(apps.get_app_config(label).get_models())
                except LookupError:
                    continue
            for model in models:
                if model._meta.label in UNTRACKED:
                    continue
                tables = [model._meta.db_table] + [
                    field.remote_field.through._meta.db_table
                    for field in model._meta.local_many_to_many
                ]
                for table in tables:
                    TABLES[table] = tuple(sorted({*TABLES.get(table, ()), name}))
    connection_created.connect(install, dispatch_uid="page-cache-watch")
    for connection in connections.all(initialized_only=True):
        install(connection)


# ---- The release: what a deploy changes ----


@functools.cache
def release() -> str:
    """Return a digest of the code, templates, translations, static files' manifest and
    the settings pages print.

    Part of every key: a deploy that changes a template, or the hashed name of
    a stylesheet, never serves a page rendered by the previous release.
    """
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    folders = {base / "templates", base / "locale"}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts:
            folders.add(path)
    digest = hashlib.sha256()
    # Settings pages print (addresses, static files, language and time zone).
    shown = ("SITE_URL", "STATIC_URL", "MEDIA_URL", "LANGUAGE_CODE", "TIME_ZONE", "DEBUG")
    digest.update(repr([getattr(settings, name, None) for name in shown]).encode())
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".mo"} and path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


# ---- Fragments ----


def key(*parts, current: int | None = None) -> str:
    """Return a cache key of the parts, the release and the current content generation
    (``current=False``: without it, for parts whose key holds all they show)."""
    current = generation() if current is None else current
    raw = ":".join(str(p) for p in (*parts, release(), "" if current is False else current))
    return "page:" + hashlib.sha1(raw.encode()).hexdigest()


def cached_many(entries: dict, build, timeout: int | None = None, *, complete=False) -> dict:
    """Return {name: value} for entries {name: parts}, building the missing ones with
    ``build(names)`` (which returns {name: value}); one round trip each way.

    ``complete``: the parts hold everything the values show (versions, texts,
    related names), so other writes need not renew them: no generation in the key.
    """
    try:
        if _down():
            raise Unavailable
        current = False if complete else generation()
        keys = {name: key(*parts, current=current) for name, parts in entries.items()}
        found = cache.get_many(list(keys.values()))
    except Exception as error:
        if not isinstance(error, Unavailable):
            _failed(error, "rendering without it")
        return build(list(entries))
    values = {name: found[k] for name, k in keys.items() if k in found}
    missing = [name for name in entries if name not in values]
    if missing:
        built = build(missing)
        values.update(built)
        try:
            cache.set_many({keys[name]: value for name, value in built.items()}, timeout)
        except Exception as error:
            _failed(error, "not stored")
    return values


def cached(parts: tuple, build, timeout: int | None = None, fresh=None):
    """Return the value cached under ``parts`` (and the generation), building it once
    (and again when ``fresh(value)`` says it has gone stale with time)."""
    try:
        name = key(*parts)
        value = cache.get(name)
    except Exception as error:
        if not isinstance(error, Unavailable):
            _failed(error, "rendering without it")
        return build()
    if value is None or fresh is not None and not fresh(value):
        value = build()
        try:
            cache.set(name, value, timeout)
        except Exception as error:
            _failed(error, "not stored")
    return value


def cached_current(parts: tuple, build, timeout: int | None = None, depends=(CONTENT,)):
    """Return the value cached under ``parts``, as ``cached`` does, in one round trip:
    the entry keeps the generations of ``depends`` it was built at and is read together
    with the current ones (a file served on every request: a plan's .docx)."""
    name = key(*parts, current=False)
    try:
        current, found = read_current(tuple(generation_key(n) for n in depends), [name])
    except Unavailable:
        return build()
    entry = found.get(name)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == current:
        return entry[1]
    value = build()  # the generations were read before: a write meanwhile renews it
    try:
        cache.set(name, (current, value), timeout)
    except Exception as error:
        _failed(error, "not stored")
    return value


# ---- Whole pages ----

PAGE_FORMAT = 3
# How long a page is kept at most: a visitor's page is shared by all visitors, a
# signed-in reader's is theirs alone (the expiry bounds the memory, never freshness).
PAGE_TIMEOUT = 60 * 60
READER_PAGE_TIMEOUT = 15 * 60
CSRF_SLOT = b"csrf-slot-8d41f7c2b9e05a63"
NONCE_SLOT = b"nonce-slot-3b7e19a0c4d2f8e6"
TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Headers a view sets that are stored with its page (the middleware adds the rest).
STORED_HEADERS = {"content-type", "content-language", "content-disposition", "x-robots-tag"}


def no_store(request, reason: str = "") -> None:
    """Tell ``whole_page`` not to keep this response: it shows something the key
    does not cover (a build in progress, a vote that closes at a time of day…)."""
    request._page_cache_no_store = reason or "no_store"


def checked_by(request, function, *args) -> None:
    """Tell ``whole_page`` that this response shows what ``function(*args)`` versions
    (a module-level function; picklable arguments and value): the page is served from
    the cache only while it returns the same. For what the generations do not count
    (e-mail delivery states) and only some readers see, so that the others pay nothing.
    """
    path = f"{function.__module__}.{function.__qualname__}"
    request.__dict__.setdefault("_page_cache_checks", []).append((path, args, function(*args)))


def checks_hold(checks) -> bool:
    return all(import_string(path)(*args) == value for path, args, value in checks)


def valid_until(request, moment) -> None:
    """Tell ``whole_page`` that this response is right only until ``moment`` (an aware
    datetime): a meeting starting moves from «upcoming» to «past»."""
    current = getattr(request, "_page_cache_until", None)
    if current is None or moment < current:
        request._page_cache_until = moment


def whole_page(
    view=None, *, params=(), timeout=PAGE_TIMEOUT, vary=None, depends=tuple(TRACKED), on_hit=None
):
    """Cache a view's whole 200 response to GET and HEAD, per user and content.

    The key holds the view, the URL (path and the query parameters in
    ``params``; a request with any other parameter is not cached), host and
    scheme, language, the reader (user pk, or anonymous), today's date, the
    generations in ``depends`` and what ``vary(request, *args, **kwargs)``
    returns; the view may add checks made on each hit (``checked_by``).
    The entry holds the generations it was rendered at and is read in the same
    round trip as the current ones, so a change shows on the next request.

    Not cached: other methods, htmx requests, a reader with messages waiting
    (they are shown, not lost), responses other than a plain 200 HTML page,
    responses that set cookies, queue messages or change the session, and
    those whose view called ``no_store``. On a hit nothing of the view runs:
    a view whose output depends on anything else must pass it in ``vary`` or
    call ``no_store`` / ``valid_until``. The CSRF token (the reader's cookie
    is set or renewed as Django does) and the CSP nonce are fresh each time;
    the ETag covers the stored page and the reader's CSRF secret. What the view
    must do on every request besides rendering (recording who viewed personal
    data) goes in ``on_hit(request, *args, **kwargs)``, called before a kept page
    is served.
    """
    if view is None:
        return lambda function: whole_page(
            function, params=params, timeout=timeout, vary=vary, depends=depends, on_hit=on_hit
        )
    name = f"{view.__module__}.{view.__qualname__}"
    allowed = frozenset(params)
    generation_keys = tuple(generation_key(n) for n in depends)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable_request(request, allowed):
            return view(request, *args, **kwargs)
        try:
            extra = vary(request, *args, **kwargs) if vary is not None else None
            entry_key, current, entry = lookup(request, name, extra, generation_keys)
        except Unavailable:
            return view(request, *args, **kwargs)
        if (
            entry is not None
            and entry[1] == current
            and still_valid(entry[2])
            and checks_hold(entry[3])
        ):
            if on_hit is not None:
                on_hit(request, *args, **kwargs)
            return from_entry(request, entry)
        response = view(request, *args, **kwargs)
        store(request, response, entry_key, generation_keys, current, timeout)
        if response.has_header("ETag") and response["ETag"] in if_none_match(request):
            return not_modified(response["ETag"])
        return response

    wrapper.whole_page = True
    return wrapper


def cacheable_request(request, allowed: frozenset) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_HX_REQUEST" in request.META:
        return False
    if any(name not in allowed for name in request.GET):
        return False
    from django.contrib.messages import get_messages

    # len() loads the waiting messages without marking them shown.
    return not len(get_messages(request))


def page_key(request, name: str, extra) -> str:
    user = request.user
    parts = [
        name,
        release(),
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        get_language(),
        f"user:{user.pk}" if user.is_authenticated else "anonymous",
        timezone.localdate().isoformat(),
    ]
    if extra is not None:
        parts.append(repr(extra))
    raw = "\x1f".join(str(part) for part in parts)
    return "whole:" + hashlib.sha256(raw.encode()).hexdigest()


def lookup(request, name: str, extra, generation_keys: tuple) -> tuple[str, tuple, tuple | None]:
    """Return the page's key, the current generations and its entry, in one round trip."""
    entry_key = page_key(request, name, extra)
    current, found = read_current(generation_keys, [entry_key])
    entry = found.get(entry_key)
    if not (isinstance(entry, tuple) and entry and entry[0] == PAGE_FORMAT):
        entry = None
    return entry_key, current, entry


def store(request, response, entry_key: str, generation_keys, current, timeout: int) -> None:
    """Keep the response with slots for the CSRF token and the nonce, when it may be."""
    if getattr(request, "_page_cache_no_store", None):
        return
    if callable(getattr(response, "render", None)) and not response.is_rendered:
        response.render()
    if (
        response.status_code != 200
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
        or response.cookies
        or response.has_header("Cache-Control")
        or getattr(request, "session", None) is not None
        and request.session.modified
        or queued_messages(request)
    ):
        return
    if request.user.is_authenticated:
        timeout = min(timeout, READER_PAGE_TIMEOUT)
    until = getattr(request, "_page_cache_until", None)
    if until is not None:
        timeout = min(timeout, int((until - timezone.now()).total_seconds()))
        if timeout <= 0:
            return
    body = response.content
    has_csrf = False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and request.META.get("CSRF_COOKIE"):
        body, has_csrf = without_tokens(body, request.META["CSRF_COOKIE"])
    nonce = get_nonce(request)
    has_nonce = bool(nonce)
    if has_nonce:
        body = body.replace(str(nonce).encode(), NONCE_SLOT)
    headers = [(k, v) for k, v in response.items() if k.lower() in STORED_HEADERS]
    etag = hashlib.sha256(body).hexdigest()[:24]
    checks = getattr(request, "_page_cache_checks", [])
    entry = (PAGE_FORMAT, current, until, checks, body, headers, etag, has_csrf, has_nonce)
    try:
        # Rendered at generations that have moved on: nobody will ask for it.
        if cache.get_many(generation_keys) != dict(zip(generation_keys, current, strict=True)):
            return
        cache.set(entry_key, entry, timeout)
    except Exception as error:
        _failed(error, "not stored")
        return
    validate(request, response, etag, has_csrf, has_nonce)


def still_valid(until) -> bool:
    return until is None or timezone.now() < until


def without_tokens(body: bytes, secret: str) -> tuple[bytes, bool]:
    """Replace every CSRF token of the reader's secret in the page with a slot."""
    candidates = set(TOKEN.findall(body))  # tokens, and perhaps a SHA-256 or two
    tokens = {token for token in candidates if _unmask_cipher_token(token.decode()) == secret}
    for token in tokens:
        body = body.replace(token, CSRF_SLOT)
    return body, bool(tokens)


def queued_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and getattr(storage, "_queued_messages", None))


def from_entry(request, entry: tuple) -> HttpResponse:
    _format, _current, _until, _checks, body, headers, etag, has_csrf, has_nonce = entry
    tag = etag_of(request, etag, has_csrf, has_nonce)
    if tag and tag in if_none_match(request):
        return not_modified(tag)
    if has_csrf:
        body = body.replace(CSRF_SLOT, get_token(request).encode())
    if has_nonce:
        body = body.replace(NONCE_SLOT, str(get_nonce(request)).encode())
    response = HttpResponse(body)
    for header, value in headers:
        response[header] = value
    if tag:
        response["ETag"] = tag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def not_modified(tag: str) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = tag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def etag_of(request, etag: str, has_csrf: bool, has_nonce: bool) -> str:
    """The page's ETag for this reader; none when its body holds a nonce (a kept
    page would not match the fresh nonce of a 304's policy)."""
    if has_nonce:
        return ""
    if has_csrf:
        secret = request.META.get("CSRF_COOKIE") or ""
        # A kept page's forms carry a token of the secret it was sent with.
        mac = salted_hmac("rumo.page_cache.etag", secret, algorithm="sha256")
        etag += "-" + mac.hexdigest()[:12]
    return f'W/"{etag}"'


def if_none_match(request) -> set[str]:
    raw = request.META.get("HTTP_IF_NONE_MATCH", "")
    return {part.strip() for part in raw.split(",") if part.strip()}


def validate(request, response, etag: str, has_csrf: bool, has_nonce: bool) -> None:
    tag = etag_of(request, etag, has_csrf, has_nonce)
    if tag:
        response["ETag"] = tag
    patch_cache_control(response, private=True, no_cache=True)


def deliveries_version(content_type_id: int, object_ids: tuple) -> tuple:
    """Return what changes whenever an e-mail about these objects changes, as shown in
    their deliveries: per state, how many, the newest, their attempts (each try and
    retry adds one), the latest send and due times. One plain query: it is made on
    every hit of a page that shows them."""
    from django.db import connection

    from .models import OutboxMessage

    if not object_ids:
        return ()
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    marks = ", ".join(["%s"] * len(object_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT state, COUNT(*), MAX(id), SUM(attempts), MAX(sent_at), MAX(due_at) "  # noqa: S608
            f"FROM {table} WHERE content_type_id = %s AND object_id IN ({marks}) "
            f"GROUP BY state ORDER BY state",
            [content_type_id, *object_ids],
        )
        return tuple(tuple(row) for row in cursor.fetchall())


def rows_version(rows) -> tuple:
    """``deliveries_version`` of any query of the outbox (slower to build: staff pages)."""
    from django.db.models import Count, Max, Sum

    found = (
        rows.order_by()
        .values_list("state")
        .annotate(Count("pk"), Max("pk"), Sum("attempts"), Max("sent_at"), Max("due_at"))
    )
    return tuple(sorted(found))
