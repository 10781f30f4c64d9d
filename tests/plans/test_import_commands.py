"""import_plan, export_plan_docx and export_plan_pdf --id from the command line."""

from dataclasses import asdict
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from plans.docx_import import read_docx
from plans.models import Plan, Revision
from plans.services.importing import spec_of
from tests.plans import docx_fixtures as fx

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def test_dry_run_prints_the_structure_and_saves_nothing(tmp_path, library):
    path = tmp_path / "summer.docx"
    path.write_bytes(fx.summer_session_docx())

    lines = run("import_plan", str(path), "--association", library.slug, "--dry-run")

    assert any("03.06.2024 – 04.06.2024" in line for line in lines)
    assert any("Форма проведения" in line for line in lines)
    assert lines[-1] == "Пробный запуск: ничего не сохранено."
    assert not Plan.objects.exists()


def test_import_prints_the_draft_address_last_and_exports_by_id(tmp_path, library):
    path = tmp_path / "meetings.docx"
    path.write_bytes(fx.meetings_by_month_docx())

    lines = run("import_plan", str(path), "--association", library.slug)

    revision = Revision.objects.get()
    assert lines[-1] == settings.SITE_URL.rstrip("/") + revision.get_absolute_url()
    assert revision.status == Revision.Status.DRAFT

    docx = tmp_path / "out.docx"
    run("export_plan_docx", "--id", str(revision.plan.pk), "-o", str(docx))
    again = read_docx(docx.read_bytes())
    assert asdict(again) == asdict(spec_of(revision)) | {"warnings": again.warnings}

    pdf = tmp_path / "out.pdf"
    run("export_plan_pdf", "--id", str(revision.plan.pk), "--draft", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_import_reads_text_files_too(tmp_path, library):
    path = tmp_path / "plan.txt"
    path.write_text("ПЛАН РАБОТЫ\nна 2026 год\n\nI. Задачи:\n1. Первая.\n2. Вторая.\n")

    lines = run("import_plan", str(path), "--association", library.slug)

    assert lines[-1].startswith(settings.SITE_URL.rstrip("/"))
    spec = spec_of(Revision.objects.get())
    assert [r.cells["text"] for r in spec.sections[0].rows] == ["Первая.", "Вторая."]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--association", "nobody"], "не найдено"),
        (["--association", "library"], "не документ Word"),
    ],
)
def test_bad_input_is_a_command_error(tmp_path, library, args, message):
    path = tmp_path / "fake.docx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")

    with pytest.raises(CommandError, match=message):
        run("import_plan", str(path), *args)


def test_export_needs_a_plan(tmp_path):
    with pytest.raises(CommandError):
        run("export_plan_docx", "-o", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="нет"):
        run("export_plan_docx", "--id", "999999", "-o", str(tmp_path / "x.docx"))
