from django.apps import AppConfig


class RumoConfig(AppConfig):
    name = "rumo"
    verbose_name = "Rumo"
