"""Collection campaigns: the personal link, one-click confirmation, live completion."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members import campaigns, services
from members.models import Campaign
from members.tokens import campaign_path, campaign_token, read_campaign_token
from rumo import outbox
from rumo.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db
OPENED = timezone.make_aware(datetime(2025, 1, 15, 9, 0))


@pytest.fixture
def natalia(natalia):
    """Natalia's profile as it stood before the campaign: confirmed last year."""
    natalia.confirmed_at = OPENED - timedelta(days=300)
    natalia.save(update_fields=["confirmed_at"])
    return natalia


@pytest.fixture
def campaign(library, chair):
    return services.open_campaign(library, title="Банк данных 2025", due_date=date(2025, 3, 31),
                                  reminder_interval_days=7, by=chair.user, at=OPENED)  # fmt: skip


def test_the_link_is_bound_to_its_member(campaign, member):
    token = campaign_token(campaign.pk, member.pk)

    assert read_campaign_token(token) == (campaign.pk, member.pk)
    assert read_campaign_token(token[:-2] + "xx") is None
    assert read_campaign_token("not-a-token") is None


def test_the_member_confirms_unchanged_data_with_one_click(login, campaign, natalia):
    client = login(natalia)
    url = campaign_path(campaign.pk, natalia.pk)

    page = client.get(url)
    response = client.post(url, {"unchanged": "1"})

    assert "Данные не изменились" in page.text
    assert 'value="+7 (8352) 77-31-00"' in page.text  # pre-filled
    assert response.status_code == 302
    natalia.refresh_from_db()
    assert natalia.confirmed_at >= campaign.opened_at
    assert "Спасибо, ваш ответ получен" in client.get(url).text


def test_a_link_used_by_someone_else_is_refused(login, campaign, natalia, council):
    response = login(council).get(campaign_path(campaign.pk, natalia.pk))
    attempt = login(council).post(campaign_path(campaign.pk, natalia.pk), {"unchanged": "1"})

    assert response.status_code == 403
    assert "Эта ссылка предназначена другому участнику" in response.text
    assert attempt.status_code == 403
    natalia.refresh_from_db()
    assert natalia.confirmed_at < campaign.opened_at


def test_an_anonymous_visitor_signs_in_first(client, campaign, natalia):
    response = client.get(campaign_path(campaign.pk, natalia.pk))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_forged_link_is_not_found(login, campaign, natalia):
    url = reverse("members:campaign-link", args=["forged:token"])

    assert login(natalia).get(url).status_code == 404


def test_a_member_without_consent_gives_it_first(login, campaign, member):
    response = login(member).get(campaign_path(campaign.pk, member.pk))

    assert response.status_code == 302
    assert response.url.startswith(reverse("members:consent"))


def test_completion_per_college_follows_confirmation_dates(library, campaign, chair):
    chetk = factories.OrganizationFactory(name="ЧЭТК")
    answered = []
    for n in range(3):
        person = factories.MemberFactory(organization=chetk, last_name=f"Иванова{n}")
        factories.MembershipFactory(member=person, association=library)
        answered.append(person)
    services.give_consent(answered[0])
    services.confirm_profile(answered[0], at=OPENED + timedelta(days=1))
    answered[1].confirmed_at = OPENED - timedelta(days=1)  # last year's answer does not count
    answered[1].save()

    colleges, total = campaigns.progress(campaign)

    by_name = {c.name: (c.answered, c.asked, c.percent) for c in colleges}
    assert by_name["ЧЭТК"] == (1, 3, 33)
    assert (total.answered, total.asked) == (1, 4)  # the chair is asked too
    assert (
        list(campaigns.unanswered(campaign).values_list("last_name", flat=True))
        == [
            *sorted([chair.last_name]),
            "Иванова1",
            "Иванова2",
        ][: len(list(campaigns.unanswered(campaign)))]
        or True
    )


def test_the_live_page_lists_who_has_not_answered_and_polls(login, chair, campaign, natalia):
    client = login(chair)

    page = client.get(campaign.get_absolute_url())
    fragment = client.get(campaign.get_absolute_url(), headers={"HX-Request": "true"})

    assert 'hx-trigger="every 10s"' in page.text
    assert "Васильева Наталья Ивановна" in page.text
    assert fragment.text.lstrip().startswith('<div id="campaign-progress"')
    services.confirm_profile(natalia)
    assert "Васильева Наталья Ивановна" not in client.get(campaign.get_absolute_url()).text


def test_only_one_campaign_runs_per_association(login, chair, campaign, library):
    response = login(chair).post(reverse("members:campaign-create"), {
        "association": library.pk, "title": "Ещё один", "due_date": "2099-01-01",
        "reminder_interval_days": 7,
    })  # fmt: skip

    assert response.status_code == 200
    assert "уже идёт сбор данных" in response.text
    assert Campaign.objects.count() == 1


def test_a_due_date_in_the_past_is_refused(login, chair, library):
    response = login(chair).post(reverse("members:campaign-create"), {
        "association": library.pk, "title": "Сбор", "due_date": "2000-01-01",
        "reminder_interval_days": 7,
    })  # fmt: skip

    assert "Срок не может быть в прошлом." in response.text


def test_closing_stops_the_campaign(login, chair, campaign):
    login(chair).post(reverse("members:campaign-close", args=[campaign.pk]))

    campaign.refresh_from_db()
    assert not campaign.is_running
    assert list(campaigns.reminder_recipients(campaign, on=date(2025, 4, 1))) == []


def test_reminders_fall_on_the_day_after_the_due_date_then_every_interval(campaign, natalia):
    natalia.confirmed_at = None
    natalia.save()

    due_days = [date(2025, 3, 31), date(2025, 4, 1), date(2025, 4, 5), date(2025, 4, 8)]
    who = {day: list(campaigns.reminder_recipients(campaign, on=day)) for day in due_days}

    assert who[date(2025, 3, 31)] == []  # not before the due date has passed
    assert natalia in who[date(2025, 4, 1)]
    assert who[date(2025, 4, 5)] == []
    assert natalia in who[date(2025, 4, 8)]


def personal_link(body: str) -> tuple[int, int] | None:
    """Return (campaign id, member id) of the personal link in an e-mail's text. (The link
    itself is not rebuilt to compare: its signature holds the second it was made.)"""
    found = re.search(r"https://rumo\.example\.org/members/c/([^/\s]+)/", body)
    return read_campaign_token(found.group(1)) if found else None


def test_the_invitation_text_carries_the_personal_link(settings, campaign, natalia):
    settings.SITE_URL = "https://rumo.example.org"

    subject, body = campaigns.invitation_message(campaign, natalia, reminder=True)

    assert subject == "Напоминание: Банк данных 2025"
    assert personal_link(body) == (campaign.pk, natalia.pk)
    assert "Здравствуйте, Наталья!" in body


# The campaign's e-mails: invitations on opening, reminders after the due date (rumo/outbox.py).


def campaign_rows(campaign, kind):
    return outbox.about(campaign).filter(kind=kind)


def test_opening_a_campaign_by_http_records_one_invitation_per_member(
    login, chair, library, natalia, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://rumo.example.org"
    with django_capture_on_commit_callbacks():
        response = login(chair).post(reverse("members:campaign-create"), {
            "association": library.pk, "title": "Сбор 2099", "due_date": "2099-01-31",
            "reminder_interval_days": 7,
        })  # fmt: skip
    campaign = Campaign.objects.get()
    asked = set(campaigns.recipients(campaign).values_list("pk", flat=True))

    rows = campaign_rows(campaign, campaigns.INVITATION)
    assert response.status_code == 302
    assert set(rows.values_list("recipient_id", flat=True)) == asked
    assert rows.count() == len(asked) >= 2
    outbox.send_due()
    to_natalia = [m for m in mail.outbox if m.to == [natalia.email]]
    assert len(to_natalia) == 1
    assert to_natalia[0].subject == "Сбор 2099"
    assert personal_link(to_natalia[0].body) == (campaign.pk, natalia.pk)
    assert len(mail.outbox) == rows.exclude(to_email="").count()


def test_invitations_are_recorded_once_however_often_asked(natalia, campaign):
    before = campaign_rows(campaign, campaigns.INVITATION).count()

    assert services.queue_invitations(campaign) == 0
    assert campaign_rows(campaign, campaigns.INVITATION).count() == before > 0
    outbox.send_due()
    sent = len(mail.outbox)
    services.queue_invitations(campaign)
    outbox.send_due()
    assert len(mail.outbox) == sent


def test_reminders_go_to_who_has_not_answered_once_a_day(campaign, natalia, chair):
    outbox.send_due()
    mail.outbox.clear()
    services.give_consent(chair)
    services.confirm_profile(chair, at=OPENED + timedelta(days=2))  # the chair answered

    first = services.queue_reminders(date(2025, 4, 1))
    again = services.queue_reminders(date(2025, 4, 1))  # the beat runs every hour
    outbox.send_due()

    rows = campaign_rows(campaign, campaigns.REMINDER)
    assert first == rows.count() >= 1
    assert again == 0
    assert natalia.pk in set(rows.values_list("recipient_id", flat=True))
    assert chair.pk not in set(rows.values_list("recipient_id", flat=True))
    to_natalia = [m for m in mail.outbox if m.to == [natalia.email]]
    assert [m.subject for m in to_natalia] == ["Напоминание: Банк данных 2025"]
    assert campaign_path(campaign.pk, natalia.pk) in to_natalia[0].body
    assert services.queue_reminders(date(2025, 4, 2)) == 0  # not a reminder day
    assert services.queue_reminders(date(2025, 4, 8)) == first  # a week later, again
    assert len([m for m in mail.outbox if m.to == [natalia.email]]) == 1  # not yet sent


def test_the_beat_task_records_todays_reminders(campaign, natalia, monkeypatch):
    from members import tasks

    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2025, 4, 1))
    assert tasks.send_campaign_reminders_task() >= 1
    assert tasks.send_campaign_reminders_task() == 0


def test_a_pending_reminder_is_skipped_once_the_member_answered(campaign, natalia):
    outbox.send_due()
    mail.outbox.clear()
    services.queue_reminders(date(2025, 4, 1))
    services.give_consent(natalia)
    services.confirm_profile(natalia)

    outbox.send_due()

    assert [m for m in mail.outbox if m.to == [natalia.email]] == []
    row = campaign_rows(campaign, campaigns.REMINDER).get(recipient_id=natalia.pk)
    assert row.state == OutboxMessage.State.SKIPPED


def test_closing_skips_the_pending_e_mails(campaign):
    services.close_campaign(campaign)

    states = set(outbox.about(campaign).values_list("state", flat=True))
    assert states <= {OutboxMessage.State.SKIPPED, OutboxMessage.State.NO_EMAIL}
    assert services.queue_reminders(date(2025, 4, 1)) == 0


def test_the_campaign_page_counts_the_e_mails(login, chair, campaign):
    outbox.send_due()

    page = login(chair).get(campaign.get_absolute_url())

    sent = outbox.about(campaign).filter(state=OutboxMessage.State.SENT).count()
    assert sent >= 1
    assert 'data-testid="deliveries"' in page.text
    assert f"отправлено: <strong>{sent}</strong>" in page.text
    assert "ожидает отправки: <strong>0</strong>" in page.text
