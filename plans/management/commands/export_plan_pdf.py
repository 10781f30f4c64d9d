"""Write a plan's PDF to a file: the signed approved revision, or a draft of the newest one."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.models import Association
from plans.models import Plan, Revision
from plans.outline import load_revision
from plans.pdf import SIGNED, render_revision
from rumo import pipeline


class Command(BaseCommand):
    help = "Сохранить PDF плана работы: утверждённую подписанную редакцию или проект (--draft)."

    def add_arguments(self, parser):
        plan_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="Файл, куда записать PDF.")
        parser.add_argument(
            "--draft", action="store_true", help="Проект самой новой редакции (с пометкой ПРОЕКТ)."
        )

    def handle(self, *args, association, year, plan_id, output, draft, **options):
        plan = chosen_plan(association, year, plan_id)
        data = draft_pdf(plan) if draft else signed_pdf(plan)
        Path(output).write_bytes(data)
        self.stdout.write(f"PDF записан: {output} ({len(data)} байт)")


def plan_arguments(parser) -> None:
    """The plan: ``ASSOCIATION YEAR``, or ``--id PLAN_ID`` (printed by import_plan's address)."""
    parser.add_argument("association", nargs="?", help="Код объединения в адресе (slug).")
    parser.add_argument("year", nargs="?", type=int, help="Год плана.")
    parser.add_argument(
        "--id", dest="plan_id", type=int, help="Номер плана (вместо объединения и года)."
    )


def chosen_plan(association: str | None, year: int | None, plan_id: int | None) -> Plan:
    if plan_id is not None:
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"Плана с номером {plan_id} нет.")
        return plan
    if not association or year is None:
        raise CommandError("Укажите объединение и год плана или --id PLAN_ID.")
    return find_plan(association, year)


def find_plan(slug: str, year: int) -> Plan:
    found = Association.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"Объединение «{slug}» не найдено.")
    plan = Plan.objects.filter(association=found, year=year).first()
    if plan is None:
        raise CommandError(f"У объединения «{found.name}» нет плана на {year} год.")
    return plan


def draft_pdf(plan: Plan) -> bytes:
    revision = plan.revisions.order_by("-number").first()
    if revision is None:
        raise CommandError(f"В плане «{plan}» нет ни одной редакции.")
    return render_revision(load_revision(revision.pk), draft=True)


def signed_pdf(plan: Plan) -> bytes:
    """Return the signed PDF, building it here (as the task would) when it is not ready."""
    revision = plan.revisions.filter(status=Revision.Status.APPROVED).first()
    if revision is None:
        raise CommandError(
            f"План «{plan}» ещё не утверждён. Проект можно получить с ключом --draft."
        )
    row = pipeline.build_now(SIGNED, load_revision(revision.pk))
    if row.state != row.State.DONE:
        raise CommandError(f"PDF не сформирован: {row.error}")
    return pipeline.read_file(row)
