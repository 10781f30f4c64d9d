"""Import a plan from a Word file (.docx) or a text file as a new draft."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.models import Association
from plans.docx_import import Unreadable, read_docx
from plans.reading import describe
from plans.services import PlanExists, importing
from plans.text_import import read_text


class Command(BaseCommand):
    help = (
        "Импортировать план из файла .docx или .txt как новый черновик; последняя строка "
        "вывода — адрес черновика."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Файл .docx или .txt.")
        parser.add_argument("--association", required=True, help="Код объединения в адресе (slug).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Только показать, что распознано; не сохранять."
        )

    def handle(self, *args, file, association, dry_run, **options):
        found = Association.objects.filter(slug=association).first()
        if found is None:
            raise CommandError(f"Объединение «{association}» не найдено.")
        spec = read_file(Path(file))
        for warning in spec.warnings:
            self.stdout.write(f"Предупреждение: {warning}")
        if dry_run:
            for line in describe(spec):
                self.stdout.write(line)
            self.stdout.write("Пробный запуск: ничего не сохранено.")
            return
        try:
            with transaction.atomic():
                revision = importing.create_from_spec(found, spec, by=None)
        except PlanExists:
            raise CommandError(
                f"У объединения «{found.name}» уже есть такой план на этот период."
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(settings.SITE_URL.rstrip("/") + revision.get_absolute_url())


def read_file(path: Path):
    if not path.is_file():
        raise CommandError(f"Файл «{path}» не найден.")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        try:
            return read_docx(path.read_bytes())
        except Unreadable:
            raise CommandError(f"Файл «{path}» — не документ Word (.docx).") from None
    if suffix in (".txt", ".text"):
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                return read_text(data.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise CommandError(f"Файл «{path}»: неизвестная кодировка текста (нужна UTF-8).")
    raise CommandError("Можно импортировать файлы .docx и .txt.")
