from django.db import models
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from members.models import Association, Member

MONTHS_NOMINATIVE = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip


class MeetingQuerySet(models.QuerySet):
    def of_year(self, association, year):
        return self.filter(association=association, year=year)


class Meeting(models.Model):
    """A meeting (заседание) of an association; its number is counted within the year."""

    class Format(models.TextChoices):
        ONLINE = "online", _("онлайн")
        IN_PERSON = "in_person", _("очно")

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланировано")
        ANNOUNCED = "announced", _("объявлено")
        HELD = "held", _("проведено")
        CANCELLED = "cancelled", _("отменено")

    association = models.ForeignKey(
        Association,
        verbose_name=_("объединение"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    year = models.PositiveSmallIntegerField(_("год"))
    number = models.PositiveSmallIntegerField(_("номер в году"))
    topic = models.CharField(_("тема"), max_length=500, blank=True)
    planned_month = models.PositiveSmallIntegerField(_("планируемый месяц"), null=True, blank=True)
    starts_at = models.DateTimeField(_("дата и время"), null=True, blank=True)
    format = models.CharField(_("формат"), max_length=20, choices=Format, default=Format.ONLINE)
    place = models.CharField(_("место"), max_length=500, blank=True)
    link = models.URLField(_("ссылка на трансляцию"), blank=True)
    status = models.CharField(_("статус"), max_length=20, choices=Status, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("заседание")
        verbose_name_plural = _("заседания")
        ordering = ["association", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year", "number"],
                name="meeting_number_unique_in_year",
                violation_error_message=_("Заседание с таким номером в этом году уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_month__isnull=True)
                | models.Q(planned_month__gte=1, planned_month__lte=12),
                name="meeting_planned_month_valid",
            ),
        ]

    def __str__(self):
        return f"Заседание № {self.number} ({self.year})"

    @classmethod
    def next_number(cls, association: Association, year: int) -> int:
        found = cls.objects.of_year(association, year).aggregate(top=Max("number"))["top"]
        return (found or 0) + 1

    @property
    def when_text(self) -> str:
        """Return the timing as the plan writes it: «январь, 2024 г.»."""
        month = self.starts_at.month if self.starts_at else self.planned_month
        if not month:
            return f"{self.year} г."
        return f"{MONTHS_NOMINATIVE[month - 1]}, {self.year} г."


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("заседание"),
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    title = models.TextField(_("вопрос"))
    speakers = models.CharField(_("докладчики"), max_length=500, blank=True)
    speaker_members = models.ManyToManyField(
        Member, verbose_name=_("докладчики из банка данных"), blank=True
    )

    class Meta:
        verbose_name = _("вопрос повестки")
        verbose_name_plural = _("повестка")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title[:80]
