"""Who sees what: a canary in Natalia's data bank must never reach a reader not allowed to see it.

Natalia sees her whole profile; the chair of her association and staff see the
data-bank fields; every other persona sees name, college and position only,
in pages, exports and the access log alike.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import AccessLog
from tests.members.conftest import CANARY, CANARY_PHONE

pytestmark = pytest.mark.django_db

ALLOWED = ("member", "chair", "staff")
NOT_ALLOWED = ("council", "curator", "approver", "other_chair")


def page_text(client, url) -> str:
    response = client.get(url)
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        workbook = load_workbook(io.BytesIO(response.content))
        return " ".join(
            str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True)
            for cell in row if cell is not None
        )  # fmt: skip
    return response.content.decode()


def urls(natalia, library) -> list[str]:
    return [
        reverse("members:profile", args=[natalia.pk]),
        reverse("members:directory"),
        reverse("members:directory") + "?q=Васильева",
        reverse("members:report", args=[library.slug]),
        reverse("members:report-xlsx", args=[library.slug]),
        reverse("members:export", args=[library.slug]),
        reverse("members:access-log"),
        reverse("members:my-data"),
        reverse("members:council", args=[library.slug]),
    ]


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_the_canary_never_reaches_a_reader_who_may_not_see_it(login, personas, natalia,
                                                               library, persona):  # fmt: skip
    client = login(personas[persona])

    for url in urls(natalia, library):
        text = page_text(client, url)
        assert CANARY not in text, url
        assert CANARY_PHONE not in text, url


@pytest.mark.parametrize("persona", ALLOWED)
def test_the_canary_reaches_natalia_her_chair_and_staff(login, personas, natalia, persona):
    client = login(personas[persona])

    text = page_text(client, reverse("members:profile", args=[natalia.pk]))

    assert CANARY in text
    assert CANARY_PHONE in text


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_other_members_see_name_college_and_position_only(login, personas, natalia, persona):
    text = page_text(login(personas[persona]), reverse("members:profile", args=[natalia.pk]))

    assert "Васильева Наталья Ивановна" in text
    assert "библиотекарь" in text
    assert natalia.organization.name in text
    assert 'data-testid="databank"' not in text
    assert natalia.email not in text


def test_the_chair_and_staff_exports_carry_the_data_bank(login, chair, staff, natalia, library):
    for persona in (chair, staff):
        text = page_text(login(persona), reverse("members:export", args=[library.slug]))
        assert CANARY in text  # the award sheet
        assert CANARY_PHONE in text


def test_every_view_and_export_of_the_data_bank_is_logged_without_values(
    login, chair, staff, natalia, library
):
    client = login(chair)
    client.get(reverse("members:profile", args=[natalia.pk]))
    client.get(reverse("members:report", args=[library.slug]))
    client.get(reverse("members:report-xlsx", args=[library.slug]))
    client.get(reverse("members:export", args=[library.slug]))

    entries = list(AccessLog.objects.order_by("pk").values_list("who", "action", "member_id"))
    assert entries == [
        (chair.full_name, AccessLog.Action.VIEW_PROFILE, natalia.pk),
        (chair.full_name, AccessLog.Action.VIEW_REPORT, None),
        (chair.full_name, AccessLog.Action.EXPORT_REPORT, None),
        (chair.full_name, AccessLog.Action.EXPORT_MEMBERS, None),
    ]
    log_page = login(staff).get(reverse("members:access-log"))
    assert log_page.status_code == 200
    assert "Лоскутова Светлана Николаевна" in log_page.text
    assert CANARY not in log_page.text and CANARY_PHONE not in log_page.text


def test_a_kept_report_page_still_logs_every_view_and_is_kept_for_its_reader_only(
    login, chair, other_chair, library, django_assert_max_num_queries
):
    url = reverse("members:report", args=[library.slug])
    client = login(chair)
    client.get(url)
    with django_assert_max_num_queries(5):  # kept: session, user, roles and the log entry
        kept = client.get(url)

    assert kept.status_code == 200
    views = AccessLog.objects.filter(action=AccessLog.Action.VIEW_REPORT, who=chair.full_name)
    assert views.count() == 2
    assert login(other_chair).get(url).status_code == 403


def test_natalia_reading_her_own_profile_is_not_logged(login, natalia):
    login(natalia).get(reverse("members:profile", args=[natalia.pk]))

    assert not AccessLog.objects.exists()


def test_a_chair_of_another_association_is_refused_the_report(login, other_chair, library):
    response = login(other_chair).get(reverse("members:report", args=[library.slug]))

    assert response.status_code == 403
    assert not AccessLog.objects.exists()
