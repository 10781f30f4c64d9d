"""./run, the README's entry point: what it gives the processes it starts."""

import os
import subprocess

from rumo.settings import BASE_DIR


def dry_start(**env) -> list[str]:
    """Return what ``./run start --dry-run`` prints: the address and the environment."""
    base = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "RUMO_PORT"}}
    result = subprocess.run(
        ["bash", str(BASE_DIR / "run"), "start", "--dry-run"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_site_url_follows_the_port_of_run_start():
    printed = dry_start(RUMO_PORT="8123")

    assert "Адрес: http://127.0.0.1:8123/" in printed
    assert "SITE_URL=http://127.0.0.1:8123" in printed


def test_the_default_port_is_8000():
    assert "SITE_URL=http://127.0.0.1:8000" in dry_start()


def test_an_explicit_site_url_is_kept_whatever_the_port():
    printed = dry_start(RUMO_PORT="8123", SITE_URL="https://rumo.example.ru")

    assert "SITE_URL=https://rumo.example.ru" in printed
