from django.apps import AppConfig


class RumoConfig(AppConfig):
    name = "rumo"
    verbose_name = "Rumo"

    def ready(self):
        from . import page_cache

        page_cache.connect()
