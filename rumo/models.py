from datetime import date

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def document_upload_to(document: "IssuedDocument", filename: str) -> str:
    return f"documents/{document.issued_at:%Y}/{filename}"


class DocumentCounter(models.Model):
    """The last register number given out in a year."""

    year = models.PositiveIntegerField(_("год"), unique=True)
    last = models.PositiveIntegerField(_("последний номер"), default=0)

    class Meta:
        verbose_name = _("счётчик реестра")
        verbose_name_plural = _("счётчики реестра")

    def __str__(self):
        return f"{self.year}: {self.last}"


class IssuedDocumentQuerySet(models.QuerySet):
    def final(self):
        return self.filter(is_draft=False)

    def for_source(self, source: str):
        return self.filter(source=source)


class IssuedDocument(models.Model):
    """A PDF the portal issued: its register number, file, checksum and signers."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("План работы")
        AGENDA = "agenda", _("Повестка заседания")
        MINUTES = "minutes", _("Протокол заседания")
        EXTRACT = "extract", _("Выписка из протокола")
        REGULATION = "regulation", _("Положение")
        DIPLOMA = "diploma", _("Диплом")
        REPORT = "report", _("Отчёт")

    register_number = models.CharField(_("регистрационный номер"), max_length=32, unique=True)
    code = models.CharField(_("код проверки"), max_length=16, unique=True)
    kind = models.CharField(_("вид документа"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("название"), max_length=500)
    source = models.CharField(
        _("источник"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("Запись, из которой собран документ, например «plans.revision:42»."),
    )
    file = models.FileField(_("файл"), upload_to=document_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    signed = models.BooleanField(_("подписан электронной подписью"), default=False)
    signers = models.JSONField(_("подписавшие"), default=list, blank=True)
    issued_at = models.DateTimeField(_("выдан"))
    is_draft = models.BooleanField(_("проект"), default=False)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("выданный документ")
        verbose_name_plural = _("реестр выданных документов")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64),
                name="rumo_issued_document_sha256_length",
            ),
        ]

    def __str__(self):
        return f"{self.register_number} {self.title}"

    def get_absolute_url(self):
        return reverse("verify", kwargs={"code": self.code})

    @property
    def signer_list(self) -> list[dict]:
        """Return the signers with their dates parsed back from ISO strings."""
        return [
            {**signer, "date": date.fromisoformat(signer["date"]) if signer.get("date") else None}
            for signer in self.signers
        ]
