"""The contest application form shows every fault of a submission at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contests.models import Application
from tests.contests import approve, draft_contest

pytestmark = pytest.mark.django_db


def errors_of(response) -> dict:
    form = response.context["form"]
    return {name: list(messages) for name, messages in form.errors.items()}


@pytest.fixture
def open_contest(library, chair, council):
    return approve(draft_contest(library), library)


def test_an_application_shows_every_missing_part_at_once(login, applicant, open_contest):
    response = login(applicant).post(
        reverse("contests:apply", args=[open_contest.pk]),
        {"nomination": "", "work_title": "Клуб чтения"},
    )

    errors = errors_of(response)
    assert errors["nomination"] == ["Обязательное поле."]
    assert errors["consent"] == ["Без согласия на обработку персональных данных заявку не принять."]
    assert errors["files"] == ["Приложите файлы: описание проекта."]
    assert 'value="Клуб чтения"' in response.text
    assert not Application.objects.exists()


def test_every_bad_file_of_an_application_is_named(login, applicant, open_contest):
    nomination = open_contest.approved_regulation.nominations.first()
    files = [SimpleUploadedFile("one.pdf", b"not a pdf"), SimpleUploadedFile("two.exe", b"MZ")]

    response = login(applicant).post(
        reverse("contests:apply", args=[open_contest.pk]),
        {"nomination": nomination.pk, "files": files},
    )

    errors = errors_of(response)
    assert [e.split(":")[0] for e in errors["files"]] == ["Файл «one.pdf»", "Файл «two.exe»"]
    assert "consent" in errors
    assert not Application.objects.exists()


def test_the_service_also_names_every_fault_by_field(applicant, open_contest, library):
    from django.core.exceptions import ValidationError

    from contests import services

    other = draft_contest(library, title="Другой конкурс")
    with pytest.raises(ValidationError) as refused:
        services.submit_application(
            open_contest, applicant, nomination=services.newest(other).nominations.first(),
            files=[], consent=False,
        )  # fmt: skip

    assert set(refused.value.message_dict) == {"nomination", "consent", "files"}
    assert not Application.objects.exists()
