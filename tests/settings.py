from rumo.settings import *  # noqa: F403

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
