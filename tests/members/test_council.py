"""Council terms: the council elected at meeting № 1 for the year, and the history."""

from datetime import date

import pytest
from django.urls import reverse

from members import services
from members.models import CouncilElection, Membership
from tests import factories

pytestmark = pytest.mark.django_db
Role = Membership.Role


def elect(library, year, seats, by):
    return services.record_council_election(
        library, year=year, elected_on=date(year, 1, 25), term_start=date(year, 1, 25),
        term_end=date(year, 12, 31), basis=f"протокол заседания № 1 от 25.01.{year}, вопрос 3",
        seats=seats, by=by.user, source="meetings.agendaitem:42",
    )  # fmt: skip


def test_an_election_records_each_seat_with_its_term_and_basis(library, chair, council, staff):
    election = elect(library, 2024, [(chair, Role.CHAIR), (council, Role.COUNCIL)], staff)

    seats = election.seats.order_by("role")
    assert [(s.member, s.role, s.start, s.end) for s in seats] == [
        (chair, Role.CHAIR, date(2024, 1, 25), date(2024, 12, 31)),
        (council, Role.COUNCIL, date(2024, 1, 25), date(2024, 12, 31)),
    ]
    assert seats[0].note == "протокол заседания № 1 от 25.01.2024, вопрос 3"
    assert election.source == "meetings.agendaitem:42"


def test_a_new_council_closes_the_terms_still_open_and_keeps_history(library, chair, council,
                                                                     staff):  # fmt: skip
    newcomer = factories.MemberFactory(last_name="Новикова")
    open_term = council.memberships.get(role=Role.COUNCIL)  # from 2024-01-01, no end

    elect(library, 2025, [(chair, Role.CHAIR), (newcomer, Role.COUNCIL)], staff)

    open_term.refresh_from_db()
    assert open_term.end == date(2025, 1, 24)
    seats = Membership.objects.filter(member=council, role=Role.COUNCIL)
    assert not seats.active(date(2025, 6, 1)).exists()
    assert seats.active(date(2024, 6, 1)).exists()


def test_the_history_page_lists_councils_by_year(login, library, chair, council, member, staff):
    elect(library, 2024, [(chair, Role.CHAIR), (council, Role.COUNCIL)], staff)
    elect(library, 2025, [(chair, Role.CHAIR)], staff)

    response = login(member).get(reverse("members:council", args=[library.slug]))

    text = response.text
    assert text.index("Совет на 2025 год") < text.index("Совет на 2024 год")
    assert "Иванова Марина Алексеевна" in text
    assert "протокол заседания № 1 от 25.01.2024, вопрос 3" in text
    assert "Записать выборы" not in text


def test_the_chair_records_an_election_through_the_form(login, library, chair, council, member):
    response = login(chair).post(reverse("members:council-create", args=[library.slug]), {
        "year": 2024, "elected_on": "2024-01-25", "term_start": "2024-01-25",
        "term_end": "2024-12-31", "basis": "протокол № 1", "chair": chair.pk,
        "council": [council.pk, member.pk],
    })  # fmt: skip

    assert response.status_code == 302
    election = CouncilElection.objects.get()
    assert election.seats.count() == 3


FORM = {
    "year": 2024, "elected_on": "2024-01-25", "term_start": "2024-01-25",
    "term_end": "2024-12-31", "basis": "протокол № 1",
}  # fmt: skip


def test_the_same_year_twice_is_refused_with_a_message(login, library, chair, staff):
    elect(library, 2024, [(chair, Role.CHAIR)], staff)

    response = login(staff).post(
        reverse("members:council-create", args=[library.slug]), FORM | {"chair": chair.pk}
    )

    assert response.status_code == 200
    assert "Совет на этот год уже записан." in response.text
    assert CouncilElection.objects.count() == 1


def test_a_term_ending_before_it_starts_is_refused(login, library, chair):
    response = login(chair).post(
        reverse("members:council-create", args=[library.slug]),
        FORM | {"chair": chair.pk, "term_end": "2023-12-31"},
    )

    assert "Окончание полномочий раньше начала." in response.text
    assert not CouncilElection.objects.exists()
