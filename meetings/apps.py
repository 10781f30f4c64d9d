from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Заседания"

    def ready(self):
        # The PDF build tasks live in meetings/pdf.py; importing it registers them
        # with the worker, which only autodiscovers meetings/tasks.py.
        from . import pdf  # noqa: F401
