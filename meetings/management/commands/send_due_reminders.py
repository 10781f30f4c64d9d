"""Plan the due meeting reminders and send every due notice in this process (for cron)."""

from django.core.management.base import BaseCommand

from meetings import services
from rumo import outbox


class Command(BaseCommand):
    help = "Запланировать наступившие напоминания о заседаниях и отправить все ожидающие письма."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="Сколько писем брать за один проход."
        )

    def handle(self, *args, limit, **options):
        planned = services.plan_reminders()
        outcome = outbox.send_due(limit=limit)
        self.stdout.write(
            f"Запланировано напоминаний: {planned['planned']}; "
            f"отменено устаревших: {planned['skipped'] + outcome.skipped}."
        )
        self.stdout.write(
            f"Отправлено писем: {outcome.sent}; ошибок: {outcome.failed}; "
            f"отложено до следующего запуска: {outcome.retry}."
        )
        for error in outcome.errors[:10]:
            self.stderr.write(f"  {error}")
