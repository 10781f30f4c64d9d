"""All diplomas of a contest as one ZIP: offered to its chair and staff once the worker has
built every one, with progress on the results page until then."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contests import pdf
from contests.models import Application
from rumo import pipeline
from rumo.documents import sha256_hex
from rumo.models import DocumentBuild
from tests.contests import ranked_contest
from tests.rumo import pdf_text

pytestmark = pytest.mark.django_db
State = DocumentBuild.State

NAMES = [
    "Иванова Анна Сергеевна",
    "Петров Пётр Петрович",
    'Сидорова "Маша" / Мария',  # a slash and quotes must not make folders or bad names
    "Ёлкина Елена Олеговна",
    "Кузнецов Кирилл Ильич",
]


def build_all():
    """What the worker does with the queued diplomas (the sweep sends them to the eager one)."""
    return pipeline.sweep_builds(timezone.now() + timedelta(minutes=2))


def zip_of(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def ranked(running, chair, juror, applicant):
    ranked_contest(running, applicant, [chair, juror], NAMES)
    return running


def test_the_zip_holds_one_readable_pdf_per_participant_once_all_are_built(login, ranked, chair):
    results = reverse("contests:results", args=[ranked.pk])
    archive = reverse("contests:diplomas-zip", args=[ranked.pk])

    # Approving the results queued the diplomas: the page shows progress and polls it.
    page = login(chair).get(results).content.decode()
    assert "Дипломы формируются:" in page and "0 из 5" in page
    assert reverse("contests:diplomas", args=[ranked.pk]) + "?polling=1" in page
    client = login(chair)
    response = client.get(archive)  # not yet: back to the page, with the count
    assert response.status_code == 302 and response["Location"].endswith("#diplomas")
    page = client.get(results).content.decode()
    assert "Архив будет доступен, когда сформируются все дипломы: готово 0 из 5." in page

    build_all()
    page = login(chair).get(results).content.decode()
    assert "Сформировано:" in page and "5 из 5" in page and "hx-trigger" not in page
    assert "Скачать все одним архивом (ZIP, 5 файлов)" in page

    response = login(chair).get(archive)
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Russian archive name
    files = zip_of(response)
    names = files.namelist()
    assert len(names) == 5 and all(n.endswith(".pdf") for n in names)
    # A folder per nomination, numbered files with the award and the participant's name.
    assert "Лучший библиотекарь/01 — Диплом I степени — " in "\n".join(names)
    assert any(n.startswith("Лучший проект/") for n in names)
    assert any(n.endswith(" — Сидорова Маша Мария.pdf") for n in names)
    assert all(n.count("/") == 1 for n in names)
    for application in Application.objects.filter(contest=ranked):
        row = DocumentBuild.objects.get(kind=pdf.DIPLOMA.name, object_id=application.pk)
        (name,) = [
            n for n in names if n.endswith(f"{application.award} — {clean(application)}.pdf")
        ]
        data = files.read(name)
        assert sha256_hex(data) == row.sha256  # the registered file itself
    text = pdf_text(files.read(next(n for n in names if "Иванова" in n)))
    assert "Иванова Анна Сергеевна" in " ".join(text.split())

    # An unchanged archive is not sent again.
    again = login(chair).get(archive, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def clean(application) -> str:
    from contests.diplomas import clean as clean_name

    return clean_name(application.display_name)


def test_only_the_chair_and_staff_get_the_zip_and_the_progress(
    login, ranked, chair, staff, juror, applicant, member, council
):
    build_all()
    archive = reverse("contests:diplomas-zip", args=[ranked.pk])
    status = reverse("contests:diplomas", args=[ranked.pk])
    assert len(zip_of(login(staff).get(archive)).namelist()) == 5
    for person in (juror, applicant, member, council):
        assert login(person).get(archive).status_code == 403
        assert login(person).get(status).status_code == 403
    assert login(None).get(archive).status_code == 302  # to the login page
    assert "/login/" in login(None).get(archive)["Location"]


def test_a_contest_without_approved_results_has_no_diplomas(login, running, chair):
    for name in ("contests:diplomas-zip", "contests:diplomas"):
        assert login(chair).get(reverse(name, args=[running.pk])).status_code == 404
    assert (
        login(chair).post(reverse("contests:diplomas-request", args=[running.pk])).status_code
        == 404
    )


def test_the_progress_reloads_the_page_when_the_last_diploma_is_built(login, ranked, chair):
    status = reverse("contests:diplomas", args=[ranked.pk])
    polled = login(chair).get(status + "?polling=1", HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and 'data-state="busy"' in polled.content.decode()
    build_all()
    polled = login(chair).get(status + "?polling=1", HTTP_HX_REQUEST="true")
    assert polled.headers.get("HX-Refresh") == "true"  # one reload lists every file


def test_failed_diplomas_are_named_and_built_again_on_request(
    login, ranked, chair, django_capture_on_commit_callbacks
):
    build_all()
    first = Application.objects.filter(contest=ranked).order_by("pk").first()
    DocumentBuild.objects.filter(kind=pdf.DIPLOMA.name, object_id=first.pk).update(
        state=State.FAILED, error="ошибка"
    )
    page = login(chair).get(reverse("contests:results", args=[ranked.pk])).content.decode()
    assert "Не удалось сформировать 1 файл." in page and "4 из 5" in page
    assert "Сформировать недостающий файл (1)" in page
    assert login(chair).get(reverse("contests:diplomas-zip", args=[ranked.pk])).status_code == 302

    with django_capture_on_commit_callbacks(execute=True):  # the eager worker builds it
        response = login(chair).post(reverse("contests:diplomas-request", args=[ranked.pk]))
    assert response.status_code == 302
    row = DocumentBuild.objects.get(kind=pdf.DIPLOMA.name, object_id=first.pk)
    assert row.state == State.DONE
    assert (
        len(zip_of(login(chair).get(reverse("contests:diplomas-zip", args=[ranked.pk]))).namelist())
        == 5
    )


def test_a_batch_request_queues_only_what_is_neither_built_nor_being_built(
    ranked, django_capture_on_commit_callbacks, monkeypatch
):
    """pipeline.request_builds, as request_diplomas uses it: each row's state decides."""
    from contests import services

    rows = list(DocumentBuild.objects.filter(kind=pdf.DIPLOMA.name).order_by("object_id"))
    assert len(rows) == 5 and {r.state for r in rows} == {State.QUEUED}  # by the approval
    built, building, failed, queued, gone = rows
    pipeline.build(built.pk)
    DocumentBuild.objects.filter(pk=building.pk).update(state=State.BUILDING)
    DocumentBuild.objects.filter(pk=failed.pk).update(state=State.FAILED, error="ошибка")
    gone.delete()  # never requested (a row lost): made again

    sent = []
    monkeypatch.setattr(pipeline, "enqueue", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_diplomas(ranked) == 2
    remade = DocumentBuild.objects.get(kind=pdf.DIPLOMA.name, object_id=gone.object_id)
    assert sorted(sent) == sorted([failed.pk, remade.pk])
    states = dict(DocumentBuild.objects.filter(kind=pdf.DIPLOMA.name).values_list("pk", "state"))
    assert states[built.pk] == State.DONE and states[building.pk] == State.BUILDING
    assert states[failed.pk] == states[remade.pk] == states[queued.pk] == State.QUEUED


def test_two_nominations_of_the_same_name_give_distinct_entries(ranked):
    from contests import diplomas

    regulation = ranked.approved_regulation
    first, second = regulation.nominations.order_by("position")[:2]
    second.name = first.name + " /"  # the same folder once cleaned
    second.save()
    Application.objects.filter(contest=ranked).update(participant_name="Одна и та же")
    names = [name for name, _diploma in diplomas.entries(diplomas.batch(ranked))]
    assert len(names) == len(set(names)) == 5
