"""Time the plan PDF: the seed plan and a plan ten times its size, in a warm process.

Run from the repository root: ``.venv/bin/python bench/plan_pdf.py``. The data goes
into a throwaway SQLite database under /tmp; nothing of the project's own is touched.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="rumo-bench-plan-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["DJANGO_SETTINGS_MODULE"] = "rumo.settings"
os.environ.setdefault("LOG_LEVEL", "WARNING")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402

from members import demo as members_demo  # noqa: E402
from plans import demo as plans_demo  # noqa: E402
from plans.models import Item, Revision  # noqa: E402
from plans.outline import load_revision  # noqa: E402
from plans.pdf import render_revision  # noqa: E402
from plans.services import create_plan  # noqa: E402
from rumo.pdf import signature_mark  # noqa: E402

RUNS = 5
MARK = signature_mark(
    register_number="Р-2024-0001",
    verify_url="http://127.0.0.1:8000/v/ABCDEFGH23/",
    signed=True,
    signer="Л.П.Рудакова",
    position="Председатель РУМО педагогических работников",
)


def enlarge(revision: Revision, factor: int) -> None:
    """Repeat every item of every section ``factor`` times (meeting rows keep their agenda)."""
    names = [f.attname for f in Item._meta.concrete_fields if not f.primary_key]
    copies = []
    for section in revision.sections.all():
        items = list(section.items.all())
        for round_ in range(1, factor):
            for item in items:
                fields = {name: getattr(item, name) for name in names}
                fields["position"] += round_ * len(items)
                copies.append(Item(**fields))
    Item.objects.bulk_create(copies)


def pages(data: bytes) -> int:
    return int(PdfFileReader(BytesIO(data)).root["/Pages"]["/Count"])


def measure(revision_id: int) -> tuple[float, int]:
    """Return the median seconds of loading and rendering the revision, and its pages."""
    render_revision(load_revision(revision_id), draft=False, mark=MARK)  # warm-up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        data = render_revision(load_revision(revision_id), draft=False, mark=MARK)
        times.append(time.perf_counter() - start)
    return statistics.median(times), pages(data)


def main() -> None:
    call_command("migrate", verbosity=0)
    associations = members_demo.load()
    seed = plans_demo.load(associations).revisions.get(number=1)
    big = create_plan(associations["library"], year=2030, by=None, copy_from=seed)
    big_revision = big.revisions.get()
    enlarge(big_revision, 10)
    for label, revision_id, goal in (
        ("seed plan", seed.pk, 1.0),
        ("10x plan", big_revision.pk, 10.0),
    ):
        seconds, count = measure(revision_id)
        verdict = "ok" if seconds < goal else f"SLOWER than the {goal:.0f} s goal"
        print(f"{label:<10} {seconds:6.3f} s  {count:3d} pages  (median of {RUNS}; {verdict})")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
