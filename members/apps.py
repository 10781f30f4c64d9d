from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Участники"

    def ready(self):
        # Django 6.1's empty choice «- Select an option -» has no Russian translation
        # yet; Django lets an app's ready() replace it for every select on the site.
        from django.db.backends.signals import connection_created
        from django.db.models import fields

        from .search import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="members.sqlite_fold")

        fields.BLANK_CHOICE_LABEL = _("— выберите —")

        from rumo import outbox

        from . import campaigns
        from .models import Campaign

        # A campaign e-mail still pending is not sent once the member answered or it closed.
        outbox.register_check(Campaign, campaigns.stale_ids)
