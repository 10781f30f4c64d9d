"""Contests: regulations held as data, the council's approval, applications, jury and results."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem
from members.models import Association, Member, Organization


class ContestQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status=Contest.Status.RUNNING, is_external=False)


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
    results_approved_at = models.DateTimeField(_("итоги утверждены"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("итоги опубликованы"), null=True, blank=True)

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("конкурс")
        verbose_name_plural = _("конкурсы")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "year"], name="contest_unique_title_year"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("contests:detail", args=[self.pk])

    @property
    def approved_regulation(self):
        """The regulation in force: the newest approved version (cached per object)."""
        if not hasattr(self, "_approved"):
            self._approved = (
                self.regulations.filter(status=Regulation.Status.APPROVED)
                .order_by("-number")
                .first()
            )
        return self._approved

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class Regulation(models.Model):
    """One version of a contest's regulations (Положение о конкурсе)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        ON_REVIEW = "on_review", _("на рассмотрении совета")
        RETURNED = "returned", _("возвращено на доработку")
        APPROVED = "approved", _("утверждено")

    class Numbering(models.TextChoices):
        ROMAN = "roman", _("римские: I, II, III")
        ARABIC = "arabic", _("арабские: 1, 2, 3")

    class TieRule(models.TextChoices):
        SHARE = "share", _("участники делят место")
        FIRST_CRITERION = "first_criterion", _("выше балл по первому критерию")
        JURY_CHAIR = "jury_chair", _("решает председатель жюри")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="regulations")
    number = models.PositiveSmallIntegerField(_("редакция"), default=1)
    status = models.CharField(_("статус"), max_length=20, choices=Status, default=Status.DRAFT)
    kind = models.CharField(
        _("вид конкурса"),
        max_length=300,
        default="республиканского конкурса",
        help_text=_("Как в заголовке: «о проведении … конкурса»."),
    )
    audience = models.CharField(
        _("среди кого"),
        max_length=300,
        blank=True,
        help_text=_("Например: «среди библиотекарей ПОО Чувашии»"),
    )
    dedication = models.CharField(
        _("посвящение"),
        max_length=500,
        blank=True,
        help_text=_("Например: «посвящённого Году семьи»"),
    )
    numbering = models.CharField(
        _("нумерация разделов"), max_length=10, choices=Numbering, default=Numbering.ROMAN
    )
    place = models.CharField(_("город"), max_length=100, default="Чебоксары")
    application_opens = models.DateField(_("приём заявок с"), null=True, blank=True)
    application_closes = models.DateField(
        _("приём заявок до (включительно)"), null=True, blank=True
    )
    required_files = models.CharField(_("что приложить к заявке"), max_length=500, blank=True)
    allowed_extensions = models.CharField(
        _("допустимые типы файлов"), max_length=200, default="pdf, docx, jpg, png, mp4"
    )
    consent_required = models.BooleanField(
        _("нужно согласие на обработку персональных данных"), default=True
    )
    tie_rule = models.CharField(
        _("при равенстве баллов"), max_length=20, choices=TieRule, default=TieRule.SHARE
    )
    contacts = models.TextField(_("контакты"), blank=True)
    appendix = models.TextField(_("приложение (форма заявки)"), blank=True)
    vote_deadline = models.DateTimeField(_("голосование до"), null=True, blank=True)
    sent_at = models.DateTimeField(_("отправлено в совет"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(_("утверждено"), null=True, blank=True)
    return_comment = models.TextField(_("замечания совета"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("положение о конкурсе")
        verbose_name_plural = _("положения о конкурсах")
        ordering = ["contest", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "number"], name="regulation_unique_contest_number"
            ),
        ]

    def __str__(self):
        return f"{self.contest} — ред. {self.number}"

    def get_absolute_url(self):
        return reverse("contests:regulation", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.APPROVED

    def application_window_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.application_opens and today < self.application_opens:
            return False
        return not (self.application_closes and today > self.application_closes)

    def extensions(self) -> list[str]:
        return [
            e.strip().lstrip(".").lower() for e in self.allowed_extensions.split(",") if e.strip()
        ]


class Block(models.Model):
    """A typed block of the regulations, kept in the order it is written."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Stamp(Block):
    """СОГЛАСОВАНО / УТВЕРЖДЕНО: a Rumo signer, an outside official or the council's decision."""

    class Kind(models.TextChoices):
        AGREED = "agreed", _("СОГЛАСОВАНО")
        APPROVED = "approved", _("УТВЕРЖДЕНО")
        I_APPROVE = "i_approve", _("УТВЕРЖДАЮ")

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="stamps")
    kind = models.CharField(_("гриф"), max_length=20, choices=Kind)
    member = models.ForeignKey(
        Member,
        verbose_name=_("подписант из Rumo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer_name = models.CharField(_("подписант (И.О. Фамилия)"), max_length=200, blank=True)
    signer_position = models.CharField(_("должность подписанта"), max_length=500, blank=True)
    by_council_decision = models.BooleanField(
        _("решением Совета (протокол заседания)"), default=False
    )

    class Meta(Block.Meta):
        verbose_name = _("гриф")

    def __str__(self):
        return self.get_kind_display()


class Section(Block):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("заголовок раздела"), max_length=500)

    class Meta(Block.Meta):
        verbose_name = _("раздел")

    def __str__(self):
        return self.title


class Clause(models.Model):
    """A numbered clause (1.1) or sub-clause (1.1.1); lines starting with «–» or «-» are bullets."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="clauses")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("вложен в пункт"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    text = models.TextField(_("текст пункта"), max_length=10000)

    class Meta:
        verbose_name = _("пункт")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:60]


class Organiser(Block):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="organisers")
    name = models.CharField(_("организация"), max_length=500)
    role = models.CharField(
        _("роль"),
        max_length=300,
        blank=True,
        help_text=_("Например: «организатор», «соорганизатор», «площадка»"),
    )
    association = models.ForeignKey(
        Association,
        verbose_name=_("объединение в Rumo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(Block.Meta):
        verbose_name = _("организатор")

    def __str__(self):
        return self.name


class Nomination(Block):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="nominations")
    name = models.CharField(_("номинация"), max_length=300)
    category = models.CharField(_("категория участников"), max_length=300, blank=True)

    class Meta(Block.Meta):
        verbose_name = _("номинация")

    def __str__(self):
        return self.name


class Stage(Block):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="stages")
    starts = models.DateField(_("с"), null=True, blank=True)
    ends = models.DateField(_("по"), null=True, blank=True)
    what = models.CharField(_("что происходит"), max_length=500)
    place = models.CharField(_("где"), max_length=300, blank=True)

    class Meta(Block.Meta):
        verbose_name = _("этап")

    def __str__(self):
        return self.what


class Criterion(Block):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("критерий"), max_length=300)
    max_points = models.PositiveSmallIntegerField(_("максимум баллов"), default=5)
    weight = models.DecimalField(_("вес"), max_digits=4, decimal_places=2, default=1)

    class Meta(Block.Meta):
        verbose_name = _("критерий")

    def __str__(self):
        return self.name


class Person(Block):
    """A printed jury or organising committee line: a Member or «ФИО – должность»."""

    class Group(models.TextChoices):
        JURY = "jury", _("жюри")
        COMMITTEE = "committee", _("оргкомитет")

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="people")
    group = models.CharField(_("состав"), max_length=20, choices=Group, default=Group.JURY)
    is_chair = models.BooleanField(_("председатель"), default=False)
    member = models.ForeignKey(
        Member,
        verbose_name=_("участник из Rumo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("ФИО"), max_length=200, blank=True)
    position_text = models.CharField(_("должность"), max_length=500, blank=True)

    class Meta(Block.Meta):
        verbose_name = _("член жюри или оргкомитета")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or (self.member.full_name if self.member else "")


class Award(Block):
    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="awards")
    place = models.PositiveSmallIntegerField(
        _("место"), null=True, blank=True, help_text=_("Пусто — специальный приз")
    )
    title = models.CharField(_("награда"), max_length=300)

    class Meta(Block.Meta):
        verbose_name = _("награда")

    def __str__(self):
        return self.title


class CouncilVote(models.Model):
    """A council member's vote on a regulation version; a second vote replaces the first."""

    class Choice(models.TextChoices):
        FOR = "for", _("за")
        AGAINST = "against", _("против")
        ABSTAIN = "abstain", _("воздержался")

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="votes")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contest_votes")
    choice = models.CharField(_("голос"), max_length=10, choices=Choice)
    comment = models.TextField(_("комментарий"), blank=True, max_length=3000)
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("голос совета")
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "association", "member"], name="vote_once_per_council"
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_choice_display()}"


class Approval(models.Model):
    """One organising association's decision on a regulation version."""

    class Method(models.TextChoices):
        VOTE = "vote", _("голосование совета")
        MEETING = "meeting", _("решение заседания")

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="approvals")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(_("способ"), max_length=20, choices=Method)
    approved = models.BooleanField(_("утверждено"))
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    votes_abstained = models.PositiveSmallIntegerField(default=0)
    council_size = models.PositiveSmallIntegerField(default=0)
    explanation = models.TextField(_("пояснение"), blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("вопрос повестки"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contest_approvals",
    )
    protocol_date = models.DateField(_("дата протокола"), null=True, blank=True)
    protocol_number = models.CharField(_("номер протокола"), max_length=20, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("решение совета")
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "association"], name="approval_once_per_association"
            ),
        ]

    def __str__(self):
        return f"{self.association}: {'утверждено' if self.approved else 'не утверждено'}"


def application_upload_to(instance, filename):
    return f"contests/{instance.application.contest_id}/{instance.application_id}/{filename}"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("подана")
        ACCEPTED = "accepted", _("принята")
        REJECTED = "rejected", _("отклонена")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="applications")
    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("номинация"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        Member,
        verbose_name=_("заявитель"),
        on_delete=models.PROTECT,
        related_name="contest_applications",
    )
    participant_name = models.CharField(
        _("участник (ФИО)"),
        max_length=300,
        blank=True,
        help_text=_("Если заявку подаёт представитель колледжа за студента"),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("колледж"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    work_title = models.CharField(_("название работы"), max_length=500, blank=True)
    status = models.CharField(_("статус"), max_length=20, choices=Status, default=Status.SUBMITTED)
    reject_reason = models.TextField(_("причина отклонения"), blank=True)
    consent_at = models.DateTimeField(
        _("согласие на обработку персональных данных"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    total = models.DecimalField(
        _("итоговый балл"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    place = models.PositiveSmallIntegerField(_("место"), null=True, blank=True)
    award = models.CharField(_("награда"), max_length=300, blank=True)
    register_number = models.CharField(_("регистрационный номер"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("заявка")
        verbose_name_plural = _("заявки")
        ordering = ["contest", "nomination__position", "pk"]

    def __str__(self):
        return f"{self.display_name} — {self.nomination}"

    def get_absolute_url(self):
        return reverse("contests:application", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.participant_name or self.applicant.full_name


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("файл"), upload_to=application_upload_to)
    name = models.CharField(max_length=255)

    def __str__(self):
        return self.name


class Juror(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="jurors")
    member = models.ForeignKey(
        Member, verbose_name=_("член жюри"), on_delete=models.CASCADE, related_name="jury_seats"
    )
    is_chair = models.BooleanField(_("председатель жюри"), default=False)
    submitted_at = models.DateTimeField(_("оценки отправлены"), null=True, blank=True)

    class Meta:
        verbose_name = _("член жюри")
        ordering = ["-is_chair", "member__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "member"], name="juror_once_per_contest"),
        ]

    def __str__(self):
        return str(self.member)

    def is_recused_from(self, application: Application) -> bool:
        """A juror from the applicant's own college does not score it."""
        org = application.organization_id or application.applicant.organization_id
        return org is not None and org == self.member.organization_id


class Score(models.Model):
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    points = models.DecimalField(_("баллы"), max_digits=5, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "application", "criterion"], name="score_once"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.juror}: {self.points}"


class ExternalParticipation(models.Model):
    """A member's or a student's part in a contest someone else runs (for the year's report)."""

    association = models.ForeignKey(
        Association,
        verbose_name=_("объединение"),
        on_delete=models.CASCADE,
        related_name="external_participations",
    )
    contest_title = models.CharField(_("конкурс"), max_length=500)
    organiser = models.CharField(_("кто проводит"), max_length=500, blank=True)
    level = models.CharField(
        _("уровень"), max_length=20, choices=Contest.Level, default=Contest.Level.NATIONAL
    )
    year = models.PositiveSmallIntegerField(_("год"))
    member = models.ForeignKey(
        Member,
        verbose_name=_("участник из Rumo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    participant_name = models.CharField(
        _("участник (студент или гость)"), max_length=300, blank=True
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("колледж"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.CharField(_("результат"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("участие во внешнем конкурсе")
        ordering = ["-year", "contest_title"]

    def __str__(self):
        return f"{self.contest_title} ({self.year})"

    @property
    def display_name(self) -> str:
        return self.participant_name or (self.member.full_name if self.member else "")
