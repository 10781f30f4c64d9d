import os
import re
from pathlib import Path


def xdist_worker_redis_url(url: str, worker: int) -> str:
    """Return the Redis URL of pytest-xdist worker ``gw<worker>``: a database of its own.

    Worker 0 keeps the database of REDIS_URL (N), worker 1 takes N + 8 (modulo 16:
    the databases 1-6 and 15 of the people running tests side by side stay apart;
    N + 8 is also the production smoke check's, which never runs during pytest),
    further workers N + 8 + k. A worker's Celery queue must not be shared: a
    purge or a worker thread of the other process would take its messages.
    """
    match = re.fullmatch(r"(redis://[^/]*)(?:/(\d+))?", url)
    if not match or worker == 0:
        return url
    base = int(match.group(2) or 0)
    return f"{match.group(1)}/{(base + 8 + worker - 1) % 16}"


# pytest-xdist runs the suite in several processes (./run test without arguments):
# each has its own Redis database and var folder (pytest-django gives each its own
# test database, and tmp_path its own MEDIA_ROOT). Set before rumo.settings reads
# them, so that the settings derived from them follow.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw"):
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = xdist_worker_redis_url(os.environ["REDIS_URL"], int(_worker[2:]))
    _var = os.environ.get("RUMO_VAR_DIR") or str(Path(__file__).resolve().parent.parent / "var")
    os.environ["RUMO_VAR_DIR"] = str(Path(_var) / f"xdist-{_worker}")

from rumo.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run inline unless a test starts a real worker (tests/celery_support.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True
# Serve static files from the finders, as runserver does; no collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# A developer's own signing key under var/signing must not leak into tests;
# tests that sign create their own certificate.
RUMO_SIGNING_KEY_FILE = ""
RUMO_SIGNING_CERT_FILE = ""
# Each test starts with an empty cache of its own process (tests/conftest.py
# clears it), never one shared through Redis with other test runs.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
