from django.core.management.base import BaseCommand

from members import demo as members_demo


class Command(BaseCommand):
    help = "Load the demo data taken from the 2024 seed plan (safe to run again)."

    def handle(self, *args, **options):
        members_demo.load()
        self.stdout.write(self.style.SUCCESS("Демо-данные загружены."))
        self.stdout.write(f"Пароль всех демо-входов: {members_demo.DEMO_PASSWORD}")
        for username, who in members_demo.logins():
            self.stdout.write(f"  {username:<10} — {who}")
