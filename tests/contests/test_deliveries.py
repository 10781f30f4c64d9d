"""Who got which e-mail about a contest: its chair and staff see the outbox rows of the
contest, its regulations and its applications, and of no other contest."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contests import services
from rumo.models import OutboxMessage
from tests.contests import draft_contest, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(running, applicant, member, library):
    """Galina's application received and accepted; Natalia's (no e-mail) received; another
    contest's regulation sent to the council."""
    nomination = running.approved_regulation.nominations.first()
    first = services.submit_application(
        running, applicant, nomination=nomination, files=[pdf_upload()], consent=True
    )
    services.decide_application(first, accept=True)
    member.email = ""
    member.save()
    services.submit_application(
        running, member, nomination=nomination, files=[pdf_upload()], consent=True
    )
    other = draft_contest(library, title="Золотая лира", year=2031)
    services.send_to_council(services.newest(other), deadline=timezone.now() + timedelta(days=2))
    return running


def test_the_chair_sees_who_got_which_contest_email(login, mailed, chair, applicant, member):
    url = reverse("contests:deliveries", args=[mailed.pk])
    page = login(chair).get(url).content.decode()
    assert 'data-testid="deliveries"' in page
    assert "Заявка на конкурс «Лучший библиотекарь СПО» получена" in page
    assert "Заявка на конкурс «Лучший библиотекарь СПО» принята" in page
    assert "galina@example.org" in page and member.full_name in page
    assert "нет адреса" in page  # Natalia has no address: she was not told
    assert "Золотая лира" not in page  # another contest's mail
    assert (
        "получена</td>" in page
        and "Заявка получена <span" in page
        and "Решение по заявке <span" in page
    )

    rows = OutboxMessage.objects.filter(kind="contests.application_received").count()
    assert rows == 2
    filtered = login(chair).get(url + "?kind=contests.application_decided").content.decode()
    assert "принята" in filtered and "получена</td>" not in filtered
    # An unknown kind shows everything rather than failing.
    assert login(chair).get(url + "?kind=<script>").status_code == 200


def test_only_the_chair_and_staff_see_the_contest_mail(
    login, mailed, staff, applicant, member, council
):
    url = reverse("contests:deliveries", args=[mailed.pk])
    assert login(staff).get(url).status_code == 200
    for person in (applicant, member, council):
        assert login(person).get(url).status_code == 403
    assert login(None).get(url).status_code == 302
