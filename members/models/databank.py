"""The data bank beyond the member row: courses, awards, consents, requests, the access log."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import validate_year_not_future
from .people import Association, Member

FIRST_YEAR = 1950


def certificate_upload_to(course: "Course", filename: str) -> str:
    # The stored name never carries the uploaded one (it may hold personal data) and
    # cannot be guessed; the files are served only through the permission-checked view.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"members/certificates/{course.member_id}/{secrets.token_hex(12)}.{suffix}"


class Course(models.Model):
    """A professional-development course (курсы повышения квалификации)."""

    member = models.ForeignKey(
        Member, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="courses"
    )
    title = models.CharField(_("название программы"), max_length=500)
    organizer = models.CharField(_("организатор"), max_length=500, blank=True)
    hours = models.PositiveSmallIntegerField(
        _("объём, часов"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    year = models.PositiveSmallIntegerField(
        _("год"), validators=[MinValueValidator(FIRST_YEAR), validate_year_not_future]
    )
    certificate = models.FileField(
        _("удостоверение (PDF, JPEG или PNG)"),
        upload_to=certificate_upload_to,
        max_length=200,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("курс повышения квалификации")
        verbose_name_plural = _("курсы повышения квалификации")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=1), name="course_hours_positive"),
        ]

    def __str__(self):
        return f"{self.title}, {self.hours} ч., {self.year}"


class Award(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="awards"
    )
    title = models.CharField(_("награда"), max_length=500)
    year = models.PositiveSmallIntegerField(
        _("год"), validators=[MinValueValidator(FIRST_YEAR), validate_year_not_future]
    )
    issued_by = models.CharField(_("кем награждён(а)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("награда")
        verbose_name_plural = _("награды")
        ordering = ["-year", "title"]

    def __str__(self):
        return f"{self.title} ({self.year})"


class Consent(models.Model):
    """One consent to personal-data processing (152-FZ) as it was given: version and moment."""

    member = models.ForeignKey(
        Member, verbose_name=_("участник"), on_delete=models.CASCADE, related_name="consents"
    )
    version = models.CharField(_("версия текста согласия"), max_length=20)
    given_at = models.DateTimeField(_("дано"))
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие на обработку персональных данных")
        verbose_name_plural = _("согласия на обработку персональных данных")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "version"], name="consent_once_per_version"),
        ]

    def __str__(self):
        return f"{self.member} — {self.version}"


class DeletionRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(completed_at__isnull=True)


class DeletionRequest(models.Model):
    """A member's request to delete their personal data, and what staff did with it."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="deletion_requests",
    )
    requested_at = models.DateTimeField(_("подан"))
    reason = models.TextField(_("комментарий участника"), blank=True)
    completed_at = models.DateTimeField(_("исполнен"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("исполнил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("запрос на удаление данных")
        verbose_name_plural = _("запросы на удаление данных")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(completed_at__isnull=True),
                name="deletion_request_one_open_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.requested_at:%d.%m.%Y}"


class AccessLog(models.Model):
    """Who opened or exported data-bank fields, when, and what (never the values themselves)."""

    class Action(models.TextChoices):
        VIEW_PROFILE = "view_profile", _("просмотр профиля")
        VIEW_REPORT = "view_report", _("просмотр характеристики кадров")
        EXPORT_REPORT = "export_report", _("выгрузка характеристики кадров (XLSX)")
        EXPORT_REPORT_PDF = "export_report_pdf", _("скачивание характеристики кадров (PDF)")
        EXPORT_MEMBERS = "export_members", _("выгрузка участников (XLSX)")
        IMPORT_MEMBERS = "import_members", _("загрузка участников")
        DOWNLOAD_CERTIFICATE = "certificate", _("скачивание удостоверения")
        ERASE = "erase", _("удаление персональных данных")
        VIEW_PETITION = "view_petition", _("просмотр ходатайства о награждении")
        EXPORT_PETITION_PDF = "export_petition_pdf", _("скачивание ходатайства о награждении (PDF)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    who = models.CharField(_("кто (как записано)"), max_length=255)
    at = models.DateTimeField(_("когда"), db_index=True)
    action = models.CharField(_("действие"), max_length=20, choices=Action)
    association = models.ForeignKey(
        Association,
        verbose_name=_("объединение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("чьи данные"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_log",
    )
    what = models.CharField(_("что"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("запись журнала доступа")
        verbose_name_plural = _("журнал доступа к банку данных")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.who}: {self.get_action_display()}"
