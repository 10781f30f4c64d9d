"""Collection campaigns, council elections, import batches and award petitions."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import Association, Member


class CampaignQuerySet(models.QuerySet):
    def running(self):
        return self.filter(closed_at__isnull=True)


class Campaign(models.Model):
    """A data-bank collection window; who answered is read from profile confirmation dates."""

    association = models.ForeignKey(
        Association,
        verbose_name=_("объединение"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField(_("название"), max_length=255)
    opened_at = models.DateTimeField(_("открыта"))
    due_date = models.DateField(_("срок"))
    reminder_interval_days = models.PositiveSmallIntegerField(
        _("напоминать каждые, дней"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Напоминания получат те, кто не ответил к сроку."),
    )
    closed_at = models.DateTimeField(_("закрыта"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("открыл(а)"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("сбор данных")
        verbose_name_plural = _("сборы данных")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["association"],
                condition=Q(closed_at__isnull=True),
                name="campaign_one_running_per_association",
                violation_error_message=_("В объединении уже идёт сбор данных."),
            ),
            models.CheckConstraint(
                condition=Q(reminder_interval_days__gte=1), name="campaign_reminder_interval_set"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("members:campaign-detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.closed_at is None

    def reminder_dates(self, until) -> list:
        """Return the days reminders fall on: the due date, then every interval, up to ``until``."""
        days, day = [], self.due_date + timedelta(days=1)
        while day <= until:
            days.append(day)
            day += timedelta(days=self.reminder_interval_days)
        return days

    def is_overdue(self) -> bool:
        return self.is_running and timezone.localdate() > self.due_date


class CouncilElection(models.Model):
    """The council elected for a year; its seats are the ``Membership`` rows pointing here.

    The meeting that elected it belongs to the meetings app, which imports this
    one: the reference is kept as the printed basis («протокол заседания № 1 от
    …, вопрос 3») and a ``source`` key ``"meetings.agendaitem:<id>"`` that the
    meetings app resolves, the way the register of issued documents does.
    """

    association = models.ForeignKey(
        Association,
        verbose_name=_("объединение"),
        on_delete=models.PROTECT,
        related_name="council_elections",
    )
    year = models.PositiveSmallIntegerField(_("год"))
    elected_on = models.DateField(_("дата выборов"))
    term_start = models.DateField(_("полномочия с"))
    term_end = models.DateField(_("полномочия по"))
    basis = models.CharField(
        _("основание"),
        max_length=255,
        help_text=_("Например: «протокол заседания № 1 от 25.01.2024, вопрос 3»."),
    )
    source = models.CharField(
        _("запись заседания"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Ключ вопроса повестки, например «meetings.agendaitem:42»."),
    )
    recorded_at = models.DateTimeField(_("записано"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("записал(а)"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("выборы совета")
        verbose_name_plural = _("выборы совета")
        ordering = ["association", "-year", "-elected_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"],
                name="council_election_once_a_year",
                violation_error_message=_("Совет на этот год уже записан."),
            ),
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="council_election_term_ordered",
                violation_error_message=_("Окончание полномочий раньше начала."),
            ),
        ]

    def __str__(self):
        return f"{self.association} — {self.year}"


def import_upload_to(batch: "ImportBatch", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"members/imports/{timezone.now():%Y/%m}/{batch.token}.{suffix}"


class ImportBatch(models.Model):
    """An uploaded member list: analysed into a preview, applied only when confirmed."""

    class State(models.TextChoices):
        ANALYSING = "analysing", _("проверяется")
        READY = "ready", _("проверен, ждёт подтверждения")
        FAILED = "failed", _("не удалось прочитать")
        APPLYING = "applying", _("загружается")
        DONE = "done", _("загружен")
        CANCELLED = "cancelled", _("отменён")

    token = models.CharField(max_length=32, unique=True)
    association = models.ForeignKey(
        Association,
        verbose_name=_("объединение"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("файл"), upload_to=import_upload_to, max_length=200, blank=True)
    filename = models.CharField(_("имя файла"), max_length=255)
    state = models.CharField(_("состояние"), max_length=20, choices=State, default=State.ANALYSING)
    total_rows = models.PositiveIntegerField(_("строк"), default=0)
    processed_rows = models.PositiveIntegerField(_("обработано"), default=0)
    counts = models.JSONField(_("итоги"), default=dict, blank=True)
    preview = models.JSONField(_("предпросмотр"), default=list, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("загрузил(а)"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("загружен"), null=True, blank=True)

    class Meta:
        verbose_name = _("загрузка участников")
        verbose_name_plural = _("загрузки участников")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("members:import-detail", args=[self.token])

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def is_working(self) -> bool:
        return self.state in {self.State.ANALYSING, self.State.APPLYING}


class AwardPetition(models.Model):
    """An award petition (ходатайство о награждении): the award, whom it asks for, and why."""

    association = models.ForeignKey(
        Association,
        verbose_name=_("объединение"),
        on_delete=models.CASCADE,
        related_name="award_petitions",
    )
    award = models.CharField(
        _("награда"),
        max_length=500,
        help_text=_("Например: «Почётная грамота Министерства образования Чувашской Республики»."),
    )
    addressee = models.CharField(
        _("кому адресовано"),
        max_length=500,
        blank=True,
        help_text=_("Например: «Министру образования Чувашской Республики»."),
    )
    members = models.ManyToManyField(
        Member, through="AwardNominee", verbose_name=_("представленные к награде"), related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("составил(а)"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("ходатайство о награждении")
        verbose_name_plural = _("ходатайства о награждении")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.award

    def get_absolute_url(self):
        return reverse("members:petition-detail", args=[self.pk])


class AwardNominee(models.Model):
    """A member put forward in a petition, with the merits the petition states for them."""

    petition = models.ForeignKey(
        AwardPetition,
        verbose_name=_("ходатайство"),
        on_delete=models.CASCADE,
        related_name="nominees",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="nominations"
    )
    reason = models.TextField(_("заслуги (обоснование)"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("представленный к награде")
        verbose_name_plural = _("представленные к награде")
        ordering = ["member__last_name", "member__first_name", "member__patronymic", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "member"], name="nominee_once_per_petition"
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.petition}"
