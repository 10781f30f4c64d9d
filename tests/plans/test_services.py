"""Plan services: creation, copying, editing a draft, and the agreement workflow."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import IntegrityError, connection

from meetings.models import Meeting
from plans import services
from plans.models import Item, Plan, Revision, Section, Stamp
from plans.outline import outline
from rumo.models import DocumentBuild

Status = Revision.Status


def items_of(revision, kind):
    return list(Item.objects.filter(section__revision=revision, section__kind=kind))


def test_new_plan_has_the_seed_skeleton_and_stamps_of_the_role_holders(draft, chair):
    assert draft.number == 1
    assert draft.status == Status.DRAFT
    assert draft.title_lines[-1] == "на 2025 год"
    kinds = [s.kind for s in draft.sections.all()]
    assert kinds == ["numbered", "numbered", "events", "meetings", "orgwork"]
    stamps = {s.kind: s for s in draft.stamps.all()}
    assert stamps[Stamp.Kind.AGREED].person_name == "О.Б. Кузнецова"
    assert stamps[Stamp.Kind.AGREED].position == "Куратор, член Координационного Совета РУМО"
    assert stamps[Stamp.Kind.APPROVED].person_name == "Л.П. Рудакова"
    assert draft.signature_name == "С.Н. Лоскутова"


def test_section_numerals_skip_the_meetings_subsection(draft):
    assert [b.numeral for b in outline(draft)] == ["I", "II", "III", "", "IV"]


def test_second_plan_for_the_same_year_is_refused(draft, library, chair):
    with pytest.raises(services.PlanExists):
        services.create_plan(library, year=2025, by=chair)
    assert Plan.objects.filter(association=library, year=2025).count() == 1


def test_database_refuses_a_duplicate_plan_even_past_the_service(draft, library):
    with pytest.raises(IntegrityError):
        Plan.objects.create(association=library, year=2025)


def test_timing_is_parsed_into_months_and_kept_as_written(draft, chair):
    events = draft.sections.get(kind=Section.Kind.EVENTS)
    item = services.add_item(events, by=chair, text="Семинар.", timing="по согласованию")
    assert (item.timing, item.months) == ("по согласованию", set())
    contest = events.items.get(timing="апрель-май")
    assert contest.months == {4, 5}


def test_stale_edit_is_refused_with_the_current_text(draft, chair, council):
    item = items_of(draft, "numbered")[0]
    opened_version = item.version
    services.update_item(item, by=chair, version=opened_version, text="Текст председателя.")
    with pytest.raises(services.EditConflict) as conflict:
        services.update_item(item, by=council, version=opened_version, text="Другой текст.")
    assert conflict.value.current.text == "Текст председателя."
    item.refresh_from_db()
    assert item.text == "Текст председателя."


def test_frozen_revision_cannot_be_edited(draft, chair, curator):
    services.send_for_agreement(draft, by=chair)
    item = items_of(draft, "numbered")[0]
    with pytest.raises(services.FrozenRevision):
        services.update_item(item, by=chair, version=item.version, text="Исправление.")
    with pytest.raises(services.FrozenRevision):
        services.delete_item(item, by=chair)
    item.refresh_from_db()
    assert item.text == "Первое направление."


def test_moving_and_deleting_items_keep_positions_consecutive(draft, chair):
    numbered = Item.objects.get(section__revision=draft, text="Первое направление.").section
    second = services.add_item(numbered, by=chair, text="Второе.")
    third = services.add_item(numbered, by=chair, text="Третье.")
    services.move_item(third, by=chair, to_index=0)
    assert [i.text for i in numbered.items.all()] == ["Третье.", "Первое направление.", "Второе."]
    services.delete_item(second, by=chair)
    assert [i.position for i in numbered.items.all()] == [1, 2]


def test_full_workflow_signs_both_stamps_and_queues_the_signed_pdf(
    draft, chair, curator, approver, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_for_agreement(draft, by=chair)
    draft.refresh_from_db()
    assert draft.status == Status.ON_AGREEMENT
    assert [m.to for m in mailoutbox] == [[curator.email]]
    assert "ждёт согласования" in mailoutbox[0].subject
    services.agree_revision(draft, by=curator, on=date(2025, 1, 20))
    draft.refresh_from_db()
    assert draft.status == Status.AGREED
    services.approve_revision(draft, by=approver, on=date(2025, 1, 25))
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert draft.approved_at is not None
    stamps = {s.kind: s for s in draft.stamps.all()}
    assert stamps[Stamp.Kind.AGREED].signed_on == date(2025, 1, 20)
    assert stamps[Stamp.Kind.APPROVED].signed_by == approver
    assert DocumentBuild.objects.filter(kind="plans.signed", object_id=draft.pk).exists()


def test_approval_before_agreement_is_refused(draft, chair, approver):
    services.send_for_agreement(draft, by=chair)
    with pytest.raises(services.WorkflowError):
        services.approve_revision(draft, by=approver, on=date(2025, 1, 25))
    draft.refresh_from_db()
    assert draft.status == Status.ON_AGREEMENT


def test_approving_twice_gives_one_result(draft, chair, curator, approver):
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=date(2025, 1, 20))
    services.approve_revision(draft, by=approver, on=date(2025, 1, 25))
    again = services.approve_revision(draft, by=approver, on=date(2025, 2, 1))
    assert again.status == Status.APPROVED
    assert draft.stamps.get(kind=Stamp.Kind.APPROVED).signed_on == date(2025, 1, 25)


def test_edit_after_return_clears_the_signatures_made_over_the_old_text(
    draft, chair, curator, approver
):
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=date(2025, 1, 20))
    services.return_revision(draft, by=approver, comment="Уточните сроки конкурса.")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.return_comment == "Уточните сроки конкурса."
    item = items_of(draft, "events")[0]
    cleared = services.update_item(item, by=chair, version=item.version, timing="май")
    assert cleared == ["О.Б. Кузнецова"]
    assert not draft.stamps.filter(signed_on__isnull=False).exists()
    services.send_for_agreement(draft, by=chair)
    draft.refresh_from_db()
    assert draft.status == Status.ON_AGREEMENT
    assert draft.return_comment == ""


def test_resending_unchanged_text_keeps_the_agreement(draft, chair, curator, approver):
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=date(2025, 1, 20))
    services.return_revision(draft, by=approver, comment="Подпишу позже.")
    services.send_for_agreement(draft, by=chair)
    draft.refresh_from_db()
    assert draft.status == Status.AGREED


def test_paper_signature_counts_as_a_signature(draft, chair, staff):
    services.send_for_agreement(draft, by=chair)
    stamp = draft.stamps.get(kind=Stamp.Kind.AGREED)
    services.record_paper_signature(stamp, by=None, person_name="О.Б. Кузнецова",
                                    on=date(2025, 1, 21))  # fmt: skip
    stamp.refresh_from_db()
    assert stamp.on_paper and stamp.signed_on == date(2025, 1, 21)
    draft.refresh_from_db()
    assert draft.status == Status.AGREED


def approve(revision, chair, curator, approver):
    services.send_for_agreement(revision, by=chair)
    services.agree_revision(revision, by=curator, on=date(2025, 1, 20))
    services.approve_revision(revision, by=approver, on=date(2025, 1, 25))
    revision.refresh_from_db()
    return revision


def test_new_revision_copies_the_text_and_supersedes_the_old_on_approval(
    draft, chair, curator, approver
):
    first = approve(draft, chair, curator, approver)
    second = services.start_revision(first.plan, by=chair)
    assert second.number == 2 and second.status == Status.DRAFT
    assert [i.text for i in items_of(second, "events")] == [
        i.text for i in items_of(first, "events")
    ]
    assert not second.stamps.filter(signed_on__isnull=False).exists()
    with pytest.raises(services.WorkflowError):
        services.start_revision(first.plan, by=chair)
    approve(second, chair, curator, approver)
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert items_of(first, "events")[0].text == "Конкурс «Лучший библиотекарь СПО»."


def test_copy_of_last_years_plan_moves_years_and_clears_execution(
    draft, chair, curator, approver, library
):
    approved = approve(draft, chair, curator, approver)
    item = items_of(approved, "orgwork")[0]
    services.mark_execution(item, by=chair, execution=Item.Execution.DONE, note="Собрано 30 анкет")
    meetings = approved.sections.get(kind=Section.Kind.MEETINGS)
    meeting = Meeting.objects.create(association=library, year=2025, number=1, planned_month=1)
    meeting.agenda_items.create(position=1, title="Анализ работы за 2025 год.")
    Item.objects.create(section=meetings, position=1, text="Заседание № 1.", meeting=meeting,
                        timing="январь, 2025 г.")  # fmt: skip

    plan = services.create_plan(library, year=2026, by=chair, copy_from=approved)
    copy = plan.revisions.get()
    assert copy.title_lines[-1] == "на 2026 год"
    org = items_of(copy, "orgwork")[0]
    assert org.timing == "январь – март, 2026"
    assert org.execution == Item.Execution.PLANNED and org.execution_note == ""
    copied_meeting = items_of(copy, "meetings")[0].meeting
    assert copied_meeting.year == 2026 and copied_meeting.pk != meeting.pk
    assert copied_meeting.agenda_items.get().title == "Анализ работы за 2026 год."
    assert {"old": "январь – март, 2025", "new": "январь – март, 2026"}.items() <= next(
        n for n in copy.copy_notes if n["old"] == "январь – март, 2025"
    ).items()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_give_one_approval(chair, curator, approver, library):
    plan = services.create_plan(library, year=2025, by=chair)
    revision = plan.revisions.get()
    services.send_for_agreement(revision, by=chair)
    services.agree_revision(revision, by=curator, on=date(2025, 1, 20))
    errors = []

    def press_approve():
        try:
            services.approve_revision(Revision.objects.get(pk=revision.pk), by=approver,
                                      on=date(2025, 1, 25))  # fmt: skip
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press_approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    revision.refresh_from_db()
    assert revision.status == Status.APPROVED
    assert DocumentBuild.objects.filter(kind="plans.signed", object_id=revision.pk).count() == 1
    # Without the row lock both requests would sign and both would tell the chair.
    approved_mails = [m for m in mail.outbox if "утверждён" in m.subject]
    assert [m.to for m in approved_mails] == [[chair.email]]


def test_header_edit_is_not_refused_because_an_item_changed(draft, chair):
    opened = draft.version
    item = items_of(draft, "numbered")[0]
    services.update_item(item, by=chair, version=item.version, text="Другая формулировка.")
    services.update_revision_header(
        draft, by=chair, version=opened, title="ПЛАН РАБОТЫ\nна 2025 год", place="Чебоксары",
        signature_position="Председатель", signature_name="С.Н. Лоскутова",
    )  # fmt: skip
    draft.refresh_from_db()
    assert draft.title_lines == ["ПЛАН РАБОТЫ", "на 2025 год"]
    with pytest.raises(services.EditConflict):
        services.update_revision_header(
            draft, by=chair, version=opened, title="Чужой заголовок", place="Чебоксары",
            signature_position="", signature_name="",
        )  # fmt: skip


def test_signing_fills_the_stamp_with_the_signers_name_and_position(draft, chair, curator, library):
    stamp = draft.stamps.get(kind=Stamp.Kind.AGREED)
    services.update_stamp(stamp, by=chair, version=stamp.version, kind=stamp.kind,
                          position="Другая должность", person_name="Иванов И.И.")  # fmt: skip
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=date(2025, 1, 20))
    stamp.refresh_from_db()
    assert stamp.person_name == "О.Б. Кузнецова"
    assert stamp.position == "Куратор, член Координационного Совета РУМО"


def test_execution_marked_while_a_new_revision_was_in_the_works_carries_over(
    draft, chair, curator, approver
):
    first = approve(draft, chair, curator, approver)
    second = services.start_revision(first.plan, by=chair)
    old_item = items_of(first, "orgwork")[0]
    services.mark_execution(old_item, by=chair, execution=Item.Execution.DONE, note="Собрано")
    approve(second, chair, curator, approver)
    new_item = items_of(second, "orgwork")[0]
    assert (new_item.execution, new_item.execution_note) == (Item.Execution.DONE, "Собрано")
