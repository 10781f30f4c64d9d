from django.db import models
from django.db.models import Q
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
    """The annual work plan of an association; its text lives in revisions."""

    association = models.ForeignKey(
        Association, verbose_name=_("объединение"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("план работы")
        verbose_name_plural = _("планы работы")
        ordering = ["-year", "association__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"],
                name="plan_unique_association_year",
                violation_error_message=_("План этого объединения на этот год уже есть."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="plan_year_sane"
            ),
        ]

    def __str__(self):
        return f"{self.association.short_name}: план на {self.year} год"

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.association.slug, self.year])


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
    place = models.CharField(_("место"), max_length=100)
    signature_position = models.CharField(_("должность подписанта"), max_length=300, blank=True)
    signature_name = models.CharField(_("подписант"), max_length=200, blank=True)
    return_comment = models.TextField(_("замечания при возврате"), blank=True)
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
        return reverse("plans:revision", args=[plan.association.slug, plan.year, self.number])

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

    class Side(models.TextChoices):
        LEFT = "left", _("слева")
        RIGHT = "right", _("справа")

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="stamps")
    kind = models.CharField(_("гриф"), max_length=20, choices=Kind)
    side = models.CharField(_("положение"), max_length=10, choices=Side)
    position = models.TextField(_("должность"), max_length=500, blank=True)
    person_name = models.CharField(_("ФИО"), max_length=200, blank=True)
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
    title = models.CharField(_("заголовок"), max_length=500)
    text = models.TextField(_("текст"), max_length=20000, blank=True)
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


class ItemQuerySet(models.QuerySet):
    def in_force(self):
        """Items of approved revisions: the plans being carried out."""
        return self.filter(section__revision__status=Revision.Status.APPROVED)

    def due_in(self, *, year: int, month: int):
        """Items whose timing, as understood, covers the month of the plan's year."""
        return self.filter(
            section__revision__plan__year=year, month_from__lte=month, month_to__gte=month
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
    timing = models.CharField(_("сроки"), max_length=200, blank=True)
    place = models.CharField(_("место"), max_length=300, blank=True)
    month_from = models.PositiveSmallIntegerField(null=True, blank=True)
    month_to = models.PositiveSmallIntegerField(null=True, blank=True)
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
                condition=(Q(month_from__isnull=True) & Q(month_to__isnull=True))
                | Q(month_from__gte=1, month_to__lte=12, month_from__lte=models.F("month_to")),
                name="item_month_range_valid",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def when_where(self) -> str:
        return " ".join(part for part in (self.timing, self.place) if part)
