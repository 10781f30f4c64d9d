"""Production smoke check: Rumo deployed as README.md says, checked over HTTP.

Into temporary folders and a fresh PostgreSQL database: ``collectstatic``
with the production storage, ``migrate``, ``load_demo``; then gunicorn with
``DJANGO_DEBUG=false`` on a free port and a Celery worker on its own Redis
database. Over HTTP: the home page, the login page, a static file under its
hashed name, and a document built by the worker. Everything is stopped and
the database dropped at the end, also on failure.

``./run test`` runs it; alone: ``.venv/bin/python -m tests.smoke.production``
with ``DATABASE_URL`` (PostgreSQL; the check creates ``<name>_smoke`` next to
it) and ``REDIS_URL`` (the check uses database number N + 8 modulo 16, or
``SMOKE_REDIS_URL``) set as ``./run test`` sets them.
"""

import http.cookiejar
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, closing
from pathlib import Path

import psycopg
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher

BASE_DIR = Path(__file__).resolve().parents[2]
# Set by the environment; removed from what the deployed processes see.
TEST_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_TEST_TEMPLATE", "CELERY_TASK_ALWAYS_EAGER")
DEMO_LOGIN = ("chair", "rumo-demo-2024")
# load_demo sets the passwords of its seven logins. Production never runs it, and
# with Django's 1.5 million PBKDF2 iterations that alone would take half a minute
# here: the check stores them with few iterations, which production verifies and
# upgrades at the first login, as after any change of the iteration count.
LOAD_DEMO = """
import django; django.setup()
from django.core.management import call_command
from django.test import override_settings
with override_settings(PASSWORD_HASHERS=["tests.smoke.production.DemoPasswordHasher"]):
    call_command("load_demo")
"""


class DemoPasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000


class SmokeFailure(Exception):
    pass


def say(message: str) -> None:
    print(f"smoke: {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smoke_redis_url(url: str) -> str:
    """Return the Redis URL of the check's own database number."""
    if os.environ.get("SMOKE_REDIS_URL"):
        return os.environ["SMOKE_REDIS_URL"]
    parts = urllib.parse.urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{(number + 8) % 16}"))


class Database:
    """A fresh PostgreSQL database next to the one DATABASE_URL names, dropped at the end."""

    def __init__(self, url: str, template: str):
        parts = urllib.parse.urlsplit(url)
        check(parts.scheme.startswith("postgres"), f"DATABASE_URL must be PostgreSQL: {url}")
        self.name = parts.path.strip("/") + "_smoke"
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))
        self.server = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self.template = template

    def execute(self, sql: str) -> None:
        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(sql)

    def __enter__(self):
        self.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        template = f' TEMPLATE "{self.template}"' if self.template else ""
        self.execute(f'CREATE DATABASE "{self.name}"{template}')
        return self

    def __exit__(self, *exc):
        self.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def production_env(folder: Path, database: Database, redis_url: str, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY and k != "EMAIL_HOST"}
    env.update(
        DJANGO_SETTINGS_MODULE="rumo.settings",
        DJANGO_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # No TLS here; in production it ends at a proxy or at gunicorn.
        SECURE_SSL_REDIRECT="false",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=database.url,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        RUMO_VAR_DIR=str(folder / "var"),
    )
    return env


class Processes:
    """Long-running children, each in its own process group, logs in files, all stopped at exit."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder, self.running = env, folder, []

    def run(self, name: str, *args: str) -> None:
        """Run a command to its end; fail with its output."""
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, *args], cwd=BASE_DIR, env=self.env, capture_output=True, text=True
        )
        check(result.returncode == 0, f"{name} failed:\n{result.stdout}\n{result.stderr}")
        say(f"{name}: {time.monotonic() - started:.1f} s")

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop_all)
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append((name, process, log))
        return process

    def wait(self, process: subprocess.Popen, name: str) -> None:
        check(process.wait() == 0, f"{name} failed:\n{self.log_tail(name)}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.folder / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop_all(self) -> None:
        for _, process, _ in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process, log in self.running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop_all()


class AnySchemeCookies(http.cookiejar.DefaultCookiePolicy):
    """Send cookies marked Secure over plain HTTP: production sets them, there is no TLS here."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """A tiny HTTP client that keeps cookies and answers with (status, headers, body)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar(policy=AnySchemeCookies())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def get(self, path: str, status: int = 200):
        got = self.request(path)
        check(got[0] == status, f"GET {path}: HTTP {got[0]}, expected {status}")
        return got

    def post_form(self, path: str, data: dict):
        """Submit a form with the CSRF token the page gave."""
        token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
        check(bool(token), f"no CSRF cookie before POST {path}")
        got = self.request(path, {**data, "csrfmiddlewaretoken": token})
        check(got[0] == 200, f"POST {path}: HTTP {got[0]}")
        return got

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")


def wait_until_up(browser: Browser, gunicorn: subprocess.Popen, processes: Processes) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        check(gunicorn.poll() is None, f"gunicorn stopped:\n{processes.log_tail('gunicorn')}")
        try:
            browser.request("/")
            return
        except OSError:
            time.sleep(0.2)
    raise SmokeFailure(f"gunicorn did not answer:\n{processes.log_tail('gunicorn')}")


def check_pages(browser: Browser, static_root: Path) -> None:
    """Check the home page, the login page and a static file under its hashed name."""
    from django.urls import reverse

    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    css = "/static/" + manifest["vendor/bootstrap/bootstrap.min.css"]
    _, _, home = browser.get(reverse("home"))
    check(css.encode() in home, f"the home page does not link {css}")
    _, _, login = browser.get(reverse("login"))
    check(b'name="csrfmiddlewaretoken"' in login, "the login page has no CSRF token")
    _, headers, body = browser.get(css)
    check(body.startswith(b"@charset"), f"{css} is not Bootstrap's stylesheet")
    check("immutable" in headers.get("Cache-Control", ""), f"{css} is not cached for ever")
    say("home page, login page, static file: ok")


def check_document(browser: Browser) -> None:
    """Sign in as the demo chair, have the worker build the draft plan's PDF, download it."""
    from django.urls import reverse

    from plans.models import Revision

    draft = Revision.objects.get(status=Revision.Status.DRAFT, plan__association__slug="library")
    username, password = DEMO_LOGIN
    browser.get(reverse("login"))
    browser.post_form(reverse("login"), {"username": username, "password": password})
    check(bool(browser.cookie("sessionid")), "the demo chair could not sign in")
    kind = {"pk": draft.pk, "kind": "draft"}
    browser.post_form(reverse("plans:pdf-request", kwargs=kind), {})
    download = reverse("plans:pdf-download", kwargs=kind)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        status, headers, body = browser.request(download)
        if status == 200:
            check(body.startswith(b"%PDF"), f"{download} is not a PDF")
            say(f"draft plan PDF built by the worker: {len(body)} bytes")
            return
        check(status == 404, f"GET {download}: HTTP {status}")
        time.sleep(0.5)
    _, _, state = browser.request(reverse("plans:pdf-status", kwargs=kind))
    raise SmokeFailure(f"the PDF was not built in time; its state:\n{state.decode()}")


def smoke(stack: ExitStack) -> None:
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rumo-smoke-")))
    database = stack.enter_context(
        Database(os.environ["DATABASE_URL"], os.environ.get("DATABASE_TEST_TEMPLATE", ""))
    )
    redis_url = smoke_redis_url(os.environ["REDIS_URL"])
    queue = redis.Redis.from_url(redis_url)
    queue.flushdb()
    stack.callback(queue.flushdb)
    port = free_port()
    env = production_env(folder, database, redis_url, port)
    os.environ.update(env)  # this process reads the same database through Django
    processes = stack.enter_context(Processes(env, folder))

    collect = processes.start("collectstatic", "manage.py", "collectstatic", "--no-input", "-v0")
    processes.run("migrate", "manage.py", "migrate", "--no-input", "-v0")
    processes.run("load_demo", "-c", LOAD_DEMO)
    processes.wait(collect, "collectstatic")
    say("collectstatic: done")
    gunicorn = processes.start(
        "gunicorn", "-m", "gunicorn", "rumo.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"
    )
    processes.start(
        "worker", "-m", "celery", "-A", "rumo", "worker", "--concurrency", "1",
        "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
    )  # fmt: skip
    browser = Browser(f"http://127.0.0.1:{port}")
    wait_until_up(browser, gunicorn, processes)

    import django

    django.setup()
    from django.db import connections

    stack.callback(connections.close_all)
    try:
        check_pages(browser, folder / "static")
        check_document(browser)
    except SmokeFailure:
        for name in ("gunicorn", "worker"):
            print(f"--- {name} log ---\n{processes.log_tail(name)}", file=sys.stderr)
        raise


def stop_on_sigterm(signum, frame):
    raise SystemExit(143)


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    started = time.monotonic()
    try:
        with ExitStack() as stack:
            smoke(stack)
    except SmokeFailure as failure:
        print(f"smoke: FAILED: {failure}", file=sys.stderr)
        return 1
    say(f"production smoke check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
