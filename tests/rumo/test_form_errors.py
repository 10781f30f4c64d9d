"""Forms show every error of a submission at once, next to its field, and keep the input;
text over a field's limit is refused with a Russian message, never cut."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from members import services as members
from tests.meetings import announced
from tests.members.test_profile import PROFILE

pytestmark = pytest.mark.django_db

MONTH_OR_DATE = "Укажите месяц или точные дату и время."
PAST = "Это время уже прошло: заседание можно назначить только на будущее."


def errors_of(response) -> dict:
    form = response.context["form"]
    return {name: list(messages) for name, messages in form.errors.items()}


# The profile


def test_the_profile_shows_both_experience_and_category_errors_together(login, member):
    members.give_consent(member)
    data = PROFILE | {"category": "none", "category_date": "2022-05-01",
                      "total_experience": "5", "library_experience": "9"}  # fmt: skip

    response = login(member).post(reverse("members:me"), data)

    assert response.status_code == 200
    errors = errors_of(response)
    assert errors["library_experience"] == ["Библиотечный стаж не может превышать общий."]
    assert errors["category_date"] == ["Дата указывается, только если категория присвоена."]
    assert 'value="9"' in response.text and 'value="2022-05-01"' in response.text


# Meetings


def meeting_form(library, **fields):
    day = timezone.localdate() + timedelta(days=20)
    return {"association": library.pk, "year": day.year, "planned_month": "",
            "date": day.isoformat(), "time": "14:00", "format": "online", "place": "",
            "link": "https://meet.example.org/x", "topic": "Новые форматы",
            "duration_minutes": 120, **fields}  # fmt: skip


def test_a_meeting_with_a_long_topic_and_no_date_shows_both_errors(login, chair, library):
    data = meeting_form(library, topic="т" * 501, date="", time="", duration_minutes="5")

    response = login(chair).post(reverse("meetings:create"), data)

    errors = errors_of(response)
    assert "не более 500 символов" in errors["topic"][0]
    assert errors["planned_month"] == [MONTH_OR_DATE]
    assert "больше либо равно 15" in errors["duration_minutes"][0]
    assert "т" * 501 in response.text  # the text is kept, not cut
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_past_with_a_long_topic_shows_both_errors(login, chair, library):
    yesterday = timezone.localdate() - timedelta(days=1)
    data = meeting_form(library, topic="т" * 501, date=yesterday.isoformat())

    response = login(chair).post(reverse("meetings:create"), data)

    errors = errors_of(response)
    assert "не более 500 символов" in errors["topic"][0]
    assert errors["date"] == [PAST]


def test_a_bad_date_is_not_also_called_missing(login, chair, library):
    response = login(chair).post(reverse("meetings:create"), meeting_form(library, date="31.02"))

    errors = errors_of(response)
    assert errors["date"] == ["Введите правильную дату."]
    assert "planned_month" not in errors


def test_rescheduling_without_a_note_or_a_date_shows_both_errors(login, chair, library):
    meeting = announced(library)

    response = login(chair).post(
        reverse("meetings:reschedule", args=[meeting.pk]),
        {"date": "", "time": "", "format": "online", "link": meeting.link, "note": ""},
    )

    errors = errors_of(response)
    assert errors["note"] == ["Обязательное поле."]
    assert errors["date"] == ["Укажите новые дату и время."]


def test_a_pasted_note_over_the_limit_is_refused_with_a_message_and_kept(login, chair, library):
    meeting = announced(library)
    moved = timezone.localtime(meeting.starts_at) + timedelta(days=1)
    note = "Перенос. " + "я" * 1000

    response = login(chair).post(
        reverse("meetings:reschedule", args=[meeting.pk]),
        {"date": moved.date().isoformat(), "time": "15:00", "format": "online",
         "link": meeting.link, "note": note},
    )  # fmt: skip

    assert response.status_code == 200
    assert "Убедитесь, что это значение содержит не более 1000 символов" in response.text
    assert note in response.text
    meeting.refresh_from_db()
    assert meeting.sequence == 0
