from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Заседания"

    def ready(self):
        # The PDF build tasks live in meetings/pdf.py; importing it registers them
        # with the worker, which only autodiscovers meetings/tasks.py.
        # The outbox asks before each send whether a meeting notice is still current.
        from rumo import outbox

        from . import (
            notify,
            pdf,  # noqa: F401
        )
        from .models import Meeting

        outbox.register_check(Meeting, notify.stale_ids)
