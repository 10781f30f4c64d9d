import calendar
from datetime import date
from functools import reduce
from operator import add

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contests.models import Contest
from meetings.models import Meeting
from members.models import Association, Member

ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


class Plan(models.Model):
    """A work plan of an association for a period; its text lives in revisions.

    Most associations keep one annual plan per calendar or academic year, but a
    plan may also cover a month-long event beside it (``name`` tells them apart).
    ``year`` is the first year of the period; ``key`` names the plan in its URL.
    """

    class Period(models.TextChoices):
        YEAR = "year", _("календарный год")
        ACADEMIC = "academic", _("учебный год")
        DATES = "dates", _("даты")

    association = models.ForeignKey(
        Association, verbose_name=_("объединение"), on_delete=models.PROTECT, related_name="plans"
    )
    name = models.CharField(
        _("вид плана"),
        max_length=200,
        blank=True,
        help_text=_("Пусто — годовой план работы; иначе, например, «План летней сессии»."),
    )
    period = models.CharField(_("период"), max_length=10, choices=Period, default=Period.YEAR)
    year = models.PositiveSmallIntegerField(_("год"))
    starts_on = models.DateField(_("начало периода"))
    ends_on = models.DateField(_("конец периода"))
    key = models.SlugField(_("адрес"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("план работы")
        verbose_name_plural = _("планы работы")
        ordering = ["-year", "association__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name", "starts_on", "ends_on"],
                name="plan_unique_association_name_period",
                violation_error_message=_("Такой план этого объединения на этот период уже есть."),
            ),
            models.UniqueConstraint(fields=["association", "key"], name="plan_unique_key"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="plan_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="plan_period_ordered"
            ),
        ]

    def __str__(self):
        name = self.name or "план"
        return f"{self.association.short_name}: {name} на {self.period_label}"

    def save(self, *args, **kwargs):
        self.fill_period()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.association.slug, self.key])

    @staticmethod
    def period_bounds(period: str, year: int, starts_on=None, ends_on=None) -> tuple[date, date]:
        if period == Plan.Period.ACADEMIC:
            return date(year, 9, 1), date(year + 1, 8, 31)
        if period == Plan.Period.DATES and starts_on and ends_on:
            return starts_on, ends_on
        return date(year, 1, 1), date(year, 12, 31)

    @staticmethod
    def base_key(period: str, year: int, starts_on=None) -> str:
        if period == Plan.Period.ACADEMIC:
            return f"{year}-{year + 1}"
        if period == Plan.Period.DATES and starts_on:
            return starts_on.strftime("%Y-%m-%d")
        return str(year)

    def fill_period(self) -> None:
        """Set the dates and the URL key from the period (a calendar or academic year)."""
        self.starts_on, self.ends_on = self.period_bounds(
            self.period, self.year, self.starts_on, self.ends_on
        )
        if self.period == self.Period.DATES:
            self.year = self.starts_on.year
        if not self.key:
            base = self.base_key(self.period, self.year, self.starts_on)
            taken = set(
                Plan.objects.filter(association_id=self.association_id, key__startswith=base)
                .exclude(pk=self.pk)
                .values_list("key", flat=True)
            )
            self.key = next(
                k for k in [base, *(f"{base}-{n}" for n in range(2, 100))] if k not in taken
            )

    @property
    def period_label(self) -> str:
        """«2024 год», «2024–2025 учебный год», «03.06.2024 – 28.06.2024»."""
        if self.period == self.Period.ACADEMIC:
            return f"{self.year}–{self.year + 1} учебный год"
        if self.period == self.Period.DATES:
            return f"{self.starts_on:%d.%m.%Y} – {self.ends_on:%d.%m.%Y}"
        return f"{self.year} год"

    @property
    def heading(self) -> str:
        """«План работы на 2024 год», «План летней сессии на 03.06.2024 – 28.06.2024»."""
        return f"{self.name or 'План работы'} на {self.period_label}"

    @property
    def is_academic(self) -> bool:
        return self.period == self.Period.ACADEMIC

    def month_year(self, month: int) -> int:
        """Return the year in which the period has ``month`` (an academic year wraps)."""
        if self.starts_on.month > 1 and month < self.starts_on.month:
            return self.starts_on.year + 1
        return self.starts_on.year

    def months_in_order(self) -> list[int]:
        """The months of the period in calendar order (September first in an academic year)."""
        first = self.starts_on.month
        return [(first - 1 + n) % 12 + 1 for n in range(12)]


class RevisionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=Revision.PUBLISHED)

    def waiting_for(self, status):
        return self.filter(status=status)


class Revision(models.Model):
    """One version of a plan's text; approved revisions are frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        ON_AGREEMENT = "on_agreement", _("на согласовании")
        AGREED = "agreed", _("согласован, на утверждении")
        APPROVED = "approved", _("утверждён")
        SUPERSEDED = "superseded", _("заменён новой редакцией")

    class DateStyle(models.TextChoices):
        YEARS = "года", _("«2024 года»")
        SHORT = "г.", _("«2024 г.»")

    # What the public reads: approved, and approved then replaced by a newer one.
    PUBLISHED = (Status.APPROVED, Status.SUPERSEDED)

    plan = models.ForeignKey(
        Plan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("редакция"))
    status = models.CharField(_("статус"), max_length=20, choices=Status, default=Status.DRAFT)
    title = models.TextField(
        _("заголовок"),
        max_length=1000,
        help_text=_("Каждая строка заголовка — с новой строки."),
    )
    place = models.CharField(
        _("место"),
        max_length=100,
        blank=True,
        help_text=_("Печатается под заголовком с годом («Чебоксары, 2024»); пусто — строки нет."),
    )
    date_style = models.CharField(
        _("год в датах грифов"), max_length=5, choices=DateStyle, default=DateStyle.YEARS
    )
    signature_position = models.CharField(_("должность подписанта"), max_length=300, blank=True)
    signature_name = models.CharField(_("подписант"), max_length=200, blank=True)
    return_comment = models.TextField(_("замечания при возврате"), blank=True)
    # The last return to the chair: who, when, the remarks and the text as it was
    # (outline.plain_lines), so the signer sees what changed since.
    returned_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("вернул(а)"),
    )  # fmt: skip
    returned_at = models.DateTimeField(_("возвращён"), null=True, blank=True)
    returned_comment = models.TextField(_("замечания последнего возврата"), blank=True)
    returned_lines = models.JSONField(_("текст при возврате"), default=list, blank=True)
    copy_notes = models.JSONField(_("изменения при копировании"), default=list, blank=True)
    paper_scan = models.FileField(
        _("скан бумажного экземпляра"), upload_to="plans/scans/%Y/", blank=True
    )
    # ``version`` guards the header fields against concurrent edits;
    # ``content_version`` changes with any edit of the text (PDFs compare it).
    version = models.PositiveIntegerField(default=1)
    content_version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("отправлен на согласование"), null=True, blank=True)
    approved_at = models.DateTimeField(_("утверждён"), null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("редакция плана")
        verbose_name_plural = _("редакции плана")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="revision_unique_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="approved"),
                name="revision_one_approved_per_plan",
            ),
        ]

    def __str__(self):
        return f"{self.plan}, редакция {self.number}"

    def get_absolute_url(self):
        plan = self.plan
        return reverse("plans:revision", args=[plan.association.slug, plan.key, self.number])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status in self.PUBLISHED

    @property
    def title_lines(self) -> list[str]:
        return [line.strip() for line in self.title.splitlines() if line.strip()]


class Stamp(models.Model):
    """An agreement or approval block at the top of the plan."""

    class Kind(models.TextChoices):
        AGREED = "agreed", "СОГЛАСОВАНО"
        APPROVED = "approved", "УТВЕРЖДЕНО"
        APPROVE = "approve", "УТВЕРЖДАЮ"
        ACCEPTED = "accepted", "ПРИНЯТО"

    class Layout(models.TextChoices):
        CLASSIC = "classic", _("подпись и ФИО, должность, дата")
        GOST = "gost", _("должность, подпись и ФИО, дата (ГОСТ Р 7.0.97)")

    class Side(models.TextChoices):
        LEFT = "left", _("слева")
        RIGHT = "right", _("справа")

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="stamps")
    kind = models.CharField(_("гриф"), max_length=20, choices=Kind)
    side = models.CharField(_("положение"), max_length=10, choices=Side)
    position = models.TextField(_("должность"), max_length=500, blank=True)
    person_name = models.CharField(_("ФИО"), max_length=200, blank=True)
    basis = models.TextField(
        _("основание"),
        max_length=500,
        blank=True,
        help_text=_(
            "Например, «приказом директора от 30.08.2024 № 125» или «на заседании "
            "педагогического совета (протокол № 1 от 29.08.2024)»: печатается вместо "
            "строки подписи."
        ),
    )
    layout = models.CharField(
        _("порядок реквизитов"), max_length=10, choices=Layout, default=Layout.CLASSIC
    )
    signed_on = models.DateField(_("дата подписи"), null=True, blank=True)
    signed_by = models.ForeignKey(
        Member,
        verbose_name=_("подписал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_paper = models.BooleanField(_("подписано на бумаге"), default=False)
    scan = models.FileField(_("скан подписи"), upload_to="plans/stamps/%Y/", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("гриф")
        verbose_name_plural = _("грифы")
        ordering = ["revision", "side"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "side"], name="stamp_one_per_side"),
            models.UniqueConstraint(fields=["revision", "kind"], name="stamp_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person_name}"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    @property
    def position_lines(self) -> list[str]:
        return [line.strip() for line in self.position.splitlines() if line.strip()]

    @property
    def basis_lines(self) -> list[str]:
        return [line.strip() for line in self.basis.splitlines() if line.strip()]

    @property
    def names_someone(self) -> bool:
        """A stamp that names nobody cannot be signed or printed meaningfully."""
        return bool(self.person_name.strip() or self.basis.strip())


# The columns a table section may show and their usual headers (plans/spec.py).
COLUMNS = {
    "number": _("№ п/п"),
    "text": _("Наименование мероприятий"),
    "timing": _("Сроки проведения"),
    "time": _("Время"),
    "place": _("Место проведения"),
    "form": _("Форма проведения"),
    "responsible": _("Ответственные"),
    "participants": _("Участники"),
    "result": _("Ожидаемый результат"),
    "execution_note": _("Отметка о выполнении"),
}
# Relative widths in a printed table.
COLUMN_WEIGHTS = {
    "number": 9, "text": 40, "timing": 20, "time": 11, "place": 17, "form": 17,
    "responsible": 22, "participants": 17, "result": 20, "execution_note": 16,
}  # fmt: skip
# What the seed prints: «Сроки и место проведения» holds the timing and the place.
SEED_EVENT_COLUMNS = [
    ["number", "№ п/п"],
    ["text", "Наименование мероприятий"],
    ["timing", "Сроки и место проведения"],
    ["responsible", "Организаторы ответственные"],
]
SEED_ORGWORK_COLUMNS = [
    ["number", "№п/п"],
    ["text", "Наименование мероприятий"],
    ["timing", "Сроки проведения"],
]


class Section(models.Model):
    class Kind(models.TextChoices):
        NUMBERED = "numbered", _("нумерованный список")
        EVENTS = "events", _("таблица мероприятий")
        MEETINGS = "meetings", _("заседания")
        ORGWORK = "orgwork", _("организационная работа")
        TEXT = "text", _("текст")

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind)

    class Numbering(models.TextChoices):
        ROMAN = "roman", _("римская цифра (I, II)")
        ARABIC = "arabic", _("арабская цифра (1, 2)")
        NONE = "none", _("без номера")

    title = models.CharField(_("заголовок"), max_length=500)
    text = models.TextField(_("текст"), max_length=20000, blank=True)
    numbering = models.CharField(
        _("номер раздела"), max_length=10, choices=Numbering, default=Numbering.ROMAN
    )
    # [[key, label], ...] from COLUMNS; empty: the kind's usual columns.
    columns = models.JSONField(_("столбцы"), default=list, blank=True)
    continue_numbering = models.BooleanField(
        _("продолжить нумерацию пунктов предыдущего раздела"), default=False
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("раздел")
        verbose_name_plural = _("разделы")
        ordering = ["revision", "position", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_subsection(self) -> bool:
        """A meetings list continues the events table before it, without a numeral."""
        return self.kind == self.Kind.MEETINGS

    @property
    def has_items(self) -> bool:
        return self.kind != self.Kind.TEXT

    @property
    def is_table(self) -> bool:
        return self.kind in (self.Kind.EVENTS, self.Kind.MEETINGS, self.Kind.ORGWORK)

    @property
    def table_columns(self) -> list[tuple[str, str]]:
        """The columns the section prints, as (key, header) pairs."""
        if self.columns:
            return [(key, label) for key, label in self.columns if key in COLUMNS]
        if self.kind == self.Kind.ORGWORK:
            return [tuple(c) for c in SEED_ORGWORK_COLUMNS]
        if self.kind in (self.Kind.EVENTS, self.Kind.MEETINGS):
            return [tuple(c) for c in SEED_EVENT_COLUMNS]
        return []

    @property
    def column_keys(self) -> set[str]:
        return {key for key, _label in self.table_columns}


def month_count():
    """How many months an item's timing covers, as an SQL expression (bits of month_mask)."""
    return reduce(add, (F("month_mask").bitand(1 << n) / (1 << n) for n in range(12)))


class ItemQuerySet(models.QuerySet):
    def in_force(self):
        """Items of approved revisions: the plans being carried out."""
        return self.filter(section__revision__status=Revision.Status.APPROVED)

    def due_in(self, *, year: int, month: int):
        """Items whose timing, as understood, covers the month (of the plan's period)."""
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        return (
            self.filter(
                section__revision__plan__starts_on__lte=last,
                section__revision__plan__ends_on__gte=first,
            )
            .alias(due_bit=F("month_mask").bitand(1 << (month - 1)))
            .filter(due_bit__gt=0)
        )


class Item(models.Model):
    class Execution(models.TextChoices):
        PLANNED = "planned", _("запланировано")
        DONE = "done", _("выполнено")
        MOVED = "moved", _("перенесено")
        CANCELLED = "cancelled", _("отменено")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    text = models.TextField(_("текст"), max_length=5000)
    # The row's number as written («2.1.1.»); empty: computed from ``level``.
    label = models.CharField(_("номер как в документе"), max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(_("уровень"), default=0)
    is_group = models.BooleanField(
        _("строка-группа"),
        default=False,
        help_text=_("«День 1», «Сентябрь»: строка на всю ширину таблицы, без номера."),
    )
    timing = models.CharField(_("сроки"), max_length=200, blank=True)
    time = models.CharField(_("время"), max_length=100, blank=True)
    place = models.CharField(_("место"), max_length=300, blank=True)
    form = models.CharField(_("форма проведения"), max_length=300, blank=True)
    participants = models.TextField(_("участники"), max_length=1000, blank=True)
    result = models.TextField(_("ожидаемый результат"), max_length=2000, blank=True)
    # The calendar months the timing covers, as understood (bit 0 = January).
    month_mask = models.PositiveSmallIntegerField(default=0)
    responsible = models.TextField(_("ответственные"), max_length=1000, blank=True)
    responsible_members = models.ManyToManyField(
        Member, verbose_name=_("ответственные из банка данных"), blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("заседание"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    contest = models.ForeignKey(
        Contest,
        verbose_name=_("конкурс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    execution = models.CharField(
        _("выполнение"), max_length=20, choices=Execution, default=Execution.PLANNED
    )
    execution_note = models.CharField(_("отметка о выполнении"), max_length=500, blank=True)
    # The item of the previous revision this one was copied from: execution
    # marked there while this revision was in the works carries over.
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("пункт плана")
        verbose_name_plural = _("пункты плана")
        ordering = ["section", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month_mask__lte=0xFFF), name="item_month_mask_valid"
            ),
            models.CheckConstraint(condition=Q(level__lte=2), name="item_level_valid"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def when_where(self) -> str:
        return " ".join(part for part in (self.timing, self.place) if part)

    @property
    def months(self) -> set[int]:
        return {m for m in range(1, 13) if self.month_mask & (1 << (m - 1))}


class Deletion(models.Model):
    """A row deleted from a draft: who deleted it and when.

    A colleague who still has the row open and saves it is told who deleted it,
    rather than «not found». Rows are a few bytes; they outlive a server restart.
    """

    class Kind(models.TextChoices):
        ITEM = "item", _("пункт")
        SECTION = "section", _("раздел")
        STAMP = "stamp", _("гриф")

    kind = models.CharField(max_length=10, choices=Kind)
    object_id = models.PositiveIntegerField()
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    # The section an item belonged to (for adding it again), if it still exists.
    section_id_was = models.PositiveIntegerField(null=True, blank=True)
    by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("удалённая строка плана")
        verbose_name_plural = _("удалённые строки плана")
        indexes = [models.Index(fields=["kind", "object_id"], name="plan_deletion_row")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}"
