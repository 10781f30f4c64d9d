"""Deciding per row what an import does, and doing it."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumo import page_cache

from ..models import Association, Member, Membership, Organization
from ..search import fold
from ..spreadsheets import COLUMNS, NO, YES
from .checking import LABELS, parse_row
from .reading import map_headers, read_rows

PROGRESS_EVERY = 500
DATA_FIELDS = [c.field for c in COLUMNS if c.field != "organization"]


@dataclass
class RowPlan:
    number: int
    action: str  # create | update | unchanged | reject
    name: str
    values: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)  # (column, old, new)
    errors: list = field(default_factory=list)  # (column, message)
    member_id: int | None = None
    join: bool = False

    def as_preview(self) -> dict:
        return {
            "row": self.number,
            "action": self.action,
            "name": self.name,
            "changes": [[str(c), str(o), str(n)] for c, o, n in self.changes],
            "errors": [[str(c), str(m)] for c, m in self.errors],
        }


class Planner:
    """The current members and colleges, loaded once, against which rows are decided."""

    def __init__(self, association: Association | None, *, restricted: bool):
        self.association, self.restricted = association, restricted
        members = Member.objects.select_related("organization").only(
            *DATA_FIELDS, "organization__short_name", "organization__name"
        )
        self.by_email: dict[str, Member] = {}
        self.by_name: dict[tuple, Member] = {}
        for member in members:
            if member.email:
                self.by_email.setdefault(member.email.lower(), member)
            self.by_name.setdefault(self.name_key(member.__dict__, member.organization), member)
        self.colleges: dict[str, Organization] = {}
        for college in Organization.objects.all():
            self.colleges.setdefault(fold(college.short_name), college)
            self.colleges.setdefault(fold(college.name), college)
        self.in_association = set()
        if association:
            self.in_association = set(
                Membership.objects.active()
                .filter(association=association)
                .values_list("member_id", flat=True)
            )
        self.seen: dict = {}

    @staticmethod
    def name_key(values: dict, college) -> tuple:
        name = college.short_name if isinstance(college, Organization) else (college or "")
        parts = (values.get("last_name"), values.get("first_name"), values.get("patronymic"))
        return (*(fold(p or "") for p in parts), fold(name))

    def college(self, name: str):
        """Return the college named ``name``, or the name itself when it is new."""
        return self.colleges.get(fold(name), name) if name else None

    def plan(self, number: int, values: dict, errors: list) -> RowPlan:
        name = " ".join(values.get(k) or "" for k in ("last_name", "first_name", "patronymic"))
        row = RowPlan(number=number, action="reject", name=name.strip(), errors=errors)
        if errors:
            return row
        college = self.college(values.pop("organization", ""))
        key = self.name_key(values, college)
        email = values.get("email")
        for seen_key in filter(None, (email, key)):
            if seen_key in self.seen:
                column = LABELS["email"] if seen_key == email else LABELS["last_name"]
                message = _("повторяет строку %(row)s") % {"row": self.seen[seen_key]}
                row.errors.append((column, message))
                return row
        member = (self.by_email.get(email) if email else None) or self.by_name.get(key)
        self.seen.update({k: number for k in (email, key) if k})
        if member and self.restricted and member.pk not in self.in_association:
            row.errors.append(
                (
                    LABELS["email"] if email else LABELS["last_name"],
                    _("участник из другого объединения: его данные меняет сотрудник"),
                )
            )
            return row
        row.values = {k: v for k, v in values.items() if v not in (None, "")}
        if college is not None:
            row.values["organization"] = college
        row.member_id = member.pk if member else None
        row.changes = self.changes(member, row.values)
        row.join = bool(
            self.association and (member is None or member.pk not in self.in_association)
        )
        if row.join and member is not None:
            row.changes.append((_("Объединение"), "", self.association.short_name))
        row.action = "create" if member is None else ("update" if row.changes else "unchanged")
        return row

    @staticmethod
    def changes(member: Member | None, values: dict) -> list:
        found = []
        for name, new in values.items():
            old = getattr(member, name) if member else None
            if name == "organization":
                old_name = old.short_name if old else ""
                new_name = new.short_name if isinstance(new, Organization) else new
                if old_name != new_name:
                    found.append((LABELS[name], old_name, new_name))
            elif old != new:
                found.append((LABELS[name], show(old), show(new)))
        return found


def show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


@dataclass
class ImportResult:
    rows: list[RowPlan]
    counts: dict


def plan_import(
    data: bytes,
    filename: str,
    *,
    association: Association | None,
    restricted: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Planner, ImportResult]:
    """Decide every row of the file; write nothing.

    ``progress(done, total)``: while the file is read, (rows read, 0) — the total is not
    known yet; then (rows decided, rows in the file)."""
    reading = (lambda read: progress(read, 0)) if progress else None
    headers, rows = read_rows(data, filename, progress=reading)
    columns = map_headers(headers)
    planner = Planner(association, restricted=restricted)
    plans = []
    for index, cells in enumerate(rows):
        plans.append(planner.plan(index + 2, *parse_row(cells, columns)))
        if progress and (index + 1) % PROGRESS_EVERY == 0:
            progress(index + 1, len(rows))
    counts = {action: 0 for action in ("create", "update", "unchanged", "reject")}
    for row in plans:
        counts[row.action] += 1
    return planner, ImportResult(plans, counts)


def iter_batches(items: list, size: int = 1000) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_import(
    data: bytes,
    filename: str,
    *,
    association: Association | None,
    restricted: bool = False,
    progress: Callable[[int, int], None] | None = None,
    then: Callable[[dict], None] | None = None,
) -> dict:
    """Plan the file again against the current rows, then write its creates and updates.

    The reading runs outside the transaction so its progress is visible; the
    writes and ``then(counts)`` (which marks the batch) commit together.
    """
    planner, result = plan_import(
        data, filename, association=association, restricted=restricted, progress=progress
    )
    rows = [r for r in result.rows if r.action in ("create", "update")]
    with transaction.atomic():
        if then:
            then(result.counts)
        add_colleges(rows, planner)
        created = write_members(rows, planner)
        if association:
            joining = [r.member_id for r in rows if r.join and r.member_id]
            joining += [m.pk for m in created]
            Membership.objects.bulk_create(
                [
                    Membership(
                        member_id=pk,
                        association=association,
                        role=Membership.Role.MEMBER,
                        start=timezone.localdate(),
                        note=_("загружен(а) из файла"),
                    )
                    for pk in dict.fromkeys(joining)
                ],  # fmt: skip
                ignore_conflicts=True,
            )
        # Bulk writes send no signals: cached pages (the characteristics report) move on.
        page_cache.bump()
        transaction.on_commit(page_cache.bump)
    return result.counts


def add_colleges(rows: list[RowPlan], planner: Planner) -> None:
    new_colleges = {fold(v): v for r in rows if isinstance(v := r.values.get("organization"), str)}
    for college in Organization.objects.bulk_create(
        [Organization(name=name, short_name=name) for name in new_colleges.values()]
    ):
        planner.colleges[fold(college.name)] = college
    for row in rows:
        if isinstance(row.values.get("organization"), str):
            row.values["organization"] = planner.colleges[fold(row.values["organization"])]


def write_members(rows: list[RowPlan], planner: Planner) -> list[Member]:
    now = timezone.now()
    new = [Member(**r.values) for r in rows if r.action == "create"]
    created = []
    for batch in iter_batches(new):
        created += Member.objects.bulk_create(batch)
    existing = {m.pk: m for m in planner.by_email.values()} | {
        m.pk: m for m in planner.by_name.values()
    }
    # Rows that set the same fields to the same values (a new position, a category)
    # become one UPDATE … WHERE id IN (…); the rest go through bulk_update, which
    # writes a CASE per field and row, in small batches of only the changed fields.
    same: dict[tuple, list[int]] = {}
    for row in (r for r in rows if r.action == "update"):
        member = existing[row.member_id]
        changed = {n: v for n, v in row.values.items() if getattr(member, n) != v}
        if changed:  # else the row only joins the association
            key = tuple(sorted((n, v.pk if isinstance(v, Organization) else v)
                               for n, v in changed.items()))  # fmt: skip
            same.setdefault(key, []).append(member.pk)
    singles: dict[tuple, list[Member]] = {}
    for key, ids in same.items():
        values = {name if name != "organization" else "organization_id": v for name, v in key}
        if len(ids) > 1:
            for chunk in iter_batches(ids, 500):
                Member.objects.filter(pk__in=chunk).update(**values, updated_at=now)
            continue
        member = existing[ids[0]]
        for name, value in values.items():
            setattr(member, name, value)
        member.updated_at = now
        singles.setdefault(tuple(values), []).append(member)
    for fields, members in singles.items():
        for batch in iter_batches(members, 200):
            Member.objects.bulk_update(batch, [*fields, "updated_at"])
    return created
