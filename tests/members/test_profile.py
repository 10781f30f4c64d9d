"""A member keeps their own profile: consent first, then data, courses, awards."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from members import consent, services
from members.models import Consent, Course, DeletionRequest
from tests.members.conftest import CANARY, exe_upload, pdf_upload, png_upload

pytestmark = pytest.mark.django_db

PROFILE = {
    "last_name": "Васильева",
    "first_name": "Наталья",
    "patronymic": "Ивановна",
    "position": "библиотекарь",
    "email": "natalia@example.org",
    "phone": "+7 (8352) 12-34-56",
    "education": "higher",
    "has_library_education": "on",
    "category": "first",
    "category_date": "2022-05-01",
    "total_experience": "12",
    "library_experience": "7",
}


def test_the_profile_asks_for_consent_before_anything_is_stored(login, member):
    client = login(member)

    response = client.post(reverse("members:me"), PROFILE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("members:consent"))
    member.refresh_from_db()
    assert member.phone == "" and member.education == ""
    assert not Consent.objects.exists()


def test_consent_is_an_explicit_step_recording_version_and_moment(login, member):
    client = login(member)

    refused = client.post(reverse("members:consent"), {})
    agreed = client.post(reverse("members:consent"), {"agree": "on"})

    assert refused.status_code == 200
    assert "Без согласия Rumo не может хранить ваш профиль." in refused.text
    assert agreed.status_code == 302
    consent_row = Consent.objects.get(member=member)
    assert consent_row.version == consent.CONSENT_VERSION
    member.refresh_from_db()
    assert member.consent_version == consent.CONSENT_VERSION
    assert member.consent_at == consent_row.given_at


def test_a_new_consent_text_asks_again(login, member, monkeypatch):
    services.give_consent(member, version="2020-01")
    client = login(member)

    response = client.get(reverse("members:me"))

    assert response.status_code == 302
    page = client.get(response.url)
    assert "Текст согласия изменился" in page.text


def test_saving_the_profile_stores_it_and_confirms_it(login, member):
    services.give_consent(member)
    client = login(member)

    response = client.post(reverse("members:me"), PROFILE)

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.category, member.total_experience) == (
        "+7 (8352) 12-34-56", "first", 12,
    )  # fmt: skip
    assert member.confirmed_at is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "natalia@", "Введите правильный адрес электронной почты."),
        ("phone", "звоните вечером", "Номер телефона: только цифры"),
        ("category_date", "2999-01-01", "Дата не может быть в будущем."),
        ("total_experience", "-3", "Убедитесь, что это значение больше либо равно 0."),
        ("library_experience", "40", "Библиотечный стаж не может превышать общий."),
    ],
)
def test_bad_profile_input_is_refused_with_the_input_kept(login, member, field, value, message):
    services.give_consent(member)
    client = login(member)

    response = client.post(reverse("members:me"), PROFILE | {field: value})

    assert response.status_code == 200
    assert message in response.text
    assert f'value="{value}"' in response.text
    member.refresh_from_db()
    assert member.confirmed_at is None


def test_a_course_keeps_a_pdf_or_png_certificate(login, member):
    services.give_consent(member)
    client = login(member)

    for upload in (pdf_upload(), png_upload()):
        data = {"title": "Цифровые сервисы", "organizer": "ЧРИО", "hours": 36, "year": 2024}
        response = client.post(reverse("members:course-add"), data | {"certificate": upload})
        assert response.status_code == 302

    names = sorted(c.certificate.name.rsplit(".", 1)[1] for c in member.courses.all())
    assert names == ["pdf", "png"]
    download = client.get(reverse("members:certificate", args=[member.courses.first().pk]))
    assert download.status_code == 200
    download.close()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf_upload(size=10 * 1024 * 1024 + 1), "Файл больше 10,0"),
        (pdf_upload(name="virus.exe"), "Файлы «.exe» не принимаются. Можно: jpeg, jpg, pdf, png."),
        # An executable renamed to .pdf: the content decides, not the name.
        (exe_upload(), "Содержимое файла не соответствует его имени: это не PDF"),
        (png_upload(name="picture.pdf"), "Содержимое файла не соответствует его имени: это не PDF"),
    ],
)
def test_a_wrong_certificate_is_refused(login, member, upload, message):
    services.give_consent(member)
    client = login(member)
    data = {"title": "Курс", "hours": 16, "year": 2024, "certificate": upload}

    response = client.post(reverse("members:course-add"), data)

    assert response.status_code == 400
    assert message in response.text
    assert not Course.objects.exists()


def test_a_course_in_the_future_is_refused(login, member):
    services.give_consent(member)
    next_year = timezone.localdate().year + 1

    response = login(member).post(
        reverse("members:course-add"), {"title": "Курс", "hours": 16, "year": next_year}
    )

    assert response.status_code == 400
    assert "Год не может быть в будущем." in response.text


def test_the_member_downloads_everything_rumo_holds_as_json(login, natalia, chair):
    client = login(chair)
    client.get(reverse("members:profile", args=[natalia.pk]))  # the chair looks: logged
    client = login(natalia)

    response = client.get(reverse("members:my-data"))

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert data["profile"]["last_name"] == "Васильева"
    assert data["awards"][0]["title"] == f"Грамота {CANARY}"
    assert data["courses"][0]["hours"] == 36
    assert data["consents"][0]["current"] is True
    assert data["roles"][0]["role"] == "член объединения"
    assert data["who_viewed_my_data"][0]["who"] == chair.full_name


def test_a_deletion_request_is_recorded_once_and_shown_to_staff(login, natalia, staff):
    client = login(natalia)
    page = client.get(reverse("members:deletion-request"))
    assert "Что останется и почему" in page.text
    assert "протоколах и повестках" in page.text

    client.post(reverse("members:deletion-request"), {"understood": "on", "reason": "ухожу"})
    client.post(reverse("members:deletion-request"), {"understood": "on"})

    assert DeletionRequest.objects.filter(member=natalia).count() == 1
    listing = login(staff).get(reverse("members:deletion-requests"))
    assert "Васильева Наталья Ивановна" in listing.text
    assert "ухожу" in listing.text


def test_erasure_keeps_the_name_for_historic_records_and_removes_the_rest(
    login, natalia, staff, django_capture_on_commit_callbacks
):
    services.request_deletion(natalia)
    with_file = services.add_course(natalia, title="Курс", organizer="", hours=8, year=2024,
                                    certificate=pdf_upload())  # fmt: skip
    stored = with_file.certificate.path

    with django_capture_on_commit_callbacks(execute=True):
        login(staff).post(reverse("members:erase", args=[natalia.pk]))

    natalia.refresh_from_db()
    assert (natalia.last_name, natalia.position) == ("Васильева", "библиотекарь")
    assert (natalia.phone, natalia.email, natalia.total_experience) == ("", "", None)
    assert not natalia.courses.exists() and not natalia.awards.exists()
    assert not natalia.user.is_active
    assert DeletionRequest.objects.get(member=natalia).completed_at is not None
    assert not Path(stored).exists()


def test_the_old_text_courses_become_rows():
    from importlib import import_module

    migration = import_module("members.migrations.0003_courses_and_awards_from_text")

    assert migration.split_course("Цифровые сервисы библиотеки, 36 ч., 2023", 2020) == {
        "title": "Цифровые сервисы библиотеки", "hours": 36, "year": 2023,
    }  # fmt: skip
    assert migration.split_course("Семинар без часов", 2021) == {
        "title": "Семинар без часов", "hours": 1, "year": 2021,
    }  # fmt: skip
