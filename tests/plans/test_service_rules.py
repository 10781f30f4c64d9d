"""Rules the plan views rely on live in services: they refuse, the views only translate."""

import pytest
from django.utils import timezone

from plans import services
from plans.models import Item, Section, Stamp


def stamp_of(revision, kind) -> Stamp:
    return revision.stamps.get(kind=kind)


def test_paper_signature_is_refused_for_a_draft(draft):
    with pytest.raises(services.WorkflowError):
        services.check_paper_signature(draft, stamp_of(draft, Stamp.Kind.AGREED))


def test_paper_signature_only_for_the_stamp_the_plan_waits_for(draft, chair):
    services.send_for_agreement(draft, by=chair)
    draft.refresh_from_db()

    services.check_paper_signature(draft, stamp_of(draft, Stamp.Kind.AGREED))
    with pytest.raises(services.WorkflowError, match="ждёт другой подписи"):
        services.check_paper_signature(draft, stamp_of(draft, Stamp.Kind.APPROVED))
    with pytest.raises(services.WorkflowError, match="ждёт другой подписи"):
        services.record_paper_signature(
            stamp_of(draft, Stamp.Kind.APPROVED), by=chair, person_name="X",
            on=timezone.localdate(),
        )  # fmt: skip


def test_execution_marks_only_on_the_approved_revision(draft, chair, curator, approver):
    with pytest.raises(services.ExecutionClosed):
        services.check_execution_open(draft)

    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=timezone.localdate())
    services.approve_revision(draft, by=approver, on=timezone.localdate())
    draft.refresh_from_db()

    services.check_execution_open(draft)


def test_an_edit_of_a_deleted_item_raises_a_domain_error_not_a_404(draft, chair):
    item = Item.objects.filter(section__revision=draft).first()
    version = item.version
    services.delete_item(item, by=chair)

    with pytest.raises(services.RowGone):
        services.update_item(item, by=chair, version=version, text="Новый текст.")


def test_adding_to_a_signed_draft_returns_the_signatures_it_cleared(draft, chair):
    Stamp.objects.filter(revision=draft, kind=Stamp.Kind.AGREED).update(
        signed_on=timezone.localdate()
    )
    agreed_by = stamp_of(draft, Stamp.Kind.AGREED).person_name
    events = draft.sections.get(kind=Section.Kind.EVENTS)

    item = services.add_item(events, by=chair, text="Ещё одно мероприятие.")
    assert item.cleared_signatures == [agreed_by]
    assert not stamp_of(draft, Stamp.Kind.AGREED).is_signed

    section = services.add_section(draft, by=chair, kind=Section.Kind.EVENTS, title="Ещё")
    assert section.cleared_signatures == []


def test_mark_execution_refuses_an_item_of_a_draft_whoever_calls(draft, chair):
    """The rule lives in the service: a receiver or a script cannot mark a draft either."""
    item = draft.sections.get(kind="orgwork").items.get()
    with pytest.raises(services.ExecutionClosed):
        services.mark_execution(item, by=chair, execution=Item.Execution.DONE, note="Собрано")
    item.refresh_from_db()
    assert (item.execution, item.execution_note) == (Item.Execution.PLANNED, "")
