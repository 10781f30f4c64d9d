from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.models import AccessLog, Association
from members.services import log_access
from members.spreadsheets import export_members


class Command(BaseCommand):
    help = "Export the members of an association to XLSX (the columns import reads back)."

    def add_arguments(self, parser):
        parser.add_argument("association", help="Slug of the association, e.g. library.")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, association: str, output: Path, **options):
        found = Association.objects.filter(slug=association).first()
        if found is None:
            raise CommandError(f"Объединение «{association}» не найдено.")
        output.write_bytes(export_members(found))
        log_access(None, action=AccessLog.Action.EXPORT_MEMBERS, association=found,
                   what=f"{found} → {output.name}", who="manage.py export_members")  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"Выгружено в {output}."))
