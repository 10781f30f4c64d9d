"""Whatever folders the settings point to are created by Rumo itself, not by ./run."""

import os
import subprocess
import sys

from rumo.settings import BASE_DIR

ENQUEUE = (
    "import django; django.setup(); "
    "from rumo.tasks import sweep_documents_task; sweep_documents_task.delay()"
)


def local_env(tmp_path) -> dict:
    """Return the environment of a fresh checkout: no Redis, a var folder not created yet."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        PYTHONPATH=str(BASE_DIR),
        DJANGO_SETTINGS_MODULE="rumo.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        RUMO_VAR_DIR=str(tmp_path / "new" / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    return env


def test_a_task_is_queued_on_the_filesystem_broker_of_a_fresh_var_folder(tmp_path):
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()

    result = subprocess.run(
        [sys.executable, "-c", ENQUEUE],
        cwd=elsewhere,
        env=local_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    broker = tmp_path / "new" / "var" / "celery" / "broker"
    assert len(list(broker.iterdir())) == 1  # the message, waiting for a worker
    assert (tmp_path / "new" / "var" / "celery" / "processed").is_dir()
    assert list(elsewhere.iterdir()) == []  # nothing outside RUMO_VAR_DIR
