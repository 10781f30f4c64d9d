"""Password reset: throttled per address and per client, the e-mail written in the background,
and a request that does the same work whatever address it names."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rumo import accounts, outbox, tasks
from rumo.models import OutboxMessage

pytestmark = pytest.mark.django_db

SENT_NOTICE = 'data-testid="reset-sent">Если этот адрес привязан к учётной записи'


@pytest.fixture
def handed_over():
    """The reset requests handed to the background task (which still runs, inline)."""
    task = tasks.password_reset_task
    with mock.patch.object(task, "delay", wraps=task.delay) as delay:
        yield delay


def ask(client, email, address="192.0.2.1"):
    response = client.post(
        reverse("password_reset"), {"email": email}, follow=True, REMOTE_ADDR=address
    )
    outbox.send_due()
    return response


def test_twelve_requests_put_at_most_three_mails_in_one_mailbox(client, chair, handed_over):
    # From twelve client addresses, so that only the limit per address applies.
    responses = [ask(client, "svetlana@example.org", f"192.0.2.{n}") for n in range(1, 13)]

    assert handed_over.call_count == accounts.RESET_MAILS_PER_ADDRESS == 3
    # (Requests within one second make the same token: the outbox keeps one of them.)
    assert 1 <= len(mail.outbox) <= 3
    assert {m.to[0] for m in mail.outbox} == {"svetlana@example.org"}
    assert OutboxMessage.objects.filter(kind="password_reset").count() == len(mail.outbox)
    # Past the limit the visitor sees exactly what he saw before it.
    for response in responses:
        assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
        assert SENT_NOTICE in response.text


def test_the_limit_per_address_ignores_case_and_spaces(client, chair, handed_over):
    for email in ["svetlana@example.org", "SVETLANA@example.org", " Svetlana@Example.org "] * 2:
        ask(client, email)

    assert handed_over.call_count == 3


def test_one_client_cannot_spray_requests_over_many_addresses(client, chair, handed_over):
    for n in range(accounts.RESET_REQUESTS_PER_CLIENT):
        ask(client, f"nobody{n}@example.org", "198.51.100.7")

    throttled = ask(client, "svetlana@example.org", "198.51.100.7")

    assert mail.outbox == []
    assert handed_over.call_count == accounts.RESET_REQUESTS_PER_CLIENT
    assert SENT_NOTICE in throttled.text
    ask(client, "svetlana@example.org", "198.51.100.8")  # someone else is not held back
    assert [m.to for m in mail.outbox] == [["svetlana@example.org"]]


def test_the_limits_pass_with_their_window(client, chair, handed_over):
    for n in range(1, 5):
        ask(client, "svetlana@example.org", f"192.0.2.{n}")
    assert handed_over.call_count == 3

    accounts.cache.clear()  # the hour is over: its counts have expired
    ask(client, "svetlana@example.org")

    assert handed_over.call_count == 4


def request_structure(client, email):
    """Return what a reset request does within the request: its SQL and what it hands over."""
    with (
        mock.patch("rumo.tasks.password_reset_task.delay") as delay,
        mock.patch("rumo.forms.OutboxPasswordResetForm.get_users") as get_users,
        mock.patch("rumo.forms.OutboxPasswordResetForm.send_mail") as send_mail,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.post(
            reverse("password_reset"), {"email": email}, REMOTE_ADDR="203.0.113.5"
        )
    return {
        "status": response.status_code,
        "location": response["Location"],
        "sql": [q["sql"] for q in queries.captured_queries],
        "handed_over": [call.args for call in delay.call_args_list],
        "looked_up": get_users.call_count,
        "rendered_mail": send_mail.call_count,
    }


def test_known_and_unknown_addresses_take_the_same_path_in_the_request(client, chair):
    known = request_structure(client, "svetlana@example.org")
    unknown = request_structure(client, "nobody@example.org")

    # Neither request looks the address up, touches the users or renders an e-mail…
    assert known["looked_up"] == unknown["looked_up"] == 0
    assert known["rendered_mail"] == unknown["rendered_mail"] == 0
    assert not any("auth_user" in sql for sql in known["sql"] + unknown["sql"])
    # … both hand the address to the background task and answer alike.
    assert known["handed_over"] == [("svetlana@example.org",)]
    assert unknown["handed_over"] == [("nobody@example.org",)]
    assert known["sql"] == unknown["sql"]
    assert (known["status"], known["location"]) == (unknown["status"], unknown["location"])
    assert known["location"] == reverse("password_reset_done")


def test_the_background_task_writes_the_mail_to_the_outbox_for_a_known_address_only(chair):
    from rumo.tasks import password_reset_task

    password_reset_task("nobody@example.org")
    assert not OutboxMessage.objects.exists()

    password_reset_task("svetlana@example.org")

    row = OutboxMessage.objects.get()
    assert (row.kind, row.to_email) == ("password_reset", "svetlana@example.org")
    assert row.subject == "Rumo: восстановление пароля"


def test_a_broker_that_is_down_does_not_break_the_page_nor_lose_the_request(client, chair):
    with mock.patch("rumo.tasks.password_reset_task.delay", side_effect=OSError("no broker")):
        response = client.post(reverse("password_reset"), {"email": "svetlana@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    # The e-mail waits in the outbox for the workers, as every other one does.
    row = OutboxMessage.objects.get()
    assert (row.kind, row.to_email) == ("password_reset", "svetlana@example.org")


def test_an_invalid_address_is_refused_with_a_message_and_kept(client):
    response = client.post(reverse("password_reset"), {"email": "not an address"})

    assert response.status_code == 200
    assert "Введите правильный адрес электронной почты." in response.text
    assert 'value="not an address"' in response.text


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_the_count_lasts_its_whole_window_in_every_cache(settings, tmp_path, backend):
    """The file cache (development, no Redis) must not cut the hour to its default 5 minutes."""
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path / "cache")}}
    hour_start = 3600 * 490_000
    try:
        with mock.patch("time.time", return_value=hour_start + 10):
            for _ in range(3):
                accounts.count_within("test:window", timedelta(hours=1))
        with mock.patch("time.time", return_value=hour_start + 10 + 20 * 60):
            assert accounts.count_within("test:window", timedelta(hours=1)) == 4
        with mock.patch("time.time", return_value=hour_start + 3600 + 10):
            assert accounts.count_within("test:window", timedelta(hours=1)) == 1  # a new hour
    finally:
        caches["default"].clear()
