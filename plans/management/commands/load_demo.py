from django.core.management.base import BaseCommand

from contests import demo as contests_demo
from meetings import demo as meetings_demo
from members import demo as members_demo
from plans import demo as plans_demo
from plans.services import request_pdf
from rumo.models import DocumentBuild


class Command(BaseCommand):
    help = "Load the demo data taken from the 2024 seed plan (safe to run again)."

    def handle(self, *args, **options):
        associations = members_demo.load()
        plan = plans_demo.load(associations)
        meetings_demo.load(associations)
        contests_demo.load(associations)
        approved = plan.revisions.get(number=1)
        if not DocumentBuild.objects.filter(kind="plans.signed", object_id=approved.pk).exists():
            request_pdf(approved, draft=False)
        self.stdout.write(self.style.SUCCESS("Демо-данные загружены."))
        self.stdout.write(f"Пароль всех демо-входов: {members_demo.DEMO_PASSWORD}")
        for username, who in members_demo.logins():
            self.stdout.write(f"  {username:<10} — {who}")
