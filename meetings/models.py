from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from members.models import Association, Member


def month_name(number: int) -> str:
    """The month's name as a plan's timing writes it: «январь» (Django's own names)."""
    return str(MONTHS[number]).lower()


class MeetingQuerySet(models.QuerySet):
    def of_year(self, association, year):
        return self.filter(association=association, year=year)

    def upcoming(self, now=None):
        """Meetings whose time (or planned month, or year) has not passed yet."""
        return self.filter(upcoming_q(now))

    def past(self, now=None):
        return self.exclude(upcoming_q(now))


def upcoming_q(now=None) -> models.Q:
    now = now or timezone.now()
    today = timezone.localdate(now)
    undated = models.Q(starts_at__isnull=True)
    return (
        models.Q(starts_at__gte=now)
        | (undated & models.Q(year__gt=today.year))
        | (undated & models.Q(year=today.year, planned_month__gte=today.month))
        | (undated & models.Q(year=today.year, planned_month__isnull=True))
    )


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
    duration_minutes = models.PositiveSmallIntegerField(_("продолжительность, мин"), default=120)
    status = models.CharField(_("статус"), max_length=20, choices=Status, default=Status.PLANNED)
    # Incremented on every announced change: the SEQUENCE of the iCalendar event.
    sequence = models.PositiveIntegerField(default=0)
    announced_at = models.DateTimeField(_("объявлено"), null=True, blank=True)
    change_note = models.TextField(_("что изменилось"), blank=True)
    cancel_reason = models.TextField(_("причина отмены"), blank=True)
    invited_count = models.PositiveSmallIntegerField(_("приглашённые гости"), default=0)
    # One guest a line («Е.В. Петрова, ЧРИО»): the minutes name those invited.
    invited_names = models.TextField(_("приглашённые: кто"), max_length=5000, blank=True)
    minutes_chair = models.CharField(_("председатель заседания"), max_length=200, blank=True)
    minutes_secretary = models.CharField(_("секретарь заседания"), max_length=200, blank=True)
    minutes_approved_at = models.DateTimeField(_("протокол утверждён"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Every notice about the meeting: rows of the outbox (rumo/outbox.py).
    deliveries = GenericRelation("rumo.OutboxMessage", related_query_name="meeting")

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

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @classmethod
    def next_number(cls, association: Association, year: int) -> int:
        found = cls.objects.of_year(association, year).aggregate(top=Max("number"))["top"]
        return (found or 0) + 1

    @property
    def when_text(self) -> str:
        """Return the timing as the plan writes it: «январь, 2024 г.»."""
        if self.starts_at:
            # A meeting moved into the next year says so; it keeps its year's number.
            local = timezone.localtime(self.starts_at)
            return f"{month_name(local.month)}, {local.year} г."
        if not self.planned_month:
            return f"{self.year} г."
        return f"{month_name(self.planned_month)}, {self.year} г."

    @property
    def has_started(self) -> bool:
        return self.starts_at is not None and self.starts_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_announced(self) -> bool:
        return self.status == self.Status.ANNOUNCED

    @property
    def invited_list(self) -> list[str]:
        return [line.strip() for line in self.invited_names.splitlines() if line.strip()]

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_approved_at is not None

    @property
    def where_text(self) -> str:
        """Return the format with the place (the link is for those invited, not for print)."""
        if self.format == self.Format.ONLINE:
            return str(self.Format.ONLINE.label)
        return self.place or str(self.Format.IN_PERSON.label)


def speaker_text(member: Member) -> str:
    """Return «С.Н. Лоскутова (ЧПК им. Н.В. Никольского)»."""
    if member.organization_id:
        return f"{member.short_name} ({member.organization})"
    return member.short_name


class AgendaItemQuerySet(models.QuerySet):
    def with_speakers(self):
        """Order the questions and load their speakers (with organisations) in one query."""
        speakers = Member.objects.select_related("organization").order_by("last_name", "first_name")
        return self.order_by("position", "pk").prefetch_related(
            Prefetch("speaker_members", queryset=speakers)
        )


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
    document = models.FileField(_("материалы"), upload_to="meetings/agenda/%Y/", blank=True)
    # The minutes (протокол) of this item: СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ.
    heard = models.TextField(_("слушали"), blank=True)
    spoke = models.TextField(_("выступили"), blank=True)
    decided = models.TextField(_("решили"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("за"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("против"), null=True, blank=True)
    votes_abstained = models.PositiveSmallIntegerField(_("воздержались"), null=True, blank=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("вопрос повестки")
        verbose_name_plural = _("повестка")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title[:80]

    @property
    def speakers_text(self) -> str:
        """Return the speakers as the page shows them: members first, then the free text."""
        names = [speaker_text(member) for member in self.speaker_members.all()]
        return "; ".join([*names, self.speakers] if self.speakers else names)


class Response(models.Model):
    """A member's answer to an announced meeting: «буду» or «не буду»."""

    class Answer(models.TextChoices):
        YES = "yes", _("буду")
        NO = "no", _("не буду")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="meeting_responses")
    answer = models.CharField(_("ответ"), max_length=10, choices=Answer)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ответ на приглашение")
        verbose_name_plural = _("ответы на приглашения")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="response_one_per_member"),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_answer_display()}"


class Attendance(models.Model):
    """A member present at a held meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("присутствие")
        verbose_name_plural = _("присутствовали")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
        ]

    def __str__(self):
        return str(self.member)


class CalendarFeed(models.Model):
    """A member's secret calendar address; revoking it makes a new one."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("календарная подписка")
        verbose_name_plural = _("календарные подписки")

    def __str__(self):
        return str(self.member)


class DocumentKind(models.TextChoices):
    """A meeting's PDFs; their build state is a rumo.DocumentBuild (kinds in meetings/pdf.py)."""

    AGENDA = "agenda", _("повестка")
    MINUTES = "minutes", _("протокол")
    EXTRACT = "extract", _("выписка из протокола")
