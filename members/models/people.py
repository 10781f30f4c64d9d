from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..search import Folded, fold
from ..validators import MAX_EXPERIENCE_YEARS, validate_not_future, validate_phone


class Association(models.Model):
    name = models.CharField(_("название"), max_length=255, unique=True)
    short_name = models.CharField(_("краткое название"), max_length=100)
    slug = models.SlugField(_("код в адресе"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("вышестоящее объединение"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.CharField(_("регион"), max_length=255, default="Чувашская Республика")
    city = models.CharField(_("город"), max_length=100, default="Чебоксары")

    class Meta:
        verbose_name = _("объединение")
        verbose_name_plural = _("объединения")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("members:association-detail", args=[self.slug])


class Organization(models.Model):
    name = models.CharField(_("полное название"), max_length=500, unique=True)
    short_name = models.CharField(_("краткое название"), max_length=255)
    city = models.CharField(_("город"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name or self.name


# Roles of people who belong to an association (its librarians), as opposed
# to the curator and approver, who sign its documents from outside.
MEMBER_ROLES = ("chair", "deputy", "secretary", "council", "member")
# Roles filled by the council elections at meeting № 1.
COUNCIL_ROLES = ("chair", "deputy", "secretary", "council")


class MemberQuerySet(models.QuerySet):
    def of_association(self, association, on=None):
        """Return the people holding a member role in the association (each once)."""
        roles = Membership.objects.active(on).filter(
            member=models.OuterRef("pk"), association=association, role__in=MEMBER_ROLES
        )
        return self.filter(models.Exists(roles))

    def search(self, text: str, *, with_email: bool = False):
        """Return the people every word of ``text`` finds (case and «ё» ignored)."""
        words = [fold(word) for word in text.split()]
        if not words:
            return self
        columns = ["last_name", "first_name", "patronymic", "organization__short_name"]
        columns += ["email"] if with_email else []
        folded = {f"folded_{i}": Folded(column) for i, column in enumerate(columns)}
        queryset = self.alias(**folded)
        for word in words:
            match = Q()
            for name in folded:
                match |= Q(**{f"{name}__contains": word})
            queryset = queryset.filter(match)
        return queryset


class Member(models.Model):
    class Education(models.TextChoices):
        HIGHER = "higher", _("высшее")
        VOCATIONAL = "vocational", _("среднее профессиональное")
        SECONDARY = "secondary", _("среднее общее")

    class Category(models.TextChoices):
        NONE = "none", _("без категории")
        FIRST = "first", _("первая")
        HIGHEST = "highest", _("высшая")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    patronymic = models.CharField(_("отчество"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.CharField(_("должность"), max_length=255, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True, validators=[validate_phone])

    education = models.CharField(_("образование"), max_length=20, choices=Education, blank=True)
    has_library_education = models.BooleanField(_("библиотечное образование"), default=False)
    category = models.CharField(
        _("квалификационная категория"),
        max_length=20,
        choices=Category,
        default=Category.NONE,
    )
    category_date = models.DateField(
        _("дата присвоения категории"), null=True, blank=True, validators=[validate_not_future]
    )
    total_experience = models.PositiveSmallIntegerField(
        _("общий стаж, лет"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)],
    )
    library_experience = models.PositiveSmallIntegerField(
        _("библиотечный стаж, лет"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)],
    )
    consent_at = models.DateTimeField(
        _("согласие на обработку персональных данных"), null=True, blank=True
    )
    consent_version = models.CharField(_("версия текста согласия"), max_length=20, blank=True)
    confirmed_at = models.DateTimeField(_("профиль подтверждён"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("участник")
        verbose_name_plural = _("участники")
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.CheckConstraint(
                condition=Q(library_experience__isnull=True)
                | Q(total_experience__isnull=True)
                | Q(library_experience__lte=models.F("total_experience")),
                name="member_library_experience_within_total",
                violation_error_message=_("Библиотечный стаж не может превышать общий."),
            ),
        ]
        # The directory and the petition's nominee picker list people in this order a
        # page at a time: with 10,000 members the index reads a page, not sorts them all.
        indexes = [
            models.Index(
                fields=["last_name", "first_name", "patronymic", "id"], name="member_name_order"
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("members:member-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """Return the name as official documents write it: «С.Н. Лоскутова»."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{initials} {self.last_name}".strip()

    def has_current_consent(self, version: str) -> bool:
        return self.consent_at is not None and self.consent_version == version

    def clean(self):
        from django.core.exceptions import ValidationError

        # Every fault at once: the form shows them together, not one per submission.
        errors = {}
        total, library = self.total_experience, self.library_experience
        if total is not None and library is not None and library > total:
            errors["library_experience"] = _("Библиотечный стаж не может превышать общий.")
        if self.category == self.Category.NONE and self.category_date:
            errors["category_date"] = _("Дата указывается, только если категория присвоена.")
        if errors:
            raise ValidationError(errors)


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start__lte=on) | Q(start__isnull=True)).filter(
            Q(end__gte=on) | Q(end__isnull=True)
        )


class Membership(models.Model):
    """A role held by a member in an association for a term."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("председатель")
        DEPUTY = "deputy", _("заместитель председателя")
        SECRETARY = "secretary", _("секретарь")
        COUNCIL = "council", _("член совета")
        MEMBER = "member", _("член объединения")
        CURATOR = "curator", _("куратор")
        APPROVER = "approver", _("утверждающий")

    # The association's own people: invited to its meetings, counted towards the
    # quorum. Curators and approvers oversee it from the parent body.
    OWN_ROLES = (Role.CHAIR, Role.DEPUTY, Role.SECRETARY, Role.COUNCIL, Role.MEMBER)

    member = models.ForeignKey(
        Member, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="memberships"
    )
    association = models.ForeignKey(
        Association,
        verbose_name=_("объединение"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role)
    title = models.CharField(
        _("должность для документов"),
        max_length=255,
        blank=True,
        help_text=_("Например: «Куратор, член Координационного Совета РУМО»."),
    )
    start = models.DateField(_("с"), null=True, blank=True)
    end = models.DateField(_("по"), null=True, blank=True)
    election = models.ForeignKey(
        "members.CouncilElection",
        verbose_name=_("выборы"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seats",
    )
    note = models.CharField(
        _("основание"),
        max_length=255,
        blank=True,
        help_text=_("Например: «избран на заседании № 1»."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("роль в объединении")
        verbose_name_plural = _("роли в объединениях")
        ordering = ["association", "role", "member"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="membership_term_ordered",
                violation_error_message=_("Дата окончания раньше даты начала."),
            ),
            models.UniqueConstraint(
                fields=["member", "association", "role", "start"],
                name="membership_unique_term",
                violation_error_message=_("Такая роль с этой даты уже записана."),
            ),
            models.UniqueConstraint(
                fields=["member", "association", "role"],
                condition=Q(start__isnull=True),
                name="membership_unique_open_term",
                violation_error_message=_("Такая роль уже записана."),
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.get_role_display()} ({self.association})"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.start is None or self.start <= today) and (
            self.end is None or self.end >= today
        )
