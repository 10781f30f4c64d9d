"""Reading plans: the list, a revision as a document, and the difference between revisions."""

import difflib
import hashlib
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from members.models import Association
from members.rules import is_office_staff, roles_by_association
from rumo import outbox, page_cache
from rumo.access import deny

from ..forms import DiffForm, PlanSearchForm
from ..models import Item, Plan, Revision, Section
from ..outline import item_text, load_revision, outline, plain_lines, stamps_by_side
from .workflow import workflow_context

PAGE_SIZE = 20
# Stands for the CSRF token in cached rows; replaced by the reader's own.
CSRF_SLOT = "csrf-slot-5e0c9a"
TEMPLATE = "plans/revision_detail.html"
READ = "plans.read_revision"
# Rows that are events with an outcome; priorities and tasks are not «done».
EXECUTABLE = {Section.Kind.EVENTS, Section.Kind.MEETINGS, Section.Kind.ORGWORK}
MONTHS_SHORT = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]


def readable_plans(user):
    """Return the plans with at least one revision the user may read."""
    plans = Plan.objects.select_related("association")
    if is_office_staff.test(user):
        return plans
    insider = Q(association__in=list(roles_by_association(user)))
    visible = Q(revisions__status__in=Revision.PUBLISHED) | insider
    return plans.filter(visible).distinct()


def readable(user, revisions) -> list[Revision]:
    return [revision for revision in revisions if user.has_perm(READ, revision)]


def creatable_associations(user) -> list[Association]:
    associations = Association.objects.filter(pk__in=list(roles_by_association(user)))
    return [a for a in associations if user.has_perm("plans.create_plan", a)]


def plan_list(request):
    form = PlanSearchForm(request.GET or None)
    plans = readable_plans(request.user)
    if form.is_valid():
        if association := form.cleaned_data["association"]:
            plans = plans.filter(association=association)
        if year := form.cleaned_data["year"]:
            plans = plans.filter(year=year)
    newest_first = Revision.objects.order_by("-number")
    plans = plans.order_by("association__name", "-year").prefetch_related(
        Prefetch("revisions", queryset=newest_first)
    )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [PlanEntry.of(plan, readable(request.user, plan.revisions.all())) for plan in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "entries": entries,
        "query": query.urlencode(),
        "searching": form.is_bound,
        "creatable": creatable_associations(request.user),
    }
    return render(request, "plans/plan_list.html", context)


@dataclass
class PlanEntry:
    plan: Plan
    newest: Revision
    approved: Revision | None

    @classmethod
    def of(cls, plan: Plan, revisions: list[Revision]) -> "PlanEntry":
        approved = next((r for r in revisions if r.status == Revision.Status.APPROVED), None)
        return cls(plan, revisions[0], approved if approved != revisions[0] else None)


@page_cache.whole_page
def plan_detail(request, slug, key):
    """Show the newest revision of the plan that the user may read."""
    plan = get_object_or_404(
        Plan.objects.select_related("association"), association__slug=slug, key=key
    )
    revisions = readable(request.user, plan.revisions.order_by("-number"))
    if not revisions:
        return deny(request)
    return show_revision(request, revisions[0].pk)


@page_cache.whole_page
def revision_detail(request, slug, key, number):
    revision = get_object_or_404(
        Revision.objects.select_related("plan__association"),
        plan__association__slug=slug,
        plan__key=key,
        number=number,
    )
    if not request.user.has_perm(READ, revision):
        return deny(request)
    return show_revision(request, revision.pk)


def show_revision(request, pk: int, *, status: int = 200, **extra):
    if not extra:
        revision = (
            Revision.objects.select_related("plan__association", "updated_by")
            .prefetch_related("stamps__signed_by")
            .get(pk=pk)
        )
        if revision.is_published and not request.user.has_perm("plans.edit_revision", revision):
            context = kept_while_current(request, published_context(request, revision))
            return render(request, TEMPLATE, context, status=status)
    revision = load_revision(pk)
    context = kept_while_current(request, revision_context(request, revision, **extra))
    return render(request, TEMPLATE, context, status=status)


def kept_while_current(request, context: dict) -> dict:
    """A page showing a document being built is not cached whole: the worker finishes it
    without a request (its panel polls meanwhile)."""
    workflow = context["workflow"]
    if any(panel and panel["busy"] for panel in (workflow["draft_pdf"], workflow["signed_pdf"])):
        page_cache.no_store(request, "a document is being built")
    return context


def with_cached_rows(request, revision, blocks, *, can_edit: bool, can_mark: bool) -> None:
    """Give every row its HTML (``row.html``), rendered once per version of the row.

    A row of the editor holds eight links and a form; rendering hundreds of
    them is most of the draft editor's time. The key holds everything the row
    shows (its item's version and texts, what it takes from its meeting, contest
    and people, its number and its section's size and columns, what the reader
    may do), so a row is rendered again only when one of them changes, not on
    every write elsewhere; the CSRF token, the one per-user part, is put in
    after the cache.
    """
    rows = {}
    for block in blocks:
        columns = [(key, str(label)) for key, label in block.columns]
        for row in block.rows:
            item = row.item
            contest = item.contest
            texts = (row.text, row.months, row.numbered, row.timing, row.place, item.timing,
                     item.place, item.responsible, item.execution, item.execution_note,
                     item.time, item.form, item.participants, item.result, item.label,
                     item.level, item.is_group, row.index, block.section.columns,
                     block.section.kind, columns, [row.cell(key) for key, _ in columns],
                     [m.short_name for m in item.responsible_members.all()],
                     [(a.position, a.title) for a in row.agenda],
                     (contest.pk, contest.title, contest.year) if contest else None,
                     item.meeting.number if item.meeting else None)  # fmt: skip
            shown = repr(texts)
            rows[item.pk] = (block, row), (
                "plans.row", item.pk, item.version, row.number, len(block.rows),
                block.section.pk, block.section.kind, can_edit, can_mark, revision.is_published,
                hashlib.sha1(shown.encode()).hexdigest(),
            )  # fmt: skip

    def build(names) -> dict:
        base = {"revision": revision, "can_edit": can_edit, "can_mark": can_mark,
                "editing": None, "csrf_token": CSRF_SLOT}  # fmt: skip
        return {
            pk: render_to_string(
                f"{TEMPLATE}#item", {**base, "block": rows[pk][0][0], "row": rows[pk][0][1]}
            )
            for pk in names
        }

    html = page_cache.cached_many(
        {pk: parts for pk, (_, parts) in rows.items()}, build, 24 * 3600, complete=True
    )
    token = get_token(request)
    for pk, ((_, row), _) in rows.items():
        row.html = mark_safe(html[pk].replace(CSRF_SLOT, token))  # noqa: S308 (rendered above)


def published_context(request, revision: Revision) -> dict:
    """Return the context of a published revision read by someone who cannot edit it.

    Its paper (stamps, header, sections, signature) and progress are rendered
    once per version of the revision and reused for every reader
    (rumo/page_cache.py); the menu, the list of revisions and the workflow
    panel, which differ per user, are rendered around them.
    """
    user, plan = request.user, revision.plan
    can_mark = revision.status == Revision.Status.APPROVED and user.has_perm(
        "plans.mark_execution", revision
    )

    def build() -> dict:
        full = load_revision(revision.pk)
        blocks = outline(full)
        for index, block in enumerate(blocks):
            block.index, block.last = index, index == len(blocks) - 1
            for row in block.rows:
                row.text, row.months = item_text(row), ""
        context = {"plan": full.plan, "revision": full, "blocks": blocks, "can_edit": False,
                   "can_mark": can_mark, "stamps": stamps_by_side(full), "editing": None,
                   "progress": progress_of(blocks)}  # fmt: skip
        return {
            "paper": render_to_string(f"{TEMPLATE}#paper", context),
            "progress": render_to_string(f"{TEMPLATE}#progress", context),
        }

    version = (revision.pk, revision.content_version, revision.status, can_mark)
    parts = page_cache.cached(("plans.revision", *version), build)
    return {
        "plan": plan,
        "revision": revision,
        "cached": {name: mark_safe(html) for name, html in parts.items()},  # noqa: S308 (rendered above)
        "revisions": readable(user, plan.revisions.all()),
        "can_edit": False,
        "can_mark": can_mark,
        **workflow_context(request, revision),
    }


def revision_context(request, revision: Revision, *, editing=None, notice=None) -> dict:
    """Return everything the revision page and its fragments show."""
    user, plan = request.user, revision.plan
    blocks = outline(revision)
    can_edit = user.has_perm("plans.edit_revision", revision)
    for index, block in enumerate(blocks):
        block.index, block.last = index, index == len(blocks) - 1
        for row in block.rows:
            row.text = item_text(row)
            row.months = months_label(row.item, plan) if can_edit else ""
    stamps = stamps_by_side(revision)
    can_mark = revision.status == Revision.Status.APPROVED and user.has_perm(
        "plans.mark_execution", revision
    )
    if editing is None:
        with_cached_rows(request, revision, blocks, can_edit=can_edit, can_mark=can_mark)
    return {
        "plan": plan,
        "revision": revision,
        "blocks": blocks,
        "stamps": stamps,
        "revisions": readable(user, plan.revisions.all()),
        "can_edit": can_edit,
        "can_mark": can_mark,
        "progress": progress_of(blocks) if revision.is_published else None,
        "signed_names": [s.person_name for s in stamps.values() if s.is_signed] if can_edit else [],
        "editing": editing,
        "notice": notice,
        "since_return": since_return(user, revision),
        "deliveries": deliveries_of(request, plan)
        if user.has_perm("plans.view_deliveries", revision)
        else None,
        **workflow_context(request, revision),
    }


def deliveries_of(request, plan) -> dict:
    """The plan's e-mails; a page showing them is cached only while they stay the same
    (the workers' writes to the outbox move no generation)."""
    content_type = ContentType.objects.get_for_model(Plan).pk
    page_cache.checked_by(request, page_cache.deliveries_version, content_type, (plan.pk,))
    return outbox.deliveries(outbox.about(plan))


def since_return(user, revision: Revision) -> dict | None:
    """What changed in the text since a signer returned it: for the signers and the chair."""
    if not revision.returned_lines or revision.is_published:
        return None
    if not user.has_perm("plans.see_changes_since_return", revision):
        return None
    return {
        "by": revision.returned_by,
        "at": revision.returned_at,
        "comment": revision.returned_comment,
        "lines": diff_lines(revision.returned_lines, plain_lines(revision)),
    }


def months_label(item: Item, plan) -> str:
    """Return the months the timing was understood as: «сен–май», «май, сен»; "" if none."""
    months = item.months
    if not months:
        return ""
    if len(months) == 12:
        return "весь год"
    runs: list[list[int]] = []
    for month in plan.months_in_order():
        if month in months:
            if runs and runs[-1][-1] == (month - 2) % 12 + 1:
                runs[-1].append(month)
            else:
                runs.append([month])
    parts = [
        MONTHS_SHORT[run[0] - 1]
        if len(run) == 1
        else f"{MONTHS_SHORT[run[0] - 1]}–{MONTHS_SHORT[run[-1] - 1]}"
        for run in runs
    ]
    return ", ".join(parts)


def progress_of(blocks) -> dict:
    counts = dict.fromkeys(Item.Execution.values, 0)
    for block in blocks:
        if block.section.kind in EXECUTABLE:
            for row in block.rows:
                counts[row.item.execution] += 1
    total = sum(counts.values())
    percent = round(100 * counts[Item.Execution.DONE] / total) if total else 0
    return {"total": total, "percent": percent, **counts}


def revision_diff(request, slug, key):
    """Compare two revisions (?a=N&b=M); by default the previous one with the newest."""
    plan = get_object_or_404(
        Plan.objects.select_related("association"), association__slug=slug, key=key
    )
    revisions = list(plan.revisions.order_by("-number"))
    visible = readable(request.user, revisions)
    if not visible:
        return deny(request)
    form = DiffForm(request.GET)
    wanted = form.cleaned_data if form.is_valid() else {}
    try:
        new = pick(request, revisions, wanted.get("b")) or visible[0]
        older = [r for r in visible if r.number < new.number]
        old = pick(request, revisions, wanted.get("a")) or (older[0] if older else None)
    except PermissionDenied:
        return deny(request)
    context = {"plan": plan, "revisions": visible, "old": old, "new": new, "lines": []}
    if old is not None:
        context["lines"] = diff_lines(
            plain_lines(load_revision(old.pk)), plain_lines(load_revision(new.pk))
        )
    return render(request, "plans/revision_diff.html", context)


def pick(request, revisions: list[Revision], number: int | None) -> Revision | None:
    if number is None:
        return None
    found = next((r for r in revisions if r.number == number), None)
    if found is None:
        raise Http404
    if not request.user.has_perm(READ, found):
        raise PermissionDenied
    return found


@dataclass
class Line:
    kind: str  # "same", "added", "removed" or "gap"
    text: str = ""
    parts: list[tuple[str, bool]] = field(default_factory=list)  # (words, changed)


def diff_lines(old: list[str], new: list[str], context: int = 2) -> list[Line]:
    """Return the changed lines with a little context; paired lines mark the changed words."""
    if old == new:
        return []
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    groups = list(matcher.get_grouped_opcodes(context))
    for number, group in enumerate(groups):
        if number or group[0][1] > 0:
            lines.append(Line("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", text) for text in old[i1:i2]]
            elif tag == "replace" and i2 - i1 == j2 - j1:
                for before, after in zip(old[i1:i2], new[j1:j2], strict=True):
                    lines += word_diff(before, after)
            else:
                lines += [Line("removed", text) for text in old[i1:i2]]
                lines += [Line("added", text) for text in new[j1:j2]]
    if groups[-1][-1][2] < len(old):
        lines.append(Line("gap"))
    return lines


def word_diff(before: str, after: str) -> list[Line]:
    old_words, new_words = before.split(" "), after.split(" ")
    removed, added = Line("removed", before), Line("added", after)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_words, new_words).get_opcodes():
        if i2 > i1:
            removed.parts.append((" ".join(old_words[i1:i2]), tag != "equal"))
        if j2 > j1:
            added.parts.append((" ".join(new_words[j1:j2]), tag != "equal"))
    return [removed, added]
