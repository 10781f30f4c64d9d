"""Collection campaigns: the personal link, one-click confirmation, live completion."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members import campaigns, services
from members.models import Campaign
from members.tokens import campaign_path, campaign_token, read_campaign_token
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


def test_the_invitation_text_carries_the_personal_link(settings, campaign, natalia):
    settings.SITE_URL = "https://rumo.example.org"

    subject, body = campaigns.invitation_message(campaign, natalia, reminder=True)

    assert subject == "Напоминание: Банк данных 2025"
    assert "https://rumo.example.org" + campaign_path(campaign.pk, natalia.pk) in body
    assert "Здравствуйте, Наталья!" in body
