from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Планы работы"

    def ready(self):
        from . import receivers  # noqa: F401  (connects to signals of lower apps)
