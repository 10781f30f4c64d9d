"""Meeting pages through HTTP, as the chair, a member, an outsider and staff."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.dashboard import upcoming_for
from meetings.models import AgendaItem, Meeting, Response
from meetings.services import notices as notice_service
from rumo.models import DocumentBuild
from tests import files
from tests.meetings import announced, held, minuted, planned, rank_and_file

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def detail(meeting):
    return reverse("meetings:detail", args=[meeting.pk])


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def notices(monkeypatch):
    calls = []
    monkeypatch.setattr(
        notice_service,
        "queue_change_notice",
        lambda meeting, *, kind: calls.append((meeting.pk, kind)),
    )
    return calls


# The list


def test_member_lists_upcoming_meetings_first_then_past_ones(login, member, library, philology):
    soon = announced(library, starts_in=timedelta(days=5), topic="Скоро")
    later = announced(library, starts_in=timedelta(days=50), topic="Позже")
    past = held(library, [member], topic="Было")
    hidden = planned(library, topic="Черновик председателя")
    other = announced(philology, topic="Филологи")

    page = text_of(login(member).get(reverse("meetings:list")))

    assert page.index("Скоро") < page.index("Позже") < page.index("Было")
    assert "Черновик председателя" not in page
    assert "Филологи" not in page
    assert f'data-testid="meeting-{soon.pk}"' in page
    assert f'data-testid="meeting-{hidden.pk}"' not in page
    assert f'data-testid="meeting-{other.pk}"' not in page
    assert later.pk and past.pk


def test_chair_also_sees_planned_meetings_and_may_plan_one(login, chair, library):
    planned(library, topic="Черновик председателя")

    page = text_of(login(chair).get(reverse("meetings:list")))

    assert "Черновик председателя" in page
    assert "Запланировать заседание" in page


def test_cancelled_meetings_stay_listed_as_cancelled(login, member, library):
    meeting = announced(library, topic="Отменённое")
    services.cancel_meeting(meeting, reason="Болезнь докладчика")

    page = text_of(login(member).get(reverse("meetings:list")))

    assert "Отменённое" in page
    assert "отменено" in page


def test_staff_filters_meetings_by_association(login, staff, library, philology):
    announced(library, topic="Библиотекари")
    announced(philology, topic="Филологи")

    page = text_of(login(staff).get(reverse("meetings:list"), {"association": philology.pk}))

    assert "Филологи" in page
    assert "Библиотекари" not in page


def test_an_empty_list_says_what_happens_next(login, other_chair):
    page = text_of(login(other_chair).get(reverse("meetings:list")))

    assert "Заседаний пока нет" in page


def test_past_meetings_are_paginated(login, chair, library):
    for _ in range(25):
        services.create_meeting(library, year=2020, planned_month=3)
    client = login(chair)

    first = text_of(client.get(reverse("meetings:list")))
    second = text_of(client.get(reverse("meetings:list"), {"page": 2}))

    assert "Страница 1 из 2" in first
    assert second.count('data-testid="meeting-') == 5


# The meeting page


def test_member_reads_the_agenda_and_may_answer(login, member, library, chair):
    meeting = announced(library, agenda=("Опыт работы библиотеки", "Выборы совета"))
    first = meeting.agenda_items.get(position=1)
    services.update_agenda_item(first, title=first.title, speakers="гость",
                                speaker_members=[chair])  # fmt: skip

    page = text_of(login(member).get(detail(meeting)))

    assert "Опыт работы библиотеки" in page
    assert "С.Н. Лоскутова (Колледж" in page
    assert "Буду" in page and "Не буду" in page
    assert "Управление" not in page


def test_a_planned_meeting_is_the_organisers_draft(login, member, chair, staff, library):
    meeting = planned(library)

    assert login(member).get(detail(meeting)).status_code == 403
    assert login(chair).get(detail(meeting)).status_code == 200
    assert login(staff).get(detail(meeting)).status_code == 200


def test_outsiders_get_403_and_visitors_the_login_page(login, other_chair, library):
    meeting = announced(library)

    assert login(other_chair).get(detail(meeting)).status_code == 403
    response = login(None).get(detail(meeting))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_html_in_agenda_texts_is_shown_as_text(login, member, library):
    meeting = announced(library, agenda=('<script>alert("x")</script><b>жирный</b>',))

    page = text_of(login(member).get(detail(meeting)))

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;жирный&lt;/b&gt;" in page


def test_draft_minutes_are_for_the_organisers_approved_ones_for_everyone(
    login, member, chair, library
):
    meeting = minuted(held(library, [member, chair]), decided="Утвердить план.")

    assert "Утвердить план." not in text_of(login(member).get(detail(meeting)))
    assert "Утвердить план." in text_of(login(chair).get(detail(meeting)))
    services.approve_minutes(meeting)
    page = text_of(login(member).get(detail(meeting)))
    assert "Утвердить план." in page
    assert "Выписка в PDF" in page


def test_the_announce_button_lists_what_is_missing(login, chair, library):
    meeting = planned(library, agenda=())

    page = text_of(login(chair).get(detail(meeting)))

    assert "Повестка пуста: добавьте хотя бы один вопрос." in page
    assert reverse("notices:announce", args=[meeting.pk]) not in page


def test_a_complete_meeting_offers_the_announcement(login, chair, library):
    meeting = planned(library)

    page = text_of(login(chair).get(detail(meeting)))

    assert f'action="{reverse("notices:announce", args=[meeting.pk])}"' in page


# Planning


def meeting_form(**fields):
    day = timezone.localdate() + timedelta(days=20)
    return {"association": "", "year": day.year, "planned_month": "", "date": day.isoformat(),
            "time": "14:00", "format": "online", "place": "", "link": "https://meet.example.org/x",
            "topic": "Новые форматы", "duration_minutes": 120, **fields}  # fmt: skip


def test_chair_plans_a_meeting_its_number_is_computed(login, chair, library):
    services.create_meeting(library, year=(timezone.localdate() + timedelta(days=20)).year)

    response = login(chair).post(reverse("meetings:create"), meeting_form(association=library.pk))

    meeting = Meeting.objects.latest("pk")
    assert response.status_code == 302
    assert response.url == detail(meeting)
    assert meeting.number == 2
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:00"
    assert meeting.topic == "Новые форматы"


def test_a_date_in_the_past_is_refused_and_the_input_kept(login, chair, library):
    yesterday = timezone.localdate() - timedelta(days=1)
    data = meeting_form(association=library.pk, date=yesterday.isoformat(), topic="Итоги года")

    response = login(chair).post(reverse("meetings:create"), data)

    assert response.status_code == 200
    page = text_of(response)
    assert "Это время уже прошло: заседание можно назначить только на будущее." in page
    assert 'value="Итоги года"' in page
    assert f'value="{yesterday.isoformat()}"' in page
    assert not Meeting.objects.exists()


def test_a_month_or_a_date_is_needed(login, chair, library):
    data = meeting_form(association=library.pk, date="", time="")

    response = login(chair).post(reverse("meetings:create"), data)

    assert "Укажите месяц или точные дату и время." in text_of(response)


def test_members_and_outsiders_cannot_plan_for_the_association(login, member, other_chair, library):
    assert login(member).get(reverse("meetings:create")).status_code == 403
    response = login(other_chair).post(
        reverse("meetings:create"), meeting_form(association=library.pk)
    )
    assert response.status_code == 200  # the library is not among her choices
    assert not Meeting.objects.exists()


def test_an_announced_meeting_is_moved_not_edited(
    login, chair, library, notices, django_capture_on_commit_callbacks
):
    meeting = announced(library)
    client = login(chair)
    moved = timezone.localtime(meeting.starts_at) + timedelta(hours=3)

    data = meeting_form(date=moved.date().isoformat(), time=moved.strftime("%H:%M"),
                        topic="Новая тема")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.sequence, meeting.starts_at != moved) == ("Новая тема", 1, True)
    assert notices == [(meeting.pk, "changed")]  # the new topic is told
    notices.clear()

    with_note = {**data, "note": "Перенесено на вторую половину дня.", "format": "online",
                 "link": meeting.link}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:reschedule", args=[meeting.pk]), with_note)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (moved, 2)
    assert notices == [(meeting.pk, "changed")]


def test_cancelling_asks_for_a_reason(login, chair, library, notices):
    meeting = announced(library)
    client = login(chair)

    refused = client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": ""})
    assert refused.status_code == 200
    assert Meeting.objects.get().status == Meeting.Status.ANNOUNCED

    client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Карантин"})
    page = text_of(client.get(detail(meeting)))
    assert "Заседание отменено." in page and "Карантин" in page


# The agenda, in place (htmx)


def test_chair_adds_moves_and_deletes_questions_in_place(login, chair, library):
    meeting = planned(library, agenda=("Первый",))
    client = login(chair)

    added = client.post(reverse("meetings:agenda-add", args=[meeting.pk]),
                        {"title": "Второй", "speakers": "гость"}, **HTMX)  # fmt: skip
    assert added.status_code == 200
    assert "<html" not in text_of(added)
    assert 'id="agenda"' in text_of(added)
    second = AgendaItem.objects.get(title="Второй")

    moved = client.post(reverse("meetings:agenda-move", args=[second.pk]),
                        {"direction": "up"}, **HTMX)  # fmt: skip
    fragment = text_of(moved)
    assert fragment.index("Второй") < fragment.index("Первый")
    assert "autofocus" in fragment  # the keyboard stays on the moved question

    client.post(reverse("meetings:agenda-delete", args=[second.pk]), **HTMX)
    assert list(meeting.agenda_items.values_list("position", "title")) == [(1, "Первый")]


def test_editing_a_question_in_place(login, chair, library):
    meeting = planned(library, agenda=("Старый текст",))
    item = meeting.agenda_items.get()
    client = login(chair)
    url = reverse("meetings:agenda-edit", args=[item.pk])

    form = client.get(url, **HTMX)
    assert form["HX-Retarget"] == f"#item-{item.pk}"
    invalid = client.post(url, {"title": ""}, **HTMX)
    assert "Обязательное поле" in text_of(invalid)
    client.post(url, {"title": "Новый текст"}, **HTMX)

    item.refresh_from_db()
    assert item.title == "Новый текст"


def test_attached_documents_are_limited_to_20_mb(login, chair, member, library):
    meeting = planned(library, agenda=())
    client = login(chair)
    big = SimpleUploadedFile("big.pdf", b"x" * (20 * 1024 * 1024 + 1), "application/pdf")
    small = SimpleUploadedFile("plan.pdf", files.PDF, "application/pdf")

    refused = client.post(reverse("meetings:agenda-add", args=[meeting.pk]),
                          {"title": "Большой файл", "document": big}, **HTMX)  # fmt: skip
    client.post(reverse("meetings:agenda-add", args=[meeting.pk]),
                {"title": "План", "document": small}, **HTMX)  # fmt: skip

    assert "Файл больше 20,0" in text_of(refused)
    item = AgendaItem.objects.get()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.ANNOUNCED)
    download = login(member).get(reverse("meetings:agenda-file", args=[item.pk]))
    assert b"".join(download.streaming_content) == files.PDF


def test_members_cannot_touch_the_agenda(login, member, library):
    meeting = announced(library)
    item = meeting.agenda_items.get()

    assert login(member).post(reverse("meetings:agenda-delete", args=[item.pk])).status_code == 403
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# Answers


def test_member_answers_in_place_and_changes_the_answer(login, member, library):
    meeting = announced(library)
    client = login(member)
    url = reverse("meetings:answer", args=[meeting.pk])

    first = client.post(url, {"answer": "yes"}, **HTMX)
    second = client.post(url, {"answer": "no"}, **HTMX)

    assert "Вы ответили: «буду»." in text_of(first)
    assert "<html" not in text_of(first)
    assert "Вы ответили: «не буду»" in text_of(second)
    assert Response.objects.get().answer == "no"


def test_no_answer_after_the_start(login, member, library):
    meeting = announced(library, starts_in=-timedelta(minutes=5))

    response = login(member).post(reverse("meetings:answer", args=[meeting.pk]),
                                  {"answer": "yes"}, **HTMX)  # fmt: skip

    assert "Заседание уже началось" in text_of(response)
    assert not Response.objects.exists()


def test_the_chair_sees_how_many_will_come(login, chair, member, council, library):
    meeting = announced(library)
    services.answer_meeting(meeting, member=member, answer="yes")
    services.answer_meeting(meeting, member=council, answer="no")

    page = text_of(login(chair).get(detail(meeting)))

    assert "Ответили «буду»: 1, «не буду»: 1" in page


# Holding the meeting


def test_chair_records_attendance_then_minutes_and_approves_them(
    login, chair, member, council, library, django_capture_on_commit_callbacks
):
    meeting = planned(library, starts_in=-timedelta(hours=1), agenda=("Отчёт",))
    item = meeting.agenda_items.get()
    client = login(chair)

    page = text_of(client.get(reverse("meetings:attendance", args=[meeting.pk])))
    assert "кворума нет" in page
    response = client.post(reverse("meetings:attendance", args=[meeting.pk]),
                           {"present": [chair.pk, member.pk], "invited_count": 1})  # fmt: skip
    assert response.url == reverse("meetings:minutes", args=[meeting.pk])

    too_many = client.post(reverse("meetings:item-minutes", args=[item.pk]),
                           {f"item-{item.pk}-decided": "Принять.",
                            f"item-{item.pk}-votes_for": 4}, **HTMX)  # fmt: skip
    assert "Голосов (4) больше, чем присутствовало вместе с гостями (3)." in text_of(too_many)
    saved = client.post(reverse("meetings:item-minutes", args=[item.pk]),
                        {f"item-{item.pk}-decided": "Принять.",
                         f"item-{item.pk}-votes_for": 3}, **HTMX)  # fmt: skip
    assert "Сохранено" in text_of(saved)
    client.post(reverse("meetings:minutes", args=[meeting.pk]),
                {"chair_name": "С.Н. Лоскутова", "secretary_name": "М.А. Иванова"})  # fmt: skip

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("meetings:minutes-approve", args=[meeting.pk]))

    meeting.refresh_from_db()
    assert meeting.minutes_approved
    assert DocumentBuild.objects.filter(kind="meetings.minutes", object_id=meeting.pk).exists()
    assert client.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 302


def test_approval_refused_while_something_is_missing(login, chair, member, library):
    meeting = held(library, [member])

    response = login(chair).post(reverse("meetings:minutes-approve", args=[meeting.pk]),
                                 follow=True)  # fmt: skip

    assert "Запишите «РЕШИЛИ» по вопросам: 1." in text_of(response)
    assert not Meeting.objects.get().minutes_approved


# PDFs


def test_a_pdf_is_prepared_then_offered(login, member, library, django_capture_on_commit_callbacks):
    meeting = announced(library)
    client = login(member)
    build = reverse("meetings:document-request", args=[meeting.pk, "agenda"])

    with django_capture_on_commit_callbacks(execute=False) as queued:
        waiting = client.post(build, **HTMX)
    assert "PDF формируется…" in text_of(waiting)
    assert 'hx-trigger="every 2s"' in text_of(waiting)
    for callback in queued:
        callback()

    ready = client.get(reverse("meetings:document", args=[meeting.pk, "agenda"]), **HTMX)
    assert "Скачать повестку (PDF)" in text_of(ready)
    download = client.get(reverse("meetings:document-file", args=[meeting.pk, "agenda"]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_members_cannot_ask_for_draft_minutes(login, member, library):
    meeting = held(library, [member])

    url = reverse("meetings:document-request", args=[meeting.pk, "minutes"])
    assert login(member).post(url).status_code == 403


# Query counts stay the same when the data grows tenfold


def grow(library, chair, count: int) -> None:
    """Add ``count`` announced meetings with agendas, speakers and answers, and past ones."""
    people = rank_and_file(library, 2)
    for _ in range(count):
        meeting = announced(library, agenda=("Первый", "Второй", "Третий"))
        for item in meeting.agenda_items.all():
            item.speaker_members.set([chair, *people])
        for person in people:
            Response.objects.create(meeting=meeting, member=person, answer="yes")
        held(library, people, agenda=("Отчёт",))


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_with_ten_times_the_meetings(
    login, member, chair, library, django_assert_max_num_queries
):
    grow(library, chair, 2)
    client = login(member)
    url = reverse("meetings:list")
    baseline = queries(client, url)

    grow(library, chair, 18)

    with django_assert_max_num_queries(baseline):
        client.get(url)


def test_the_meeting_page_costs_the_same_queries_with_ten_times_the_agenda(
    login, chair, library, django_assert_max_num_queries
):
    people = rank_and_file(library, 3)
    meeting = minuted(held(library, people, agenda=("Первый", "Второй")), votes=(1, 0, 0))
    services.approve_minutes(meeting)
    client = login(chair)
    baseline = queries(client, detail(meeting))

    grown = minuted(held(library, people, agenda=[f"Вопрос {n}" for n in range(20)]))
    grown = services.approve_minutes(grown)
    for item in grown.agenda_items.all():
        item.speaker_members.set(people)

    with django_assert_max_num_queries(baseline):
        client.get(detail(grown))


# The home page card


def test_the_dashboard_card_lists_the_next_meetings_with_the_answer(member, library, philology):
    soon = announced(library, starts_in=timedelta(days=3), topic="Скоро")
    later = announced(library, starts_in=timedelta(days=9), topic="Позже")
    services.answer_meeting(soon, member=member, answer="yes")
    held(library, [member], topic="Было")
    announced(philology, topic="Филологи")

    meetings = upcoming_for(member.user, limit=5)
    html = render_to_string("meetings/includes/dashboard_card.html",
                            {"upcoming_meetings": meetings})  # fmt: skip

    assert [m.pk for m in meetings] == [soon.pk, later.pk]
    assert html.index("Скоро") < html.index("Позже")
    assert "буду" in html
    assert upcoming_for(member.user, limit=1) == [soon]


def test_chair_names_the_invited_guests(login, chair, library):
    meeting = planned(library, starts_in=-timedelta(hours=1), agenda=("Отчёт",))
    client = login(chair)
    url = reverse("meetings:attendance", args=[meeting.pk])

    too_many = client.post(url, {"present": [chair.pk], "invited_count": 1,
                                 "invited_names": "Е.В. Петрова, ЧРИО\nА.А. Гость"})  # fmt: skip
    assert "Приглашённых названо больше, чем указано гостей." in text_of(too_many)
    names = " Е.В. Петрова, ЧРИО \n\nА.А. Гость"
    response = client.post(url, {"present": [chair.pk], "invited_count": 2, "invited_names": names})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.invited_list == ["Е.В. Петрова, ЧРИО", "А.А. Гость"]
    assert "Е.В. Петрова, ЧРИО" in text_of(client.get(url))
