from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Заседания"

    def ready(self):
        # The outbox asks before each send whether a meeting notice is still current.
        from rumo import outbox

        from . import notify
        from .models import Meeting

        outbox.register_check(Meeting, notify.stale_ids)
