"""Signing in, lockout after repeated failures, password reset by e-mail, signing out."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from axes.models import AccessFailureLog
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.urls import reverse

from rumo import outbox
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG_CREDENTIALS = "Пожалуйста, введите правильные имя пользователя и пароль."
LOCKED_OUT = "Слишком много неудачных попыток входа в эту учётную запись."
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password-reset/[^/\s]+/[^/\s]+/)")


def sign_in(client, username, password, address="127.0.0.1"):
    data = {"username": username, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=address)


def wait_out_the_slowdown():
    """Let the slow-down after each failure pass (rumo/accounts.py), as a patient person would."""
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=1))


def test_login_page_speaks_russian(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.text
    assert '<html lang="ru">' in html
    for text in ("Вход в Rumo", "Имя пользователя", "Пароль", "Войти", "Забыли пароль?"):
        assert text in html


def test_correct_password_opens_the_dashboard(client, chair):
    response = sign_in(client, "svetlana", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "Здравствуйте, Светлана!" in client.get(reverse("home")).text


def test_wrong_password_shows_a_russian_error_and_keeps_the_username(client, chair):
    response = sign_in(client, "svetlana", "not the password")

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.text
    assert 'value="svetlana"' in response.text
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_but_not_other_accounts(client, chair, member):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        sign_in(client, "svetlana", "not the password")
        wait_out_the_slowdown()

    response = sign_in(client, "svetlana", PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert LOCKED_OUT in response.text
    assert "_auth_user_id" not in client.session
    other = sign_in(client, "natalia", PASSWORD)
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(member.user.pk)


def test_four_failures_do_not_lock_the_account(client, chair):
    for _ in range(4):
        sign_in(client, "svetlana", "not the password")
        wait_out_the_slowdown()

    assert sign_in(client, "svetlana", PASSWORD).status_code == 302


def request_reset(client, email):
    """Ask for a reset link; the e-mail is an outbox row, sent here as the worker would."""
    response = client.post(reverse("password_reset"), {"email": email}, follow=True)
    outbox.send_due()
    return response


def test_password_reset_sends_one_russian_email_with_a_working_link(client, chair):
    response = request_reset(client, "svetlana@example.org")

    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["svetlana@example.org"]
    assert message.subject == "Rumo: восстановление пароля"
    assert "Здравствуйте!" in message.body
    assert "Имя для входа: svetlana" in message.body
    link = RESET_LINK.search(message.body).group(1)

    form = client.get(link, follow=True)
    assert "Задайте новый пароль" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "новый пароль для Rumo", "new_password2": "новый пароль для Rumo"},
        follow=True,
    )

    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "Теперь можно войти с новым паролем." in done.text
    assert sign_in(client, "svetlana", "новый пароль для Rumo").status_code == 302
    client.logout()
    assert sign_in(client, "svetlana", PASSWORD).status_code == 200


def test_password_reset_link_works_only_once(client, chair):
    request_reset(client, "svetlana@example.org")
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = {"new_password1": "новый пароль для Rumo", "new_password2": "новый пароль для Rumo"}
    client.post(form.redirect_chain[-1][0], new)

    again = client.get(link, follow=True)

    assert "Ссылка недействительна" in again.text


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, chair):
    known = request_reset(client, "svetlana@example.org")
    mail.outbox.clear()

    unknown = request_reset(client, "nobody@example.org")

    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.status_code == known.status_code == 200
    assert [t.name for t in unknown.templates] == [t.name for t in known.templates]
    sent_notice = 'data-testid="reset-sent">Если этот адрес привязан к учётной записи'
    assert sent_notice in unknown.text
    assert sent_notice in known.text


def test_logout_requires_post(client, chair):
    client.force_login(chair.user)

    assert client.get(reverse("logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(chair.user.pk)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "_auth_user_id" not in client.session
    assert "Войти" in client.get(reverse("home")).text


def test_a_logged_out_htmx_request_is_sent_to_the_login_page_whole(client, chair, library):
    from plans import services as plans

    revision = plans.create_plan(library, year=2031, by=chair).revisions.get()
    page = f"http://testserver{revision.get_absolute_url()}"
    header = revision.sections.first()

    response = client.post(
        reverse("plans:section-edit", args=[header.pk]),
        {"title": "Новое"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=page,
    )

    assert response.status_code == 200
    assert response.content == b""
    login, _, back = response["HX-Redirect"].partition("?next=")
    assert login == reverse("login")
    assert unquote(back) == revision.get_absolute_url()
