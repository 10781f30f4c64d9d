"""Contest pages through the HTTP client, as each role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contests import services
from contests.models import Application, Clause, Contest, CouncilVote, Juror, Regulation, Score
from rumo import pipeline
from tests.contests import pdf_upload

pytestmark = pytest.mark.django_db


def regulation_url(contest, name="contests:regulation"):
    return reverse(name, args=[services.newest(contest).pk])


def test_a_visitor_reads_approved_regulations_and_published_results_only(client, running, contest):
    assert client.get(reverse("contests:list")).status_code == 302
    response = client.get(regulation_url(running))
    assert response.status_code == 200
    assert "ПОЛОЖЕНИЕ" in response.content.decode().upper()
    assert "PDF формируется…" in response.content.decode()  # requested when approved
    pipeline.sweep_builds(timezone.now() + timedelta(minutes=2))  # beat, eager worker
    pdf = client.get(regulation_url(running, "contests:regulation-pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("contests:results", args=[running.pk])).status_code == 302


def test_a_draft_is_read_by_the_organisers_council_only(
    login, contest, member, council, other_chair, staff
):
    url = regulation_url(contest)
    assert login(member).get(url).status_code == 403
    assert login(other_chair).get(url).status_code == 403
    assert login(council).get(url).status_code == 200
    assert login(staff).get(url).status_code == 200
    assert login(None).get(url).status_code == 302


def test_the_chair_creates_a_contest_and_drafts_its_regulations(login, chair, library):
    client = login(chair)
    response = client.post(
        reverse("contests:create"),
        {"title": "Книга года", "year": 2031, "organizers": [library.pk]},
    )
    contest = Contest.objects.get(title="Книга года")
    regulation = services.newest(contest)
    assert response.url == regulation.get_absolute_url()
    section = regulation.sections.first()

    client.post(
        reverse("contests:block-add", args=[section.pk, "clause"]),
        {"text": "Пункт <script>alert(1)</script>\n– первый\n- второй"},
    )
    client.post(
        reverse("contests:block-add", args=[regulation.pk, "criterion"]),
        {"name": "Глубина", "max_points": 10, "weight": "1.5", "position": 0},
    )
    page = client.get(regulation.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "1.2. Пункт" in page and "– первый" in page and "- второй" in page
    assert regulation.criteria.get().name == "Глубина"


def test_deleting_a_block_asks_first(login, chair, contest):
    clause = Clause.objects.filter(section__regulation=services.newest(contest)).first()
    url = reverse("contests:block-delete", args=["clause", clause.pk])
    client = login(chair)

    assert "Удалить" in client.get(url).content.decode()
    assert Clause.objects.filter(pk=clause.pk).exists()
    client.post(url)
    assert not Clause.objects.filter(pk=clause.pk).exists()


def test_a_member_cannot_edit_and_unknown_blocks_are_404(login, member, chair, contest):
    regulation = services.newest(contest)
    assert (
        login(member)
        .post(reverse("contests:block-add", args=[regulation.pk, "criterion"]), {"name": "x"})
        .status_code
        == 403
    )
    assert (
        login(chair)
        .get(reverse("contests:block-add", args=[regulation.pk, "nonsense"]))
        .status_code
        == 404
    )


def test_the_council_votes_on_the_page_and_the_chair_closes_the_vote(
    login, contest, chair, council, member
):
    regulation = services.newest(contest)
    deadline = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    login(chair).post(
        reverse("contests:regulation-send", args=[regulation.pk]), {"vote_deadline": deadline}
    )
    regulation.refresh_from_db()
    assert regulation.status == Regulation.Status.ON_REVIEW
    vote = reverse("contests:regulation-vote", args=[regulation.pk])

    assert login(member).post(vote, {"choice": "for"}).status_code == 403
    login(council).post(vote, {"choice": "against", "comment": "Поздно"})
    login(council).post(vote, {"choice": "for", "comment": "Согласна"})
    login(chair).post(vote, {"choice": "for"})
    assert CouncilVote.objects.count() == 2
    page = login(council).get(regulation.get_absolute_url()).content.decode()
    assert "Новый голос заменит прежний" in page

    login(chair).post(reverse("contests:regulation-close", args=[regulation.pk]))
    page = login(chair).get(regulation.get_absolute_url()).content.decode()
    assert "утверждено" in page and "за — 2" in page


def test_the_chair_records_a_meetings_decision(login, chair, contest, library):
    regulation = services.newest(contest)
    url = reverse("contests:regulation-decision", args=[regulation.pk])
    client = login(chair)
    assert (
        "Выберите вопрос повестки" in client.post(url, {"association": library.pk}).content.decode()
    )

    client.post(
        url, {"association": library.pk, "protocol_date": "2024-01-18", "protocol_number": "1"}
    )

    regulation.refresh_from_db()
    assert regulation.status == Regulation.Status.APPROVED
    pdf_page = client.get(regulation.get_absolute_url()).content.decode()
    assert "протокол от 18.01.2024 № 1" in pdf_page


def test_a_member_applies_with_a_file_and_sees_the_status(login, applicant, running, member):
    client = login(applicant)
    nomination = running.approved_regulation.nominations.first()
    response = client.post(
        reverse("contests:apply", args=[running.pk]),
        {
            "nomination": nomination.pk,
            "work_title": "Клуб",
            "consent": "on",
            "files": [pdf_upload()],
        },
    )
    application = Application.objects.get()
    assert response.url == application.get_absolute_url()
    assert "подана" in client.get(response.url).content.decode()
    assert login(member).get(response.url).status_code == 403


def test_a_wrong_file_or_missing_consent_is_shown_on_the_form(login, applicant, running):
    client = login(applicant)
    nomination = running.approved_regulation.nominations.first()
    url = reverse("contests:apply", args=[running.pk])
    fake = pdf_upload("work.pdf", b"not a pdf at all")

    page = client.post(
        url, {"nomination": nomination.pk, "consent": "on", "files": [fake]}
    ).content.decode()
    assert "Файл «work.pdf»: Содержимое файла не соответствует его имени" in page
    page = client.post(url, {"nomination": nomination.pk, "files": [pdf_upload()]}).content.decode()
    assert "согласия" in page
    page = client.post(url, {"nomination": "999999", "consent": "on"}).content.decode()
    assert "Выберите корректный вариант" in page
    assert not Application.objects.exists()


def test_applications_after_the_window_are_refused_with_the_date(login, applicant, running):
    regulation = running.approved_regulation
    Regulation.objects.filter(pk=regulation.pk).update(
        application_closes=timezone.localdate() - timedelta(days=1)
    )
    page = login(applicant).get(reverse("contests:apply", args=[running.pk])).content.decode()
    assert "Приём заявок закончился" in page


def accepted(running, applicant):
    application = services.submit_application(
        running, applicant, nomination=running.approved_regulation.nominations.first(),
        files=[pdf_upload()], consent=True,
    )  # fmt: skip
    return services.decide_application(application, accept=True)


def test_the_chair_accepts_appoints_a_juror_who_scores_then_results_are_published(
    login, chair, juror, applicant, running, member, django_capture_on_commit_callbacks
):
    application = accepted(running, applicant)
    chair_client = login(chair)
    chair_client.post(
        reverse("contests:jury", args=[running.pk]), {"member": juror.pk, "is_chair": "on"}
    )
    assert Juror.objects.filter(member=juror, is_chair=True).exists()
    criteria = list(running.approved_regulation.criteria.all())

    client = login(juror)
    scoring = reverse("contests:scoring", args=[running.pk])
    assert client.get(reverse("contests:results", args=[running.pk])).status_code == 403
    page = client.post(
        scoring, {"application": application.pk, f"c{criteria[0].pk}": "11"}, follow=True
    )
    assert "от 0 до 10" in page.content.decode() and not Score.objects.exists()
    client.post(
        scoring,
        {"application": application.pk, f"c{criteria[0].pk}": "9", f"c{criteria[1].pk}": "4,5"},
    )
    assert Score.objects.count() == 2
    client.post(reverse("contests:scoring-submit", args=[running.pk]))
    assert client.get(reverse("contests:results", args=[running.pk])).status_code == 200
    assert login(member).get(scoring).status_code == 403

    diploma = reverse("contests:diploma", args=[application.pk])
    chair_client = login(chair)
    with django_capture_on_commit_callbacks(execute=True):  # the diplomas are built at once
        chair_client.post(reverse("contests:results-approve", args=[running.pk]))
    assert login(applicant).get(diploma).status_code == 403  # not published yet
    login(chair).post(reverse("contests:results-publish", args=[running.pk]))

    assert login(None).get(reverse("contests:results", args=[running.pk])).status_code == 200
    response = login(applicant).get(diploma)
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # read, so closed
    assert login(member).get(diploma).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        login(chair).post(reverse("contests:protocol-pdf-request", args=[running.pk]))
    protocol = login(chair).get(reverse("contests:protocol-pdf", args=[running.pk]))
    assert b"".join(protocol.streaming_content).startswith(b"%PDF")


def test_removing_a_juror_asks_first(login, chair, juror, running):
    seat = services.appoint_juror(running, juror)
    url = reverse("contests:juror-remove", args=[seat.pk])
    assert "Исключить" in login(chair).get(url).content.decode()
    login(chair).post(url)
    assert not Juror.objects.exists()


def test_lists_are_paginated_and_empty_states_say_what_to_do(login, chair, member, running):
    assert "Создайте конкурс" not in login(chair).get(reverse("contests:list")).content.decode()
    page = login(chair).get(reverse("contests:applications", args=[running.pk])).content.decode()
    assert "Заявок пока нет" in page
    page = login(member).get(reverse("contests:external")).content.decode()
    assert "Записей пока нет" in page
    assert login(member).get(reverse("contests:list") + "?page=abc").status_code == 200


def test_the_chair_records_an_external_contest(login, chair, member, library):
    client = login(chair)
    client.post(
        reverse("contests:external-add"),
        {"association": library.pk, "contest_title": "Библиотекарь года", "level": "national",
         "year": 2024, "member": member.pk, "result": "лауреат"},
    )  # fmt: skip
    page = login(member).get(reverse("contests:external")).content.decode()
    assert "Библиотекарь года" in page and "лауреат" in page
    assert login(member).get(reverse("contests:external-add")).status_code == 403


def test_the_dashboard_shows_running_contests_and_votes_waiting(
    login, council, chair, contest, running
):
    other = services.create_contest(
        title="Золотая лира", year=2031, organizers=list(contest.organizers.all())
    )
    services.send_to_council(services.newest(other), deadline=timezone.now() + timedelta(days=2))
    page = login(council).get(reverse("home")).content.decode()
    assert "Проголосуйте: положение «Золотая лира»" in page
    assert "Лучший библиотекарь СПО" in page


def test_a_plan_item_and_an_agenda_item_link_to_the_contest(login, chair, library, running):
    from meetings.services import add_agenda_item, schedule_meeting

    meeting = schedule_meeting(library, year=2030, planned_month=1)
    item = add_agenda_item(meeting, title="Утверждение положения")
    regulation = services.newest(running)
    regulation.approvals.update(agenda_item=item)

    page = login(chair).get(meeting.get_absolute_url()).content.decode()
    assert regulation.get_absolute_url() in page
