"""Read the bounces in a Maildir and mark the notices they are about as not delivered (cron)."""

import mailbox

from django.core.management.base import BaseCommand, CommandError

from rumo import bounces


class Command(BaseCommand):
    help = "Прочитать возвраты писем (Maildir адреса возвратов) и отметить недоставленные письма."

    def add_arguments(self, parser):
        parser.add_argument("maildir", help="Каталог Maildir с возвратами (new/ и cur/).")

    def handle(self, *args, maildir, **options):
        try:
            matched, unmatched = bounces.process_bounce_dir(maildir)
        except mailbox.NoSuchMailboxError as error:
            raise CommandError(f"Нет такого каталога Maildir: {maildir}") from error
        self.stdout.write(
            f"Возвратов по письмам Rumo: {matched}; "
            f"прочих писем (оставлены прочитанными в cur/): {unmatched}."
        )
