"""Rumo's benchmark: production settings, real processes, ratios to a trivial endpoint.

    .venv/bin/python bench/run.py            # the full run (about 8 minutes)
    .venv/bin/python bench/run.py --quick    # under 3 minutes, rougher figures

Needs PostgreSQL and Redis (``./run test`` starts both) and ``wrk``
(installed with ``apt-get install wrk`` when missing). Into a temporary folder and its own database
(``<name>_run`` next to BENCH_DATABASE_URL / TEST_DATABASE_URL / DATABASE_URL,
dropped at the end) it runs ``collectstatic`` with the production storage,
``migrate`` and ``load_demo``, then gunicorn with 2 workers and a Celery worker
with ``DJANGO_DEBUG=false``. Every page of bench/pages.py is loaded with
``wrk`` at concurrency 2, each right after /healthz (the same middleware, no
database), first on the demo data (1×), then after bench/bigdata.py grew it
tenfold. Then the signed plan PDF build against a bare WeasyPrint render (CPU
time, in this process) and the reminder fan-out (bench/reminders.py). Prints
every figure next to its target and writes bench/RESULTS.md.
"""

import argparse
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack, suppress
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import PAGES, TARGETS, Demo  # noqa: E402
from tests.smoke.production import (  # noqa: E402
    LOAD_DEMO,
    Browser,
    Database,
    Processes,
    free_port,
    production_env,
    wait_until_up,
)

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""
DEMO_PASSWORD = "rumo-demo-2024"
STATIC_FILE = "vendor/bootstrap/bootstrap.min.css"
TARGET_10X = {"p95": 1.5}
TARGET_PDF = 1.2
TARGET_DOWNLOAD = 3.0
TARGET_REMINDERS = 100.0


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


class BenchDatabase(Database):
    """The bench's own PostgreSQL database ``<name>_run``, dropped at the end."""

    def __init__(self, url: str, template: str):
        super().__init__(url, template)
        parts = urllib.parse.urlsplit(url)
        self.name = parts.path.strip("/") + "_run"
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))


class Wrk:
    def __init__(self, folder: Path, base: str, seconds: float):
        self.script = folder / "result.lua"
        self.script.write_text(WRK_SCRIPT)
        self.base, self.seconds = base, seconds

    def measure(self, path: str, headers: dict | None = None) -> dict:
        command = ["wrk", "-t1", "-c2", f"-d{self.seconds}s", "-s", str(self.script)]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(
            [*command, self.base + path], capture_output=True, text=True, check=True
        ).stdout
        found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", output)
        requests, duration, p50, p95, bad_status, failed = map(int, found.groups())
        return {
            "p50": p50 / 1000,
            "p95": p95 / 1000,
            "rps": requests / (duration / 1e6),
            "requests": requests,
            "errors": bad_status + failed,
        }


def login(base: str, username: str) -> dict:
    """Sign in through the login form; return the Cookie header of the session."""
    browser = Browser(base)
    browser.get("/accounts/login/")
    browser.post_form("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    session = browser.cookie("sessionid")
    assert session, f"{username} could not sign in"
    return {"Cookie": f"sessionid={session}; csrftoken={browser.cookie('csrftoken')}"}


def head(base: str, path: str, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def cpu_idle_share(seconds: float = 1.0) -> float:
    """Return the share of the machine's CPU time that was idle over ``seconds``."""

    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, total

    idle0, total0 = sample()
    time.sleep(seconds)
    idle1, total1 = sample()
    return (idle1 - idle0) / max(total1 - total0, 1)


def settle(limit: float = 180) -> str:
    """After growing the data, wait until what it set off is done before timing pages.

    A grown database is analysed (as autovacuum would, in the middle of the timed
    runs), and the worker drains what the new rows queued (document builds,
    e-mails); then the machine must be mostly idle (≥ 80 % over a second), so the
    10× figures measure the pages, not the aftermath of the bulk insert.
    """
    from django.db import connection
    from django.utils import timezone

    from rumo.models import DocumentBuild, OutboxMessage

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    busy = DocumentBuild.objects.filter(
        state__in=[DocumentBuild.State.QUEUED, DocumentBuild.State.BUILDING]
    )

    def pending():
        due = OutboxMessage.objects.filter(due_at__lte=timezone.now())
        return due.filter(state=OutboxMessage.State.PENDING)

    idle = 0.0
    while time.monotonic() - started < limit:
        if not busy.exists() and not pending().exists():
            idle = cpu_idle_share()
            if idle >= 0.8:
                break
        else:
            time.sleep(1)
    left = f"{busy.count()} builds and {pending().count()} e-mails left, " if idle < 0.8 else ""
    return f"{left}CPU {idle:.0%} idle after {time.monotonic() - started:.0f} s"


def count_queries(path: str, username: str | None) -> int:
    """Return the queries of a warm request (the second one) through Django's test client."""
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    client.get(path)
    reset_queries()  # the log keeps the last request's queries in DEBUG
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    if response.streaming:  # read to the end: the client then closes the file
        b"".join(response.streaming_content)
    return len(queries)


def measure_pages(wrk: Wrk, paths: dict, sessions: dict, rounds: int) -> dict:
    """Each page right after /healthz, ``rounds`` times; return ratios per page."""
    results = {}
    for page in PAGES:
        headers = sessions.get(page.login, {})
        samples = []
        for _ in range(rounds):
            trivial = wrk.measure("/healthz", headers)
            measured = wrk.measure(paths[page.label], headers)
            samples.append((trivial, measured))
        page_p50 = statistics.median(m["p50"] for _, m in samples)
        page_p95 = statistics.median(m["p95"] for _, m in samples)
        results[page.label] = {
            "p50": page_p50,
            "p95": page_p95,
            "rps": statistics.median(m["rps"] for _, m in samples),
            "p95x": statistics.median(m["p95"] / t["p95"] for t, m in samples),
            "rpsx": statistics.median(m["rps"] / t["rps"] for t, m in samples),
            "trivial_p95": statistics.median(t["p95"] for t, _ in samples),
            "errors": sum(m["errors"] for _, m in samples),
        }
        r = results[page.label]
        say(f"  {page.label:<28} p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  "
            f"{r['rps']:7.1f}/s  p95 ×{r['p95x']:.1f}  rps ×{r['rpsx']:.3f}  "
            f"errors {r['errors']}")  # fmt: skip
    return results


def measure_download(wrk: Wrk, base: str, path: str, rounds: int) -> dict:
    """A repeated download of an unchanged document (304 expected) and its 200 ÷ a static file."""
    import json

    status, headers = head(base, path)
    conditional = {}
    if headers.get("ETag"):
        conditional["If-None-Match"] = headers["ETag"]
    if headers.get("Last-Modified"):
        conditional["If-Modified-Since"] = headers["Last-Modified"]
    repeat_status = head(base, path, conditional)[0] if conditional else status
    manifest = json.loads((Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").read_text())
    static = "/static/" + manifest["paths"][STATIC_FILE]
    ratios = []
    for _ in range(rounds):
        static_run = wrk.measure(static)
        document_run = wrk.measure(path)
        ratios.append(document_run["p95"] / static_run["p95"])
    return {
        "first": status,
        "repeat": repeat_status,
        "validators": ", ".join(conditional) or "none",
        "ratio": statistics.median(ratios),
    }


def measure_pdf(runs: int) -> dict:
    """CPU time of the signed plan PDF build ÷ a bare WeasyPrint render of the same HTML.

    Both warm (two untimed runs each: the signer, the templates, the fonts), timed
    in turns (build, bare, build, bare, …) so that another process's load falls on
    both alike, each after a full garbage collection: otherwise a collection of the
    earlier runs' garbage (~90 ms) lands on whichever run crosses the threshold.
    Medians of ``runs`` each.
    """
    import gc

    from django.db import transaction
    from weasyprint import HTML

    from plans import pdf as plan_pdf
    from plans.outline import load_revision
    from rumo import pipeline
    from rumo.pdf import render_html

    revision_id = Demo().approved_revision().pk
    html = {}
    original = pipeline.render_pdf
    builds = iter(range(1_000_000))

    def capture(template, context):
        html["text"] = render_html(template, context)
        return original(template, context)

    def signed_build():
        # What the worker does for the signed plan: render, register, sign, store.
        # A fresh content version each time, so the register never answers "unchanged".
        with transaction.atomic():
            version = f"bench-{next(builds)}"
            document = pipeline.issue(plan_pdf.SIGNED, load_revision(revision_id), version)
            document.file.storage.delete(document.file.name)
            transaction.set_rollback(True)

    pipeline.render_pdf = capture
    try:
        signed_build()
    finally:
        pipeline.render_pdf = original

    def bare():
        HTML(string=html["text"], base_url=os.environ["SITE_URL"] + "/").write_pdf()

    def cpu(function) -> float:
        gc.collect()
        started = time.process_time()
        function()
        return time.process_time() - started

    for _ in range(2):
        signed_build()
        bare()
    times = {"signed": [], "bare": []}
    for _ in range(runs):
        times["signed"].append(cpu(signed_build))
        times["bare"].append(cpu(bare))
    signed, plain = statistics.median(times["signed"]), statistics.median(times["bare"])
    pairs = sorted(s / b for s, b in zip(times["signed"], times["bare"], strict=True))
    return {"signed": signed, "bare": plain, "ratio": signed / plain,
            "pairs": f"{pairs[0]:.2f}–{pairs[-1]:.2f}"}  # fmt: skip


def measure_reminders(recipients: int, database_url: str, redis_url: str) -> dict:
    name = urllib.parse.urlsplit(database_url).path.strip("/") + "_reminders"
    env = {**os.environ, "BENCH_DB_NAME": name, "BENCH_REDIS_URL": redis_url,
           "BENCH_MEMBERS": str(recipients)}  # fmt: skip
    for key in ("DATABASE_URL", "DJANGO_DEBUG", "STATIC_ROOT", "SECRET_KEY"):
        env.pop(key, None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench/reminders.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    found = re.search(r"RESULT received=(\d+) distinct=(\d+) twice=(\d+) elapsed=([\d.]+)",
                      result.stdout)  # fmt: skip
    if not found:
        say(f"reminders failed:\n{result.stdout}\n{result.stderr[-3000:]}")
        return {"rate": 0.0, "twice": -1, "received": 0, "recipients": recipients}
    received, distinct, twice, elapsed = found.groups()
    return {"rate": int(received) / float(elapsed), "twice": int(twice),
            "received": int(received), "recipients": recipients}  # fmt: skip


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def report(results: dict, args) -> str:
    """Return RESULTS.md's figures section; print as it goes."""
    lines = []
    meta = results["meta"]
    lines += [
        f"Run: {meta['date']}, commit {meta['commit']}, {meta['machine']}, "
        f"{'--quick' if args.quick else 'full'} ({args.seconds} s per wrk run, "
        f"{args.rounds} round(s)); trivial endpoint /healthz p95 at 1×: "
        f"{meta['trivial_p95']:.1f} ms.",
        "",
        "| page | group | p50 ms | p95 ms | req/s | p95 ÷ trivial | req/s ÷ trivial "
        "| queries 1× → 10× | p95 10× ÷ 1× | target | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for page in PAGES:
        one, ten = results["1x"][page.label], results["10x"][page.label]
        target = TARGETS[page.group]
        q1, q10 = results["queries"]["1x"][page.label], results["queries"]["10x"][page.label]
        growth = ten["p95"] / one["p95"]
        checks = [one["p95x"] <= target["p95"], ten["p95x"] <= target["p95"], q10 <= q1,
                  growth <= TARGET_10X["p95"], one["errors"] + ten["errors"] == 0]  # fmt: skip
        wanted = f"p95 ≤ {target['p95']:g}×"
        if "rps" in target:
            checks.append(min(one["rpsx"], ten["rpsx"]) >= target["rps"])
            wanted += f", req/s ≥ {target['rps']:g}×"
        wanted += ", same queries, 10× ≤ 1.5×"
        lines.append(
            f"| {page.label} | {page.group} | {one['p50']:.1f} / {ten['p50']:.1f} "
            f"| {one['p95']:.1f} / {ten['p95']:.1f} | {one['rps']:.0f} / {ten['rps']:.0f} "
            f"| {one['p95x']:.1f} / {ten['p95x']:.1f} | {one['rpsx']:.3f} / {ten['rpsx']:.3f} "
            f"| {q1} → {q10} | {growth:.2f} | {wanted} | {verdict(all(checks))} |"
        )
    lines.append("")
    lines.append("Cells with two figures: 1× / 10×.")
    lines.append("")
    pdf = results["pdf"]
    dl = results["download"]
    rem = results["reminders"]
    lines += [
        "| what | measured | target | verdict |",
        "|---|---|---|---|",
        f"| signed plan PDF build ÷ bare WeasyPrint (CPU, median of {args.pdf_runs}) "
        f"| {pdf['signed'] * 1000:.0f} ms ÷ {pdf['bare'] * 1000:.0f} ms = {pdf['ratio']:.2f} "
        f"| ≤ {TARGET_PDF} | {verdict(pdf['ratio'] <= TARGET_PDF)} |",
        f"| repeated download of an unchanged document | HTTP {dl['first']}, then "
        f"{dl['repeat']} (validators: {dl['validators']}) | 304 | {verdict(dl['repeat'] == 304)} |",
        f"| document 200 p95 ÷ static file p95 | {dl['ratio']:.2f} | ≤ {TARGET_DOWNLOAD} "
        f"| {verdict(dl['ratio'] <= TARGET_DOWNLOAD)} |",
        f"| reminder fan-out, {rem['recipients']} recipients, 2 processes "
        f"| {rem['rate']:.0f} e-mails/s, {rem['received']} received, {rem['twice']} duplicates "
        f"| ≥ {TARGET_REMINDERS:g}/s, 0 duplicates "
        f"| {verdict(rem['rate'] >= TARGET_REMINDERS and rem['twice'] == 0)} |",
    ]  # fmt: skip
    return "\n".join(lines)


def report_pages(results: dict, args) -> str:
    """Return the figures of a partial run (--only, --scale): pages only, not written."""
    lines = [f"trivial endpoint /healthz p95: {results['meta']['trivial_p95']:.1f} ms", ""]
    lines.append(
        "| page | scale | p50 ms | p95 ms | req/s | p95 ÷ trivial | req/s ÷ trivial | queries |"
    )
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for page in PAGES:
        for scale in args.scales:
            r = results[scale][page.label]
            lines.append(
                f"| {page.label} | {scale} | {r['p50']:.1f} | {r['p95']:.1f} | {r['rps']:.0f} "
                f"| {r['p95x']:.1f} | {r['rpsx']:.3f} | {results['queries'][scale][page.label]} |"
            )
    return "\n".join(lines)


def machine() -> str:
    cpu = ""
    with suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores {cpu}, load average {load} at the start, "
            f"Python {platform.python_version()}")  # fmt: skip


def bench(stack: ExitStack, args) -> dict:
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rumo-bench-")))
    base_url = (
        os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("TEST_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or "postgres://postgres@127.0.0.1:5432/rumo_bench"
    )
    redis_url = (
        os.environ.get("BENCH_REDIS_URL")
        or os.environ.get("TEST_REDIS_URL")
        or "redis://127.0.0.1:6379/12"
    )
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    stack.callback(lambda: redis.Redis.from_url(redis_url).flushdb())
    template = os.environ.get("BENCH_TEMPLATE", "rumo_tmpl_ru")
    database = stack.enter_context(BenchDatabase(base_url, template))
    port = free_port()
    env = production_env(folder, database, redis_url, port)
    env["LOG_LEVEL"] = "WARNING"
    os.environ.update(env)
    for key in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER", "EMAIL_HOST"):
        os.environ.pop(key, None)
    processes = stack.enter_context(Processes(env, folder))
    started = time.monotonic()
    collect = processes.start("collectstatic", "manage.py", "collectstatic", "--no-input", "-v0")
    processes.run("migrate", "manage.py", "migrate", "--no-input", "-v0")
    processes.run("certificate", "manage.py", "create_signing_certificate", "--org", "Rumo (замер)")
    processes.run("load_demo", "-c", LOAD_DEMO)
    processes.wait(collect, "collectstatic")
    say(f"setup: {time.monotonic() - started:.0f} s")
    gunicorn = processes.start(
        "gunicorn", "-m", "gunicorn", "rumo.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"
    )
    processes.start(
        "worker", "-m", "celery", "-A", "rumo", "worker", "--concurrency", "2",
        "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_until_up(Browser(base), gunicorn, processes)

    import django

    django.setup()
    from django.db import connections

    stack.callback(connections.close_all)
    from rumo.models import DocumentBuild

    demo = Demo()
    deadline = time.monotonic() + 120
    while not DocumentBuild.objects.filter(
        kind="plans.signed", object_id=demo.approved_revision().pk, state=DocumentBuild.State.DONE
    ).exists():
        assert time.monotonic() < deadline, processes.log_tail("worker")
        time.sleep(0.5)
    paths = {page.label: page.path(demo) for page in PAGES}
    logins = {page.login for page in PAGES if page.login}
    sessions = {None: {}} | {username: login(base, username) for username in sorted(logins)}

    def warm() -> None:
        # Every page answers 200 before it is timed, and is timed warm at each scale
        # (growing the data moves every cache generation: the first request renders).
        for page in PAGES:
            status, _ = head(base, paths[page.label], sessions[page.login])
            assert status == 200, f"{page.label}: {paths[page.label]} gave HTTP {status}"

    say(f"settled after the demo's own work: {settle()}")
    warm()
    wrk = Wrk(folder, base, args.seconds)
    results = {"meta": {}, "queries": {}}
    for scale in args.scales:
        if scale == "10x":
            from bench.bigdata import grow

            grown_at = time.monotonic()
            say(f"10× data: {grow()} in {time.monotonic() - grown_at:.0f} s")
            say(f"settled after growing: {settle()}")
            warm()
        results["queries"][scale] = {p.label: count_queries(paths[p.label], p.login) for p in PAGES}
        say(f"pages at {scale} (each after /healthz, wrk -c2, {args.seconds} s):")
        results[scale] = measure_pages(wrk, paths, sessions, args.rounds)
    results["meta"]["trivial_p95"] = statistics.median(
        r["trivial_p95"] for r in results[args.scales[0]].values()
    )
    if args.partial:
        return results
    download_path = paths["signed document download"]
    results["download"] = measure_download(wrk, base, download_path, args.rounds)
    say(f"download: {results['download']}")
    results["pdf"] = measure_pdf(args.pdf_runs)
    say(f"pdf: {results['pdf']}")
    results["urls"] = (base_url, redis_url)
    return results


def ensure_wrk() -> None:
    """Install wrk from the Debian packages when it is missing (as ./run installs its own)."""
    if shutil.which("wrk"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("wrk is missing: apt-get install wrk", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env)
    if not shutil.which("wrk"):
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)


def main() -> int:
    ensure_wrk()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs, under 3 minutes")
    parser.add_argument("--output", default=None, help="default bench/RESULTS.md (not with --only)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="measure only the pages whose label holds TEXT (repeatable); with it or --scale the "
        "PDF, download and reminder figures are skipped and RESULTS.md is not written",
    )
    parser.add_argument("--scale", choices=["1x", "10x", "both"], default="both")
    args = parser.parse_args()
    if args.only:
        PAGES[:] = [p for p in PAGES if any(t.lower() in p.label.lower() for t in args.only)]
        if not PAGES:
            parser.error("no page label holds " + ", ".join(args.only))
    args.scales = ("1x", "10x") if args.scale == "both" else (args.scale,)
    args.partial = bool(args.only) or args.scale != "both"
    args.seconds = 1 if args.quick else 4
    args.rounds = 1 if args.quick else 2
    args.pdf_runs = 9 if args.quick else 15
    args.recipients = 500 if args.quick else 2000
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    meta = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
            "machine": machine()}  # fmt: skip
    started = time.monotonic()
    with ExitStack() as stack:
        results = bench(stack, args)
    # After the pages' gunicorn and worker are stopped: a worker left on the same
    # Redis database would take the sweep's tasks and find none of its rows.
    results["meta"].update(meta)
    if args.partial:
        print(report_pages(results, args))
        say(f"done in {time.monotonic() - started:.0f} s")
        return 0
    results["reminders"] = measure_reminders(args.recipients, *results["urls"])
    say(f"reminders: {results['reminders']}")
    figures = report(results, args)
    print(figures)
    say(f"done in {time.monotonic() - started:.0f} s")
    write_results(Path(args.output or ROOT / "bench/RESULTS.md"), figures)
    return 0


def write_results(path: Path, figures: str) -> None:
    """Replace the figures between the markers of RESULTS.md, keep the notes around them."""
    begin, end = "<!-- figures: bench/run.py -->", "<!-- end of figures -->"
    text = path.read_text() if path.exists() else f"# Benchmark results\n\n{begin}\n{end}\n"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    before, rest = text.split(begin, 1)
    after = rest.split(end, 1)[1] if end in rest else ""
    path.write_text(f"{before}{begin}\n{figures}\n{end}{after}")


if __name__ == "__main__":
    sys.exit(main())
