"""Rows the URL matrix needs beyond the personas; each app adds its own."""

from rumo.documents import issue_document
from rumo.models import IssuedDocument


def build(world: dict) -> dict:
    rows = {}
    rows["document"] = issued_document()
    rows.update(workflow_rows(world))
    rows.update(plan_rows(world))
    rows.update(notice_rows(world))
    rows.update(meeting_rows(world))
    rows.update(databank_rows(world))
    rows.update(contest_rows(world))
    return rows


def databank_rows(world: dict) -> dict:
    """Natalia's consented profile with a course (certificate) and an award, a running
    campaign of the library association, an analysed import batch, a deletion request."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from members import services
    from members.models import ImportBatch
    from members.pdf import PERSONAL_DATA, PETITION, REPORT
    from members.tokens import campaign_token
    from rumo import pipeline

    member, chair = world["member"], world["chair"]
    services.give_consent(member)
    course = services.add_course(
        member, title="Цифровые сервисы", organizer="ЧРИО", hours=36, year=2024,
        certificate=ContentFile(b"%PDF-1.4\n%%EOF\n", name="certificate.pdf"),
    )  # fmt: skip
    award = services.add_award(member, title="Почётная грамота", year=2023)
    campaign = services.open_campaign(
        world["library"], title="Банк данных", due_date=timezone.localdate() + timedelta(days=30),
        reminder_interval_days=7, by=chair.user,
    )  # fmt: skip
    batch = ImportBatch.objects.create(
        token="matrixbatch", association=world["library"], filename="list.csv",
        state=ImportBatch.State.READY, created_by=chair.user,
        counts={"create": 1, "update": 0, "unchanged": 0, "reject": 0},
    )  # fmt: skip
    batch.file.save("list.csv", ContentFile("Фамилия;Имя\nНовикова;Дарья\n".encode()))
    services.request_deletion(world["council"], reason="")
    pipeline.build_now(REPORT, world["library"])  # the report's PDF, for its download URL
    pipeline.build_now(PERSONAL_DATA, member)  # Natalia's own data PDF
    petition = services.save_petition(
        world["library"], award="Почётная грамота", addressee="", members=[member], by=chair.user
    )
    services.write_merits(petition, {member.pk: "За вклад в развитие библиотечного дела."})
    pipeline.build_now(PETITION, petition)  # the petition's PDF, for its download URL
    return {
        "db_petition": petition,
        "db_course": course,
        "db_award": award,
        "db_campaign": campaign,
        "db_link": campaign_token(campaign.pk, member.pk),
        "db_batch": batch,
    }


def plan_rows(world: dict) -> dict:
    """A plan with an approved revision 1 and a draft revision 2, each with a section and item."""
    from django.utils import timezone

    from plans import services
    from plans.models import Section

    chair, today = world["chair"], timezone.localdate()
    plan = services.create_plan(world["library"], year=2030, by=chair)
    approved = plan.revisions.get()
    events = approved.sections.get(kind=Section.Kind.EVENTS)
    services.add_item(events, by=chair, text="Конкурс чтецов «Золотая лира».", timing="октябрь")
    services.send_for_agreement(approved, by=chair)
    services.agree_revision(approved, by=world["curator"], on=today)
    services.approve_revision(approved, by=world["approver"], on=today)
    draft = services.start_revision(plan, by=chair)
    section = draft.sections.get(kind=Section.Kind.EVENTS)
    return {
        "plan": plan,
        "approved": approved,
        "approved_item": events.items.get(),
        "draft": draft,
        "draft_stamp": draft.stamps.first(),
        "draft_section": section,
        "draft_item": section.items.get(),
    }


def issued_document() -> IssuedDocument:
    """Register a tiny unsigned PDF, without WeasyPrint to keep the matrix fast."""
    return issue_document(
        kind=IssuedDocument.Kind.PLAN,
        title="План работы РУМО на 2024 год",
        source="tests.world:1",
        build=lambda number, url: f"%PDF-1.4\n% {url}\n%%EOF\n".encode(),
        signers=[],
        sign=False,
    )


def workflow_rows(world: dict) -> dict:
    """Plans of the library association in each workflow state (years far from real plans)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from plans import pdf as plan_pdfs
    from plans.models import Plan, Revision, Stamp
    from rumo.models import DocumentBuild

    Status = Revision.Status
    library, today = world["library"], timezone.localdate()

    def revision(year: int, status: str, signed: tuple = ()) -> Revision:
        plan = Plan.objects.create(association=library, year=year)
        row = Revision.objects.create(plan=plan, number=1, status=status, title="ПЛАН", place="Ч")
        for kind, side, name in ((Stamp.Kind.AGREED, "left", "О.Б. Кузнецова"),
                                 (Stamp.Kind.APPROVED, "right", "Л.П. Рудакова")):  # fmt: skip
            Stamp.objects.create(revision=row, kind=kind, side=side, person_name=name,
                                 signed_on=today if kind in signed else None)  # fmt: skip
        return row

    def ready_pdf(row: Revision, *, draft: bool) -> DocumentBuild:
        kind = plan_pdfs.DRAFT if draft else plan_pdfs.SIGNED
        pdf = DocumentBuild(kind=kind.name, object_id=row.pk, state=DocumentBuild.State.DONE,
                            sha256="0" * 64, content_version=kind.version(row))  # fmt: skip
        pdf.file.save("wf.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        pdf.save()
        return pdf

    rows = {
        "wf_draft": revision(2041, Status.DRAFT),
        "wf_waiting": revision(2042, Status.ON_AGREEMENT),
        "wf_agreed": revision(2043, Status.AGREED, signed=(Stamp.Kind.AGREED,)),
        "wf_approved": revision(2044, Status.APPROVED, signed=tuple(Stamp.Kind)),
    }
    ready_pdf(rows["wf_draft"], draft=True)
    ready_pdf(rows["wf_approved"], draft=False)
    rows["wf_approved"].paper_scan.save("scan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    paper = rows["wf_approved"].stamps.get(kind=Stamp.Kind.AGREED)
    paper.on_paper = True
    paper.scan.save("signature.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    rows["wf_paper_stamp"] = paper
    return rows


def notice_rows(world: dict) -> dict:
    """An announced library meeting ahead, and Natalia's calendar feed."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.feeds import renew_calendar_feed
    from meetings.models import AgendaItem, Meeting

    starts_at = timezone.now() + timedelta(days=20)
    year = timezone.localtime(starts_at).year
    meeting = Meeting.objects.create(
        association=world["library"], year=year, number=Meeting.next_number(world["library"], year),
        starts_at=starts_at, link="https://meet.example.org/nt", status=Meeting.Status.ANNOUNCED,
        announced_at=timezone.now(),
    )  # fmt: skip
    AgendaItem.objects.create(meeting=meeting, position=1, title="Выборы совета РУМО")
    return {"nt_meeting": meeting, "nt_feed": renew_calendar_feed(world["member"])}


def meeting_rows(world: dict) -> dict:
    """Library meetings: announced (ahead), planned, held (minutes open), approved; their PDFs."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from meetings import pdf as meeting_pdfs
    from meetings import services
    from meetings.models import Meeting
    from rumo.models import DocumentBuild

    library, now = world["library"], timezone.now()
    ahead, past = now + timedelta(days=30), now - timedelta(days=3)
    announced = services.schedule_meeting(
        library, year=ahead.year, starts_at=ahead, link="https://meet.example.org/mt",
        agenda=[("Повестка: выборы совета", "")],
    )  # fmt: skip
    Meeting.objects.filter(pk=announced.pk).update(
        status=Meeting.Status.ANNOUNCED, announced_at=now
    )
    announced.refresh_from_db()
    item = announced.agenda_items.get()
    item.document.save("materials.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    planned = services.schedule_meeting(library, year=ahead.year, starts_at=ahead)
    held = services.create_meeting(library, year=past.year, starts_at=past,
                                   agenda=[("Отчёт о работе", "")])  # fmt: skip
    services.record_attendance(held, present=[world["member"], world["chair"]], invited_count=0)
    approved = services.create_meeting(library, year=past.year, starts_at=past,
                                       agenda=[("Положение о конкурсе", "")])  # fmt: skip
    approved_item = approved.agenda_items.get()
    services.record_attendance(approved, present=[world["member"]], invited_count=1)
    services.record_minutes(approved, chair_name="С.Н. Лоскутова", secretary_name="И.Г. Николаева")
    services.record_item_minutes(approved_item, decided="Утвердить.", votes_for=2)
    services.approve_minutes(approved)
    for meeting, kind, agenda_item in ((announced, "agenda", None),
                                       (approved, "extract", approved_item)):  # fmt: skip
        document = meeting_pdfs.KINDS[kind]
        obj = meeting_pdfs.load_meeting(meeting.pk)
        if agenda_item:
            obj = meeting_pdfs.load_item(agenda_item.pk)
        issued = issued_document()
        DocumentBuild.objects.update_or_create(
            kind=document.name, object_id=obj.pk,
            defaults={"state": DocumentBuild.State.DONE, "issued": issued, "sha256": issued.sha256,
                      "content_version": document.version(obj)},
        )  # fmt: skip
    return {
        "mt_meeting": announced,
        "mt_item": item,
        "mt_planned": planned,
        "mt_held": held,
        "mt_held_item": held.agenda_items.get(),
        "mt_approved": approved,
        "mt_approved_item": approved_item,
    }


def contest_rows(world: dict) -> dict:
    """Library contests: a draft, a running one (Natalia applied, Marina on the jury) and
    one with published results (Natalia's diploma)."""
    from contests import pdf as contest_pdfs
    from contests import services
    from rumo.models import DocumentBuild
    from tests.contests import approve, draft_contest, pdf_upload

    library, member = world["library"], world["member"]

    def applied(contest):
        application = services.submit_application(
            contest, member, nomination=contest.approved_regulation.nominations.first(),
            files=[pdf_upload()], consent=True,
        )  # fmt: skip
        return services.decide_application(application, accept=True)

    draft = draft_contest(library, title="Матрица: черновик", year=2031)
    regulation = services.newest(draft)
    running = approve(draft_contest(library, title="Матрица: идёт", year=2031), library)
    application = applied(running)
    seat = services.appoint_juror(running, world["council"])
    done = approve(draft_contest(library, title="Матрица: итоги", year=2031), library)
    finished = applied(done)
    judge = services.appoint_juror(done, world["chair"])
    criteria = done.approved_regulation.criteria.all()
    services.save_scores(judge, finished, {c.pk: "1" for c in criteria})
    services.submit_scores(judge)
    services.approve_results(done)
    services.publish_results(done)
    built = (
        (contest_pdfs.REGULATION, running.approved_regulation),
        (contest_pdfs.JURY_PROTOCOL, running),
        (contest_pdfs.DIPLOMA, finished),
    )
    for kind, obj in built:
        obj = kind.load(obj.pk)
        issued = issued_document()
        DocumentBuild.objects.update_or_create(
            kind=kind.name, object_id=obj.pk,
            defaults={"state": DocumentBuild.State.DONE, "issued": issued, "sha256": issued.sha256,
                      "content_version": kind.version(obj)},
        )  # fmt: skip
    return {
        "ct_draft": regulation,
        "ct_regulation": running.approved_regulation,
        "ct_criterion": regulation.criteria.first(),
        "ct_running": running,
        "ct_application": application,
        "ct_file": application.files.get(),
        "ct_seat": seat,
        "ct_finished": finished,
        "ct_done": done,
    }
