from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Участники"

    def ready(self):
        # Django 6.1's empty choice «- Select an option -» has no Russian translation
        # yet; Django lets an app's ready() replace it for every select on the site.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("— выберите —")
