"""Production settings come from the environment and refuse unsafe values."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from rumo.settings import BASE_DIR, env_bool

SECRET = "rumo-test-" + "Zq7!xV2#pL9@" * 5  # 70 characters, many distinct


@pytest.fixture
def production_env(tmp_path):
    """The environment of a production deployment, using rumo.settings itself."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="rumo.settings",
        DJANGO_DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="rumo.example.ru",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        EMAIL_HOST="smtp.example.ru",
        RUMO_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    for name in (
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # a test-only switch; the deploy check rejects it
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "CSRF_TRUSTED_ORIGINS",
    ):
        env.pop(name, None)
    return env


def run(env, *args):
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def print_settings(env, *names):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(*(getattr(settings, n) for n in {names!r}))"
    )
    result = run(env, "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_deploy_check_finds_no_issues_in_production(production_env):
    result = run(production_env, "manage.py", "check", "--deploy")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_deploy_check_flags_production_without_a_mail_server(production_env):
    del production_env["EMAIL_HOST"]

    result = run(production_env, "manage.py", "check", "--deploy")

    assert result.returncode != 0
    assert "mail.E001" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("SECRET_KEY", ""), ("SECRET_KEY", "too-short"), ("ALLOWED_HOSTS", "")],
)
def test_production_refuses_to_start_without_a_secret_or_hosts(production_env, name, value):
    production_env[name] = value

    result = run(production_env, "manage.py", "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_production_cookies_are_secure(production_env):
    assert print_settings(
        production_env, "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"
    ) == ["False", "True", "True"]


def test_development_defaults_need_no_environment(production_env):
    for name in ("DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"):
        del production_env[name]

    assert print_settings(production_env, "DEBUG", "SESSION_COOKIE_SECURE") == ["True", "False"]


@pytest.mark.parametrize("raw", ["maybe", "да", "2"])
def test_env_bool_rejects_values_that_are_not_yes_or_no(monkeypatch, raw):
    monkeypatch.setenv("RUMO_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="RUMO_TEST_FLAG must be true or false"):
        env_bool("RUMO_TEST_FLAG", False)


@pytest.mark.parametrize(("raw", "expected"), [("TRUE", True), (" off ", False), ("", True)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("RUMO_TEST_FLAG", raw)

    assert env_bool("RUMO_TEST_FLAG", True) is expected


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get(reverse("login"))

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy
    # Scripts come from our own static files only; a nonce is added when a template uses one.
    assert "script-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
