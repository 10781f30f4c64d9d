"""The plan widgets of the home page: what waits for a signature, this year's plans."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership
from plans import services
from plans.models import Revision
from tests import factories
from tests.rumo.test_dashboard import text_of

pytestmark = pytest.mark.django_db
Status = Revision.Status


def home_as(client, member):
    client.logout()
    if member is not None:
        client.force_login(member.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.text


@pytest.fixture
def year():
    """This year in Moscow, read when the test runs: a run may cross New Year's midnight."""
    return timezone.localdate().year


@pytest.fixture
def current(chair, curator, approver, library, year):
    """This year's plan of the library association, still a draft."""
    return services.create_plan(library, year=year, by=chair).revisions.get()


def sign_up_to(revision, status, *, chair, curator=None):
    services.send_for_agreement(revision, by=chair)
    if status == Status.AGREED:
        services.agree_revision(revision, by=curator, on=timezone.localdate())
    revision.refresh_from_db()
    return revision


def test_curator_sees_the_plan_waiting_for_her_agreement(client, current, chair, curator, year):
    sign_up_to(current, Status.ON_AGREEMENT, chair=chair)

    card = text_of(home_as(client, curator), "data-testid", "waiting-for-signature")

    assert f"План работы на {year} год" in card
    assert "РУМО по библиотечному направлению" in card
    assert "ждёт согласования" in card
    assert current.get_absolute_url() in home_as(client, curator)


def test_approver_sees_only_agreed_plans(client, current, chair, curator, approver):
    sign_up_to(current, Status.ON_AGREEMENT, chair=chair)
    before = text_of(home_as(client, approver), "data-testid", "waiting-for-signature")

    services.agree_revision(current, by=curator, on=timezone.localdate())
    after = text_of(home_as(client, approver), "data-testid", "waiting-for-signature")
    curator_card = text_of(home_as(client, curator), "data-testid", "waiting-for-signature")

    assert "Сейчас ни один план не ждёт вашей подписи." in before
    assert "ждёт утверждения" in after
    assert "Сейчас ни один план не ждёт вашей подписи." in curator_card


def test_a_curator_of_another_association_is_not_asked(client, current, chair, philology):
    sign_up_to(current, Status.ON_AGREEMENT, chair=chair)
    stranger = factories.person("stranger", last_name="Петрова", first_name="Ирина")
    factories.MembershipFactory(member=stranger, association=philology, role="curator")

    card = text_of(home_as(client, stranger), "data-testid", "waiting-for-signature")

    assert "Сейчас ни один план не ждёт вашей подписи." in card


@pytest.mark.parametrize("persona", ["member", "council", "chair", "staff"])
def test_people_who_do_not_sign_have_no_signature_card(client, personas, persona):
    html = home_as(client, personas[persona])

    assert text_of(html, "data-testid", "waiting-for-signature") is None


def test_member_sees_this_years_plan_with_its_status(client, current, member, year):
    card = text_of(home_as(client, member), "data-testid", "plan-cards")

    assert f"План работы на {year} год" in card
    assert "черновик" in card
    assert "Создать план" not in card


def test_member_sees_the_approved_revision_while_a_new_one_is_drafted(
    client, current, chair, curator, approver, member
):
    sign_up_to(current, Status.AGREED, chair=chair, curator=curator)
    services.approve_revision(current, by=approver, on=timezone.localdate())
    services.start_revision(current.plan, by=chair)

    html = home_as(client, member)
    card = text_of(html, "data-testid", "plan-cards")

    assert "черновик, ред. 2" in card
    assert "Действует утверждённая редакция 1." in card
    assert current.get_absolute_url() in html


def test_chair_is_offered_to_create_the_missing_plan(client, chair, library, year):
    html = home_as(client, chair)
    card = text_of(html, "data-testid", "plan-cards")

    assert f"Плана на {year} год пока нет." in card
    assert f"Создать план на {year} год" in card
    assert f"{reverse('plans:create')}?association={library.pk}&amp;year={year}" in html


def test_chair_with_this_years_plan_is_offered_next_years(client, current, chair, year):
    card = text_of(home_as(client, chair), "data-testid", "plan-cards")

    assert f"Создать план на {year + 1} год" in card


def test_chair_sees_the_plan_was_returned(client, current, chair, curator, year):
    sign_up_to(current, Status.ON_AGREEMENT, chair=chair)
    services.return_revision(current, by=curator, comment="Уточните сроки.")

    chair_html = home_as(client, chair)
    member_html = home_as(client, curator)

    assert f"План работы на {year} год: вернули на доработку." in text_of(
        chair_html, "data-testid", "returned-notice"
    )
    assert text_of(member_html, "data-testid", "returned-notice") is None


def test_visitor_sees_the_published_plans(client, current, chair, curator, approver, year):
    assert text_of(home_as(client, None), "data-testid", "published-plans") is None
    sign_up_to(current, Status.AGREED, chair=chair, curator=curator)
    services.approve_revision(current, by=approver, on=timezone.localdate())

    html = home_as(client, None)

    published = text_of(html, "data-testid", "published-plans")
    assert f"План работы РУМО по библиотечному направлению на {year} год" in published
    assert current.get_absolute_url() in html


def test_home_page_query_count_does_not_grow_with_plans(
    client, chair, curator, library, philology, django_assert_max_num_queries, year
):
    for association in (library, philology):
        for role in (Membership.Role.APPROVER, Membership.Role.CHAIR):
            factories.MembershipFactory(member=curator, association=association, role=role)
    factories.MembershipFactory(member=curator, association=philology, role="curator")
    client.force_login(curator.user)
    # Plans, this month, signatures, meetings, contests, when the next meeting starts.
    with django_assert_max_num_queries(12):
        client.get(reverse("home"))

    for association in (library, philology):
        for plan_year in (year - 1, year, year + 1):
            revision = services.create_plan(association, year=plan_year, by=chair).revisions.get()
            services.send_for_agreement(revision, by=chair)

    with django_assert_max_num_queries(12):
        html = client.get(reverse("home")).text
    assert html.count("ждёт согласования") == 6
