"""Write a plan's revision to a Word file (.docx)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.docx_export import write_docx
from plans.models import Revision
from plans.services.importing import spec_of

from .export_plan_pdf import chosen_plan, plan_arguments


class Command(BaseCommand):
    help = (
        "Сохранить план работы в файл Word (.docx): утверждённую редакцию, а если её нет — "
        "самую новую (или --revision N)."
    )

    def add_arguments(self, parser):
        plan_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="Файл, куда записать .docx.")
        parser.add_argument("--revision", type=int, help="Номер редакции.")

    def handle(self, *args, association, year, plan_id, output, revision, **options):
        plan = chosen_plan(association, year, plan_id)
        chosen = chosen_revision(plan, revision)
        data = write_docx(spec_of(chosen))
        Path(output).write_bytes(data)
        self.stdout.write(f"Файл Word записан: {output} ({len(data)} байт)")


def chosen_revision(plan, number: int | None) -> Revision:
    revisions = plan.revisions.order_by("-number")
    if number is not None:
        found = revisions.filter(number=number).first()
        if found is None:
            raise CommandError(f"В плане «{plan}» нет редакции {number}.")
        return found
    found = revisions.filter(status=Revision.Status.APPROVED).first() or revisions.first()
    if found is None:
        raise CommandError(f"В плане «{plan}» нет ни одной редакции.")
    return found
