"""The plan's PDF: the seed reproduced line by line, drafts, failures and the signed copy."""

import re
import subprocess
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from meetings.models import month_name
from plans import demo, services
from plans.models import Item, Revision, Section
from rumo import pipeline
from rumo.documents import verify_url
from rumo.models import DocumentBuild, IssuedDocument
from rumo.signing import validate_pdf
from tests.documents import file_bytes, plan_pdf
from tests.rumo import create_certificate, qr_codes, use_certificate, word_boxes
from tests.rumo import pdf_text as reading_text

pytestmark = pytest.mark.django_db
State = DocumentBuild.State


def squash(text: str) -> str:
    """Drop whitespace and automatic hyphens: table cells and lines wrap anywhere."""
    return re.sub(r"\s+", "", text.replace("\u2010\n", "").replace("\u2010", ""))


def pdf_text(data: bytes, *, page: int | None = None) -> str:
    """Return the PDF's text in drawing order, so every table cell stays in one piece."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", *pages, "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def page_count(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    return int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))


def build(revision: Revision, *, draft: bool, capture) -> DocumentBuild:
    """Request the PDF as the page does; the queued task runs inline after the commit."""
    with capture(execute=True) as queued:
        row = services.request_pdf(revision, draft=draft)
    if not queued:  # already queued (load_demo queues the seed's): the worker picks it up
        pipeline.build(row.pk)
    return plan_pdf(revision, draft=draft)


@pytest.fixture
def seed():
    """The seed's 2024 plan of the library association, approved."""
    call_command("load_demo", stdout=StringIO())
    return Revision.objects.get(plan__association__slug="library", plan__year=2024)


@pytest.fixture
def seed_pdf(seed, django_capture_on_commit_callbacks):
    pdf = build(seed, draft=False, capture=django_capture_on_commit_callbacks)
    assert pdf.state == State.DONE, pdf.error
    return file_bytes(pdf)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return create_certificate(tmp_path_factory.mktemp("signing"))


def seed_lines(revision: Revision) -> list[str]:
    """Return every line the seed document shows, from the demo data it was loaded from."""
    lines = [*revision.title_lines, f"{revision.place}, {revision.plan.year}"]
    for stamp in revision.stamps.all():
        lines += [stamp.get_kind_display(), f"_____ {stamp.person_name}", *stamp.position_lines]
    lines += [f"{n}. {text}" for n, text in enumerate(demo.PRIORITIES, start=1)]
    lines += [f"{n}. {text}" for n, text in enumerate(demo.TASKS, start=1)]
    for n, (text, timing, responsible, _contest) in enumerate(demo.EVENTS, start=1):
        lines += [f"{n}. {text}", f"{timing} {responsible}"]
    for n, (month, place, responsible, agenda) in enumerate(demo.MEETINGS, start=1):
        numbered = " ".join(f"{i}. {title}" for i, title in enumerate(agenda, start=1))
        when = " ".join(filter(None, [f"{month_name(month)}, 2024 г.", place]))
        lines += [f"{n}. Заседание № {n}. {numbered}", f"{when} {responsible}"]
    lines += [f"{n}. {text} {timing}" for n, (text, timing) in enumerate(demo.ORGWORK, start=1)]
    lines.append(f"{revision.signature_position} {revision.signature_name}")
    return lines


def test_seed_plan_pdf_shows_every_line_of_the_seed(seed, seed_pdf):
    text = squash(pdf_text(seed_pdf))

    missing = [line for line in seed_lines(seed) if squash(line) not in text]

    assert missing == []
    assert squash("« 22 » января 2024 года") in text
    assert squash("« 25 » января 2024 года") in text


def test_seed_sections_have_roman_numerals_and_meetings_continue_the_events_table(seed, seed_pdf):
    text = squash(pdf_text(seed_pdf))
    titles = [section.title for section in seed.sections.all()]

    numerals = {}
    for title in titles:
        found = re.findall(rf"(?<![IVX])([IVX]+)\.{re.escape(squash(title))}", text)
        numerals[title] = found
        assert text.count(squash(title)) == 1
    assert list(numerals.values()) == [["I"], ["II"], ["III"], [], ["IV"]]


def test_events_are_numbered_one_to_four_without_the_seeds_second_four(seed_pdf):
    text = squash(pdf_text(seed_pdf))

    for number, (event, *_rest) in enumerate(demo.EVENTS, start=1):
        assert text.count(squash(event)) == 1
        assert squash(f"{number}. {event}") in text
    assert squash(f"4. {demo.EVENTS[2][0]}") not in text


def test_table_header_is_repeated_on_every_page_the_table_reaches(seed_pdf):
    rows = [event for event, *_rest in demo.EVENTS] + [
        agenda[0] for *_rest, agenda in demo.MEETINGS
    ]
    pages_with_rows = [
        page
        for page in range(1, page_count(seed_pdf) + 1)
        if any(squash(row) in squash(pdf_text(seed_pdf, page=page)) for row in rows)
    ]

    assert len(pages_with_rows) >= 2
    for page in pages_with_rows:
        assert squash("Сроки и место проведения") in squash(pdf_text(seed_pdf, page=page))


def test_draft_pdf_is_marked_as_a_project_and_the_signed_one_is_not(
    seed, seed_pdf, django_capture_on_commit_callbacks
):
    draft = build(seed, draft=True, capture=django_capture_on_commit_callbacks)

    assert draft.state == State.DONE
    assert "ПРОЕКТ" in squash(pdf_text(file_bytes(draft)))
    assert "ПРОЕКТ" not in squash(pdf_text(seed_pdf))
    assert draft.register_number == ""
    assert not IssuedDocument.objects.filter(file=draft.stored_file.name).exists()


def test_unsigned_stamp_shows_blank_date_lines_of_the_plan_year(
    draft, django_capture_on_commit_callbacks
):
    pdf = build(draft, draft=True, capture=django_capture_on_commit_callbacks)

    assert pdf_text(file_bytes(pdf)).count("« ____ » _____ 2025 года") == 2


def test_markup_in_the_text_is_printed_literally(draft, chair, django_capture_on_commit_callbacks):
    item = Item.objects.get(section__revision=draft, section__kind=Section.Kind.NUMBERED)
    services.update_item(
        item, by=chair, version=item.version, text="<script>alert(1)</script> & <b>жирный</b>"
    )

    pdf = build(draft, draft=True, capture=django_capture_on_commit_callbacks)

    assert "1. <script>alert(1)</script> & <b>жирный</b>" in pdf_text(file_bytes(pdf))


def test_long_unbreakable_token_stays_within_the_page(
    draft, chair, django_capture_on_commit_callbacks
):
    token = "https://example.org/" + "z" * 55  # 75 characters with no place to break
    item = Item.objects.get(section__revision=draft, section__kind=Section.Kind.EVENTS)
    services.update_item(item, by=chair, version=item.version, text=f"Материалы: {token}",
                         responsible=token)  # fmt: skip

    data = file_bytes(build(draft, draft=True, capture=django_capture_on_commit_callbacks))

    right_margin = (210 - 12) * 72 / 25.4
    words = [w for page in range(1, page_count(data) + 1) for w in word_boxes(data, page)]
    assert max(w["xMax"] for w in words) <= right_margin + 1
    assert sum(w["text"].count("z") for w in words) == 110  # both tokens printed whole


def test_responsible_members_are_named_when_no_text_is_given(
    draft, chair, council, django_capture_on_commit_callbacks
):
    events = draft.sections.get(kind=Section.Kind.EVENTS)
    services.add_item(events, by=chair, text="Семинар.", responsible_members=[chair, council])

    pdf = build(draft, draft=True, capture=django_capture_on_commit_callbacks)

    assert squash("2. Семинар. М.А. Иванова, С.Н. Лоскутова") in squash(pdf_text(file_bytes(pdf)))


def test_an_unchanged_draft_is_not_rebuilt(draft, django_capture_on_commit_callbacks):
    first = build(draft, draft=True, capture=django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks() as queued:
        again = services.request_pdf(draft, draft=True)

    assert queued == []
    assert (again.file.name, again.built_at) == (first.file.name, first.built_at)


def test_rebuilding_a_changed_draft_replaces_its_file(
    draft, chair, django_capture_on_commit_callbacks
):
    first = build(draft, draft=True, capture=django_capture_on_commit_callbacks)
    item = Item.objects.get(section__revision=draft, section__kind=Section.Kind.NUMBERED)
    services.update_item(item, by=chair, version=item.version, text="Новый текст.")
    draft.refresh_from_db()

    second = build(draft, draft=True, capture=django_capture_on_commit_callbacks)

    assert second.state == State.DONE
    assert second.file.name.startswith("documents/unregistered/")
    assert second.file.storage.exists(second.file.name)
    assert first.file.name != second.file.name
    assert not first.file.storage.exists(first.file.name)
    assert second.content_version.startswith(f"{draft.pk}:{draft.content_version}:")
    assert "Новый текст." in pdf_text(file_bytes(second))


def test_building_twice_issues_one_document_with_one_checksum(
    seed, seed_pdf, django_capture_on_commit_callbacks
):
    pdf = plan_pdf(seed, draft=False)

    pipeline.build(pdf.pk)
    again = build(seed, draft=False, capture=django_capture_on_commit_callbacks)

    document = IssuedDocument.objects.get(source=f"plans.revision:{seed.pk}")
    assert (again.state, again.sha256, again.register_number) == (
        State.DONE,
        pdf.sha256,
        pdf.register_number,
    )
    assert (document.sha256, document.code, document.file.name) == (
        pdf.sha256,
        pdf.document_code,
        pdf.stored_file.name,
    )
    assert file_bytes(again) == seed_pdf


@pytest.mark.parametrize("draft_pdf", [True, False], ids=["draft", "signed"])
def test_failed_rendering_is_recorded_and_leaves_no_file(
    draft_pdf, seed, monkeypatch, settings, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("font exploded")

    monkeypatch.setattr("rumo.pipeline.render_pdf", broken)

    failed = build(seed, draft=draft_pdf, capture=django_capture_on_commit_callbacks)

    assert failed.state == State.FAILED
    assert "Не удалось сформировать PDF" in failed.error
    assert not failed.stored_file
    # A registered document's number stays reserved for the retry; no file is kept.
    assert not IssuedDocument.objects.issued().exists()
    assert IssuedDocument.objects.count() == (0 if draft_pdf else 1)
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]

    monkeypatch.undo()
    rebuilt = build(seed, draft=draft_pdf, capture=django_capture_on_commit_callbacks)

    assert (rebuilt.state, rebuilt.error) == (State.DONE, "")
    assert rebuilt.stored_file.storage.exists(rebuilt.stored_file.name)
    issued = [document.register_number for document in IssuedDocument.objects.all()]
    if draft_pdf:
        assert (issued, rebuilt.register_number) == ([], "")
    else:
        assert issued == [rebuilt.register_number]
        assert rebuilt.register_number.endswith("-0001")  # the retry took the reserved number


def test_signed_pdf_of_an_unapproved_revision_is_refused(draft, django_capture_on_commit_callbacks):
    pdf = build(draft, draft=False, capture=django_capture_on_commit_callbacks)

    assert (pdf.state, pdf.error, pdf.stored_file.name) == (
        State.FAILED,
        "Редакция не утверждена",
        "",
    )
    assert not IssuedDocument.objects.exists()


def test_missing_revision_or_row_is_not_an_error(seed):
    gone = DocumentBuild.objects.create(kind="plans.signed", object_id=seed.pk + 1000)
    pipeline.build(gone.pk)
    pipeline.build(gone.pk + 1000)

    assert not DocumentBuild.objects.filter(pk=gone.pk).exists()
    assert not DocumentBuild.objects.filter(kind="plans.draft", object_id=seed.pk).exists()


def test_signed_pdf_validates_and_one_changed_byte_breaks_it(
    seed, settings, certificate, django_capture_on_commit_callbacks
):
    use_certificate(settings, certificate)
    pdf = build(seed, draft=False, capture=django_capture_on_commit_callbacks)
    data = file_bytes(pdf)

    validation = validate_pdf(data)
    assert (validation.signed, validation.intact, validation.valid) == (True, True, True)
    assert IssuedDocument.objects.get(code=pdf.document_code).signed
    assert squash("ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ") in squash(pdf_text(data))

    at = data.index(b"/Producer") + 1
    tampered = data[:at] + b"p" + data[at + 1 :]
    assert not validate_pdf(tampered).valid


def test_signature_mark_states_who_approved_when_and_how(seed, seed_pdf):
    pdf = plan_pdf(seed, draft=False)
    text = squash(pdf_text(seed_pdf, page=page_count(seed_pdf)))

    assert squash(f"Рег. № {pdf.register_number}") in text
    for stamp in seed.stamps.all():
        kind = stamp.get_kind_display().capitalize()
        when = stamp.signed_on.strftime("%d.%m.%Y")
        assert squash(f"{kind}: {stamp.person_name}, {when} — в портале") in text
    assert "Подписал" not in text
    assert squash(verify_url(pdf.document_code).split("://", 1)[1]) in text


def test_paper_signature_is_not_called_electronic(
    seed, settings, certificate, django_capture_on_commit_callbacks
):
    use_certificate(settings, certificate)
    stamp = seed.stamps.get(kind="agreed")
    stamp.on_paper = True
    stamp.scan.save("scan.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)

    data = file_bytes(build(seed, draft=False, capture=django_capture_on_commit_callbacks))
    text = squash(pdf_text(data, page=page_count(data)))

    when = stamp.signed_on.strftime("%d.%m.%Y")
    assert squash(f"Согласовано: {stamp.person_name}, {when} — на бумаге, скан хранится") in text
    assert squash("ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ") in text
    assert squash("Владелец: РУМО библиотекарей") in text
    assert squash("не квалифицированная электронная подпись (КЭП)") in text
    assert squash(f"Дата подписания: {timezone.localdate():%d.%m.%Y}") in text


def test_every_seed_word_is_found_whole_by_a_search(seed, seed_pdf):
    text = pdf_text(seed_pdf)
    # A line may end after a word's own hyphen («учебно-/методическим»): readers join those.
    words = set(text.replace("-\n", "-").split())

    assert "\u2010" not in text and "\u00ad" not in text
    missing = {
        word
        for line in seed_lines(seed)
        for word in line.split()
        if word not in words and not any(word in w for w in words)
    }
    assert missing == set()


def test_pages_are_numbered_at_the_top_from_the_second(seed_pdf):
    # In reading order (not drawing order) the number is the page's first line.
    assert reading_text(seed_pdf, 1).split()[0] != "1"
    for page in range(2, page_count(seed_pdf) + 1):
        assert reading_text(seed_pdf, page).split()[0] == str(page)


def test_qr_code_opens_the_verification_page(seed, seed_pdf, tmp_path):
    pdf = plan_pdf(seed, draft=False)

    assert qr_codes(seed_pdf, tmp_path) == [verify_url(pdf.document_code)]


def test_export_writes_the_signed_pdf_building_it_when_needed(seed, tmp_path):
    output = tmp_path / "plan.pdf"

    call_command("export_plan_pdf", "library", "2024", "-o", str(output), stdout=StringIO())

    pdf = plan_pdf(seed, draft=False)
    assert pdf.state == State.DONE
    assert output.read_bytes() == file_bytes(pdf)
    text = squash(pdf_text(output.read_bytes()))
    assert all(squash(line) in text for line in seed_lines(seed))
    assert "ПРОЕКТ" not in text


def test_export_draft_writes_the_newest_revision_as_a_project(draft, tmp_path):
    output = tmp_path / "draft.pdf"

    call_command(
        "export_plan_pdf", "library", "2025", "-o", str(output), "--draft", stdout=StringIO()
    )

    text = squash(pdf_text(output.read_bytes()))
    assert "ПРОЕКТ" in text
    assert squash("1. Первое направление.") in text
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize(
    "slug, year, message",
    [
        ("nowhere", "2024", "Объединение «nowhere» не найдено."),
        ("library", "2031", "нет плана на 2031 год"),
        ("library", "2025", "ещё не утверждён"),
    ],
)
def test_export_explains_what_is_missing(draft, tmp_path, slug, year, message):
    output = tmp_path / "plan.pdf"

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export_plan_pdf", slug, year, "-o", str(output))

    assert not output.exists()


def test_the_register_names_the_revision_that_was_signed(seed, seed_pdf, client):
    document = IssuedDocument.objects.get(source=f"plans.revision:{seed.pk}")
    assert document.title.endswith("2024 год, редакция 1")
    assert "редакция 1" in client.get(reverse("verify", args=[document.code])).text
