"""The Celery application: configured from Django settings (CELERY_*)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumo.settings")

app = Celery("rumo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def create_local_folders(sender, source, **kwargs):
    """Create the folders of the filesystem broker and of the beat schedule next to it.

    The filesystem transport fails on a folder that does not exist, and the
    settings may point anywhere (RUMO_VAR_DIR): every process that sends or
    receives a task creates them, so a fresh checkout needs no setup step.
    With Redis nothing is created: a production web process may run on a
    read-only filesystem.
    """
    if not str(source.broker_url or "").startswith("filesystem:"):
        return
    options = source.broker_transport_options or {}
    keys = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    folders = [Path(options[key]) for key in keys if options.get(key)]
    if source.beat_schedule_filename:
        folders.append(Path(source.beat_schedule_filename).parent)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
