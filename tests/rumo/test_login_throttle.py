"""Locks by account and address, slow-downs by either alone, and staff lifting a lock."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.rumo.test_auth import LOCKED_OUT, sign_in, wait_out_the_slowdown

pytestmark = pytest.mark.django_db

SLOWED = "Пароль не проверялся: повторите попытку через"


def test_someone_elsewhere_cannot_lock_the_chair_out(client, chair):
    for _ in range(6):
        sign_in(client, "svetlana", "guess", address="203.0.113.7")
        wait_out_the_slowdown()
    assert LOCKED_OUT in sign_in(client, "svetlana", PASSWORD, address="203.0.113.7").text

    wait_out_the_slowdown()
    response = sign_in(client, "svetlana", PASSWORD, address="10.0.0.5")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(chair.user.pk)


def test_failures_slow_the_account_down_without_checking_the_password(client, chair):
    for _ in range(3):
        sign_in(client, "svetlana", "guess", address="10.0.0.5")

    slowed = sign_in(client, "svetlana", PASSWORD, address="10.0.0.5")

    assert slowed.status_code == 200
    assert SLOWED in slowed.text
    assert "_auth_user_id" not in client.session
    wait_out_the_slowdown()
    assert sign_in(client, "svetlana", PASSWORD, address="10.0.0.5").status_code == 302


def test_guesses_spread_over_addresses_are_slowed_on_the_account(client, chair):
    for number in range(3):
        sign_in(client, "svetlana", "guess", address=f"198.51.100.{number}")

    response = sign_in(client, "svetlana", "guess", address="198.51.100.99")

    assert SLOWED in response.text


def test_guesses_spread_over_accounts_are_slowed_on_the_address(client, chair):
    for number in range(10):
        sign_in(client, f"someone{number}", "guess", address="192.0.2.1")

    response = sign_in(client, "svetlana", PASSWORD, address="192.0.2.1")

    assert SLOWED in response.text
    assert "_auth_user_id" not in client.session


def test_staff_see_a_lock_and_lift_it(client, chair, staff):
    for _ in range(5):
        sign_in(client, "svetlana", "guess")
        wait_out_the_slowdown()
    assert LOCKED_OUT in sign_in(client, "svetlana", PASSWORD).text
    page = reverse("members:member-detail", args=[chair.pk])
    client.force_login(staff.user)

    shown = client.get(page).text
    assert "Вход заблокирован" in shown
    assert "127.0.0.1" in shown
    lifted = client.post(reverse("members:login-unlock", args=[chair.pk]), follow=True)
    assert "Блокировка входа снята" in lifted.text
    assert "Вход заблокирован" not in client.get(page).text

    client.logout()
    assert sign_in(client, "svetlana", PASSWORD).status_code == 302


def test_only_staff_lift_locks(client, chair, member):
    client.force_login(member.user)
    response = client.post(reverse("members:login-unlock", args=[chair.pk]))
    assert response.status_code == 403
