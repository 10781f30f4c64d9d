from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.importing import ImportProblem, apply_import, plan_import
from members.models import Association


class Command(BaseCommand):
    help = "Import members from an XLSX or CSV file (Russian headers, as the export writes them)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")
        parser.add_argument(
            "--association", help="Slug of the association new members join (e.g. library)."
        )

    def handle(self, *args, file: Path, dry_run: bool, association: str | None, **options):
        target = None
        if association:
            target = Association.objects.filter(slug=association).first()
            if target is None:
                raise CommandError(f"Объединение «{association}» не найдено.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Не удалось прочитать {file}: {error.strerror}") from error
        try:
            _planner, result = plan_import(data, file.name, association=target)
            for row in result.rows:
                if row.action in ("create", "update", "reject"):
                    self.stdout.write(self.describe(row))
            if not dry_run:
                apply_import(data, file.name, association=target)
        except ImportProblem as problem:
            raise CommandError(str(problem)) from problem
        counts = result.counts
        verb = "Будет" if dry_run else "Итого"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: создано {counts['create']}, изменено {counts['update']}, "
                f"без изменений {counts['unchanged']}, отклонено {counts['reject']}."
            )
        )

    @staticmethod
    def describe(row) -> str:
        details = [f"«{c}»: {m}" for c, m in row.errors]
        details += [f"{c}: {o or '—'} → {n}" for c, o, n in row.changes]
        action = {"create": "создать", "update": "изменить", "reject": "отклонить"}[row.action]
        return f"Строка {row.number}: {action} {row.name} — " + "; ".join(details)
