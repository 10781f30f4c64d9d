from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Association


class Contest(models.Model):
    """A contest the association runs or takes part in."""

    class Level(models.TextChoices):
        REPUBLIC = "republic", _("республиканский")
        INTERREGIONAL = "interregional", _("межрегиональный")
        NATIONAL = "national", _("всероссийский")
        INTERNATIONAL = "international", _("международный")

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланирован")
        RUNNING = "running", _("проводится")
        FINISHED = "finished", _("завершён")
        CANCELLED = "cancelled", _("отменён")

    title = models.CharField(_("название"), max_length=500)
    year = models.PositiveSmallIntegerField(_("год"))
    level = models.CharField(_("уровень"), max_length=20, choices=Level, default=Level.REPUBLIC)
    organizers = models.ManyToManyField(
        Association, verbose_name=_("организаторы"), related_name="contests"
    )
    period = models.CharField(_("сроки"), max_length=255, blank=True)
    status = models.CharField(_("статус"), max_length=20, choices=Status, default=Status.PLANNED)
    is_external = models.BooleanField(_("внешний конкурс (участие)"), default=False)

    class Meta:
        verbose_name = _("конкурс")
        verbose_name_plural = _("конкурсы")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "year"], name="contest_unique_title_year"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"
