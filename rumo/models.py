from datetime import date

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
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
    def issued(self):
        """Documents whose file exists: not a number still reserved or left unused."""
        return self.filter(status=IssuedDocument.Status.ISSUED)

    def final(self):
        return self.issued().filter(is_draft=False)

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

    class Status(models.TextChoices):
        # The number and code are taken first, in a short transaction; the file is
        # built outside the register's lock and attached (docs/documents.md).
        RESERVED = "reserved", _("номер зарезервирован, файл ещё не сформирован")
        ISSUED = "issued", _("выдан")
        UNUSED = "unused", _("номер не использован")

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
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    file = models.FileField(_("файл"), upload_to=document_upload_to, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, blank=True)
    signed = models.BooleanField(_("подписан электронной подписью"), default=False)
    signers = models.JSONField(_("подписавшие"), default=list, blank=True)
    issued_at = models.DateTimeField(_("зарегистрирован"))
    document_date = models.DateField(
        _("дата документа"),
        null=True,
        blank=True,
        help_text=_("Дата самого документа (утверждения, заседания); не дата регистрации."),
    )
    content_version = models.CharField(
        _("версия содержания"),
        max_length=64,
        blank=True,
        help_text=_("Отпечаток того, что показывает документ: неизменный не регистрируется снова."),
    )
    is_draft = models.BooleanField(_("проект"), default=False)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("выданный документ")
        verbose_name_plural = _("реестр выданных документов")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64) | ~Q(status="issued"),
                name="rumo_issued_document_sha256_length",
            ),
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(status="issued"),
                name="rumo_issued_document_has_file",
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


def build_upload_to(build: "DocumentBuild", filename: str) -> str:
    return f"documents/unregistered/{timezone.localdate():%Y}/{filename}"


class DocumentBuild(models.Model):
    """The state of one document of one object: built by a worker, never inside a request.

    ``kind`` names a kind of rumo.pipeline's registry, ``object_id`` its object.
    A registered document's file is ``issued``; an unregistered one (a plan's
    draft) is stored on the row itself.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        BUILDING = "building", _("формируется")
        DONE = "done", _("готов")
        FAILED = "failed", _("ошибка")

    kind = models.CharField(_("вид"), max_length=50)
    object_id = models.PositiveBigIntegerField(_("объект"))
    state = models.CharField(_("состояние"), max_length=20, choices=State, default=State.QUEUED)
    issued = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("документ реестра"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("файл"), upload_to=build_upload_to, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    content_version = models.CharField(_("версия содержания"), max_length=64, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    requested_at = models.DateTimeField(_("запрошен"), default=timezone.now)
    built_at = models.DateTimeField(_("сформирован"), null=True, blank=True)

    class Meta:
        verbose_name = _("формирование документа")
        verbose_name_plural = _("формирование документов")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="document_build_one_per_object"
            ),
        ]
        indexes = [models.Index(fields=["state", "requested_at"], name="document_build_sweep")]

    def __str__(self):
        return f"{self.kind}:{self.object_id} ({self.get_state_display()})"

    @property
    def busy(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.BUILDING)

    @property
    def stored_file(self):
        """Return the built file: the register's copy, or the row's own."""
        return self.issued.file if self.issued_id else self.file

    @property
    def register_number(self) -> str:
        return self.issued.register_number if self.issued_id else ""

    @property
    def document_code(self) -> str:
        return self.issued.code if self.issued_id else ""


class OutboxMessage(models.Model):
    """One e-mail to one person, recorded with the change that causes it (rumo/outbox.py).

    ``key`` makes enqueueing idempotent: the same notice about the same object
    to the same person is one row, however often it is asked for. The row is
    claimed (``claimed_until``) just before the SMTP hand-off and marked SENT
    right after; ``due_at`` is the next attempt, pushed back after a failure.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("ожидает отправки")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("ошибка доставки")
        NO_EMAIL = "no_email", _("нет адреса")
        SKIPPED = "skipped", _("не требуется")

    key = models.CharField(max_length=255, unique=True)
    # What sort of notice this is ("announcement", "plan_on_agreement", ...) and,
    # among notices of one kind about one object, which one (a version, a month).
    kind = models.CharField(max_length=40)
    slot = models.CharField(max_length=100, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    # The members app sits above rumo: the recipient's Member id, without a foreign key.
    recipient_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    to_name = models.CharField(max_length=255, blank=True)
    to_email = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=500)
    body = models.TextField()
    html = models.TextField(blank=True)
    # [{"filename", "content" (text), "mimetype", "params"}]
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=20, choices=State, default=State.PENDING)
    due_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Given at enqueue and kept across attempts; a later bounce is matched by it.
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("письмо")
        verbose_name_plural = _("исходящие письма")
        indexes = [
            models.Index(fields=["state", "due_at"], name="outbox_due"),
            models.Index(fields=["content_type", "object_id"], name="outbox_about"),
        ]

    def __str__(self):
        return f"{self.subject} — {self.to_email or self.to_name} ({self.get_state_display()})"

    @property
    def bounced(self) -> bool:
        """Accepted by the mail relay, then returned undeliverable (see rumo/bounces.py)."""
        return self.state == self.State.FAILED and self.sent_at is not None
