"""Tell whether a PDF file is a genuine document issued by the portal."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rumo.documents import FileCheck, check_file


class Command(BaseCommand):
    help = (
        "Проверить, является ли PDF-файл подлинным документом портала. "
        "Код выхода 0 — подлинный, 1 — нет."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Путь к PDF-файлу.")

    def handle(self, *args, file, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            message = _("Не удалось прочитать файл %(file)s: %(error)s")
            raise CommandError(message % {"file": file, "error": error.strerror}) from error
        check = check_file(data)
        for line in describe(check):
            self.stdout.write(line)
        if not check.genuine:
            raise CommandError(_("Документ не подтверждён."), returncode=1)
        self.stdout.write(self.style.SUCCESS(_("Документ подлинный.")))


def describe(check: FileCheck) -> list[str]:
    """Return the lines that tell a person what the check found."""
    document = check.matched
    if document is None:
        lines = [_("Файла нет в реестре выданных документов портала.")]
    else:
        lines = [
            _("Регистрационный номер: %s") % document.register_number,
            _("Название: %s") % document.title,
            _("Вид документа: %s") % document.get_kind_display(),
            _("Дата выдачи: %s") % day(document.issued_at),
        ]
        lines += [_("Подписал: %s") % signer_line(signer) for signer in document.signer_list]
        if document.is_draft:
            lines.append(_("Это проект документа, а не утверждённая редакция."))
    lines.append(_("Электронная подпись: %s") % signature_line(check))
    return lines


def day(value) -> str:
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return date_format(value, "d.m.Y")


def signer_line(signer: dict) -> str:
    parts = [signer["name"], signer.get("position"), signer["date"] and day(signer["date"])]
    return ", ".join(part for part in parts if part)


def signature_line(check: FileCheck) -> str:
    validation = check.validation
    if validation.reason != "valid":
        return validation.reason_text
    signed_at = day(validation.signed_at) if validation.signed_at else "—"
    return _("действительна (PAdES, %(signer)s, %(date)s)") % {
        "signer": validation.signer,
        "date": signed_at,
    }
