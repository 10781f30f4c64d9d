from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class RumoConfig(AppConfig):
    name = "rumo"
    verbose_name = "Rumo"

    def ready(self):
        # Each app declares its document kinds in its pdf.py (rumo.pipeline.register).
        autodiscover_modules("pdf")

        from . import page_cache

        page_cache.connect()
