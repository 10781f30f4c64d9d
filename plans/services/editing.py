"""Edits of a draft revision: every write checks the draft and the row's version."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from members.models import Member
from rumo.uploads import discard_file

from ..models import Deletion, Item, Revision, Section, Stamp
from ..timing import mask, parse_months


class FrozenRevision(Exception):
    """The revision is not a draft: its text cannot change."""


class RowGone(Exception):
    """The row was deleted (by a colleague) before the edit reached it."""


class EditConflict(Exception):
    """Somebody saved the row after the user opened it."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


def lock_draft(revision_id: int) -> Revision:
    revision = Revision.objects.select_for_update().get(pk=revision_id)
    if not revision.is_editable:
        raise FrozenRevision
    return revision


def signed_stamps(revision: Revision) -> list[Stamp]:
    return [stamp for stamp in revision.stamps.all() if stamp.is_signed]


def clear_signatures(revision: Revision) -> list[str]:
    """Clear the signatures made over the old text; return who they were."""
    cleared = []
    for stamp in signed_stamps(revision):
        cleared.append(stamp.person_name)
        stamp.signed_on = None
        stamp.signed_by = None
        stamp.on_paper = False
        discard_file(stamp.scan)
        stamp.scan = ""
        stamp.save(update_fields=["signed_on", "signed_by", "on_paper", "scan"])
    return cleared


def touch(revision: Revision, by: Member | None) -> list[str]:
    """Record a change of the draft's text: bump its version, clear stale signatures.

    A queryset update skips ``auto_now``: the time of the change is set here, so the
    page's «изменено» line names the last change and who made it.
    """
    cleared = clear_signatures(revision)
    Revision.objects.filter(pk=revision.pk).update(
        content_version=F("content_version") + 1, updated_by=by, updated_at=timezone.now()
    )
    revision.refresh_from_db(fields=["content_version", "updated_by", "updated_at"])
    return cleared


# How long a deletion is remembered: longer than any form stays open in a tab.
KEEP_DELETIONS = timedelta(days=30)


def record_deletion(kind: str, rows, revision: Revision, by: Member | None) -> None:
    """Remember who deleted ``rows``: a colleague saving one of them is told."""
    Deletion.objects.filter(at__lt=timezone.now() - KEEP_DELETIONS).delete()
    Deletion.objects.bulk_create(
        Deletion(kind=kind, object_id=row.pk, revision=revision, by=by,
                 section_id_was=getattr(row, "section_id", None))
        for row in rows
    )  # fmt: skip


def deletion_of(kind: str, pk: int) -> Deletion | None:
    """Return who deleted the row of ``kind`` and when, if it was deleted from a draft."""
    return (
        Deletion.objects.filter(kind=kind, object_id=pk)
        .select_related("by", "revision__plan__association")
        .order_by("-at")
        .first()
    )


def versioned_update(model, obj, *, version: int, by: Member | None, **fields):
    updated = model.objects.filter(pk=obj.pk, version=version).update(
        **fields, version=F("version") + 1, updated_by=by
    )
    if not updated:
        current = model.objects.filter(pk=obj.pk).first()
        if current is None:  # a colleague deleted it meanwhile: nothing left to edit
            raise RowGone
        raise EditConflict(current)
    obj.refresh_from_db()
    return obj


def check_version(model, obj, version: int | None) -> None:
    """Refuse to act on a row changed since the user saw ``version`` (None: do not check).

    Every write of a section or item locks its draft first, so the row read here
    cannot change before the caller's write.
    """
    if version is None:
        return
    current = model.objects.filter(pk=obj.pk).first()
    if current is not None and current.version != version:
        raise EditConflict(current)


@transaction.atomic
def update_revision_header(
    revision: Revision,
    *,
    by: Member | None,
    version: int,
    title: str,
    place: str,
    signature_position: str,
    signature_name: str,
    date_style: str | None = None,
) -> list[str]:
    """Change the title block and closing signature of a draft."""
    locked = lock_draft(revision.pk)
    if locked.version != version:
        raise EditConflict(locked)
    Revision.objects.filter(pk=revision.pk).update(
        title=title,
        place=place,
        signature_position=signature_position,
        signature_name=signature_name,
        date_style=date_style or locked.date_style,
        version=F("version") + 1,
    )
    cleared = touch(locked, by)
    revision.refresh_from_db()
    return cleared


@transaction.atomic
def update_stamp(
    stamp: Stamp, *, by: Member | None, version: int, kind: str, position: str, person_name: str,
    basis: str = "", layout: str = Stamp.Layout.CLASSIC, side: str | None = None,
) -> list[str]:  # fmt: skip
    revision = lock_draft(stamp.revision_id)
    updated = Stamp.objects.filter(pk=stamp.pk, version=version).update(
        kind=kind, position=position, person_name=person_name, basis=basis, layout=layout,
        side=side or stamp.side, version=F("version") + 1,
    )  # fmt: skip
    if not updated:
        current = Stamp.objects.filter(pk=stamp.pk).first()
        if current is None:
            raise RowGone
        raise EditConflict(current)
    stamp.refresh_from_db()
    return touch(revision, by)


class StampSlotsFull(Exception):
    """A plan has at most two stamps: one on the left, one on the right."""


@transaction.atomic
def add_stamp(
    revision: Revision, *, by: Member | None, kind: str, side: str, position: str = "",
    person_name: str = "", basis: str = "", layout: str = Stamp.Layout.CLASSIC,
) -> Stamp:  # fmt: skip
    """Add a stamp to a draft in a free place (left or right)."""
    lock_draft(revision.pk)
    taken = Stamp.objects.filter(revision=revision)
    if taken.filter(side=side).exists() or taken.filter(kind=kind).exists():
        raise StampSlotsFull
    stamp = Stamp.objects.create(revision=revision, kind=kind, side=side, position=position,
                                 person_name=person_name, basis=basis, layout=layout)  # fmt: skip
    stamp.cleared_signatures = touch(revision, by)
    return stamp


@transaction.atomic
def delete_stamp(stamp: Stamp, *, by: Member | None, version: int | None = None) -> list[str]:
    """Remove a stamp from a draft (a plan approved by an order needs no agreement stamp)."""
    revision = lock_draft(stamp.revision_id)
    check_version(Stamp, stamp, version)
    discard_file(stamp.scan)
    record_deletion(Deletion.Kind.STAMP, [stamp], revision, by)
    stamp.delete()
    return touch(revision, by)


@transaction.atomic
def add_section(
    revision: Revision, *, by: Member | None, kind: str, title: str, text: str = ""
) -> Section:
    lock_draft(revision.pk)
    position = revision.sections.count() + 1
    section = Section.objects.create(
        revision=revision, position=position, kind=kind, title=title, text=text, updated_by=by
    )
    # Which signatures the change cleared: the view tells the user.
    section.cleared_signatures = touch(revision, by)
    return section


@transaction.atomic
def update_section(
    section: Section, *, by: Member | None, version: int, title: str, text: str = "", **layout
) -> list[str]:
    """Change a section's heading and text, and (``layout``) its numbering and columns."""
    revision = lock_draft(section.revision_id)
    allowed = {"numbering", "columns", "continue_numbering"}
    fields = {key: value for key, value in layout.items() if key in allowed}
    versioned_update(Section, section, version=version, by=by, title=title, text=text, **fields)
    return touch(revision, by)


@transaction.atomic
def delete_section(section: Section, *, by: Member | None, version: int | None = None) -> list[str]:
    """Delete the section and its items; given the ``version`` the user saw, only that one."""
    revision = lock_draft(section.revision_id)
    check_version(Section, section, version)
    record_deletion(Deletion.Kind.SECTION, [section], revision, by)
    record_deletion(Deletion.Kind.ITEM, section.items.all(), revision, by)
    section.delete()
    renumber(revision.sections.all())
    return touch(revision, by)


@transaction.atomic
def move_section(section: Section, *, by: Member | None, to_index: int) -> list[str]:
    """Put the section at ``to_index`` (0-based) among its revision's sections."""
    revision = lock_draft(section.revision_id)
    move(list(revision.sections.all()), section, to_index)
    return touch(revision, by)


def item_fields(fields: dict, section: Section) -> dict:
    """Understand the timing as months of the plan's period (what prints stays as written)."""
    if "timing" in fields:
        first_month = section.revision.plan.starts_on.month
        fields["month_mask"] = mask(parse_months(fields["timing"], first_month=first_month))
    return fields


@transaction.atomic
def add_item(section: Section, *, by: Member | None, responsible_members=(), **fields) -> Item:
    revision = lock_draft(section.revision_id)
    position = section.items.count() + 1
    item = Item.objects.create(section=section, position=position, updated_by=by,
                               **item_fields(fields, section))  # fmt: skip
    item.responsible_members.set(responsible_members)
    item.cleared_signatures = touch(revision, by)
    return item


@transaction.atomic
def update_item(
    item: Item, *, by: Member | None, version: int, responsible_members=None, **fields
) -> list[str]:
    """Change an item's text, timing, place, responsibles or links."""
    revision = lock_draft(item.section.revision_id)
    versioned_update(Item, item, version=version, by=by, **item_fields(fields, item.section))
    if responsible_members is not None:
        item.responsible_members.set(responsible_members)
    return touch(revision, by)


@transaction.atomic
def delete_item(item: Item, *, by: Member | None, version: int | None = None) -> list[str]:
    """Delete the item; given the ``version`` the user saw, only that one."""
    revision = lock_draft(item.section.revision_id)
    check_version(Item, item, version)
    section = item.section
    record_deletion(Deletion.Kind.ITEM, [item], revision, by)
    item.delete()
    renumber(section.items.all())
    return touch(revision, by)


@transaction.atomic
def move_item(item: Item, *, by: Member | None, to_index: int) -> list[str]:
    """Put the item at ``to_index`` (0-based) within its section."""
    revision = lock_draft(item.section.revision_id)
    move(list(item.section.items.all()), item, to_index)
    return touch(revision, by)


def move(rows: list, row, to_index: int) -> None:
    rows = [r for r in rows if r.pk != row.pk]
    rows.insert(max(0, min(to_index, len(rows))), row)
    renumber(rows)


def renumber(rows) -> None:
    rows = list(rows)
    for position, row in enumerate(rows, start=1):
        row.position = position
    if rows:
        type(rows[0]).objects.bulk_update(rows, ["position"])
