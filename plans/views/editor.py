"""Editing a draft in place.

htmx requests get a fragment of ``plans/revision_detail.html``; plain form posts
(JavaScript off) are redirected back to the revision page. A form carries the
version of the row it edits: a newer version answers 409 with the user's input
kept and the colleague's text shown.
"""

import json
from dataclasses import dataclass
from functools import partial, wraps
from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo.access import deny

from .. import services
from ..forms import (
    AddItemForm,
    DeleteForm,
    ExecutionForm,
    HeaderForm,
    ItemForm,
    MoveForm,
    SectionAddForm,
    SectionForm,
    StampAddForm,
    StampForm,
)
from ..models import Deletion, Item, Revision, Section, Stamp
from ..outline import load_revision
from ..rules import chair
from .pages import revision_context, show_revision

TEMPLATE = "plans/revision_detail.html"
REVISIONS = Revision.objects.select_related("plan__association")
STAMPS = Stamp.objects.select_related("revision__plan__association")
SECTIONS = Section.objects.select_related("revision__plan__association")
ITEMS = Item.objects.select_related("section__revision__plan__association")


@dataclass
class Editing:
    """What the page shows as a form instead of text."""

    what: str  # "header", "stamp", "section", "section-add", "item", "item-add"
    pk: int  # of the row; for the add forms, of the revision or section added to
    form: Any = None
    mode: str = "edit"  # or "delete", "execution"
    conflict: dict | None = None


def by(request):
    return getattr(request.user, "member", None)


def guarded(
    queryset, revision_path: str = "", perm: str = "plans.edit_revision", *, saves: bool = False
):
    """Load the row or 404; let in who may ``perm`` its revision; explain a frozen one.

    A row a colleague deleted is explained to the plan's chair (who and when);
    a view that ``saves`` the row's form also gives the posted text back.
    """
    revision_of = attrgetter(revision_path) if revision_path else (lambda revision: revision)

    def decorator(view):
        @wraps(view)
        def wrapped(request, pk):
            obj = queryset.filter(pk=pk).first()
            if obj is None:
                return gone(request, queryset.model, pk, keep=saves)
            revision = revision_of(obj)
            if request.user.has_perm(perm, revision):
                try:
                    return view(request, obj, revision)
                except services.FrozenRevision:
                    return frozen(request, revision)
            if not request.user.is_authenticated:
                return deny(request)
            if not revision.is_editable and chair.test(request.user, revision):
                return frozen(request, revision)
            raise PermissionDenied

        return wrapped

    return decorator


def frozen(request, revision):
    text = _(
        "Эта редакция плана уже не черновик, и её текст изменить нельзя: ничего не сохранено. "
        "Обновите страницу; чтобы внести изменения в утверждённый план, начните новую редакцию."
    )
    return notice(request, revision, text, status=409)


DELETED_KINDS = {
    Item: Deletion.Kind.ITEM,
    Section: Deletion.Kind.SECTION,
    Stamp: Deletion.Kind.STAMP,
}
# What the row's form posts that the user typed (in the order it is given back).
TYPED = {
    Deletion.Kind.ITEM: ("text", "timing", "time", "place", "form", "responsible",
                         "participants", "result", "label"),
    Deletion.Kind.SECTION: ("title", "text"),
    Deletion.Kind.STAMP: ("position", "person_name", "basis"),
}  # fmt: skip
# The fields of a deleted item that its section's «add» form takes back.
READDED = ("is_group", "level", "label", "timing", "time", "place", "form", "responsible",
           "participants", "result", "responsible_members", "meeting", "contest")  # fmt: skip


def gone(request, model, pk: int, *, keep: bool):
    """Explain a row a colleague deleted: who and when; give back what the user typed.

    Only the plan's chair learns about it; anyone else gets the 404 of a missing row.
    """
    kind = DELETED_KINDS.get(model)
    deletion = services.deletion_of(kind, pk) if kind else None
    if deletion is None or not chair.test(request.user, deletion.revision):
        raise Http404
    when = timezone.localtime(deletion.at)
    at = f"{when:%H:%M}" if when.date() == timezone.localdate() else f"{when:%H:%M %d.%m.%Y}"
    name = deletion.by.short_name if deletion.by else _("другой участник")
    subject = {
        Deletion.Kind.ITEM: _("Этот пункт"),
        Deletion.Kind.SECTION: _("Этот раздел"),
        Deletion.Kind.STAMP: _("Этот гриф"),
    }[kind]
    text = _("%(subject)s удалил(а) %(name)s в %(at)s.") % {
        "subject": subject, "name": name, "at": at,
    }  # fmt: skip
    kept = kept_input(request, deletion) if keep and request.method == "POST" else None
    if kept:
        again = {
            Deletion.Kind.ITEM: _("добавьте пунктом заново"),
            Deletion.Kind.SECTION: _("добавьте разделом заново"),
            Deletion.Kind.STAMP: _("добавьте гриф заново"),
        }[kind]
        text += " " + _("Ваш текст сохранён ниже — скопируйте его или %(again)s.") % {
            "again": again
        }
    return notice(request, deletion.revision, text, status=409, kept=kept)


def kept_input(request, deletion) -> dict | None:
    """What the user typed into the deleted row's form, and a form to add it again."""
    typed = [request.POST.get(name, "").strip() for name in TYPED[deletion.kind]]
    text = "\n".join(value for value in typed if value)
    if not text:
        return None
    kept = {"text": text, "action": "", "fields": []}
    section = None
    if deletion.kind == Deletion.Kind.ITEM and deletion.section_id_was:
        section = Section.objects.filter(pk=deletion.section_id_was).first()
    if section is not None and section.has_items and deletion.revision.is_editable:
        kept["text"] = request.POST.get("text", "").strip() or text
        kept["action"] = reverse("plans:item-add", args=[section.pk])
        kept["target"] = f"#section-{section.pk}"
        kept["fields"] = [
            (name, value) for name in READDED for value in request.POST.getlist(name) if value
        ]
    return kept


def notice(request, revision, text: str, *, status: int, level: str = "danger", kept=None):
    """Answer with a message only: into the page's notice area, or as the whole page.

    ``kept`` (see kept_input) shows the user's text below the message.
    """
    message = {"level": level, "text": text, "kept": kept}
    if not request.htmx:
        return show_revision(request, revision.pk, status=status, notice=message)
    context = revision_context(request, load_revision(revision.pk), notice=message)
    response = HttpResponse(render_to_string(f"{TEMPLATE}#notice", context, request), status=status)
    response["HX-Retarget"] = "#plan-notice"
    response["HX-Reswap"] = "outerHTML"
    return response


def show(
    request, revision, fragment, *, status=200, item=None, section=None, stamp=None, oob=(), **extra
):
    """Render a fragment for htmx, or the whole page with the same state.

    An answer to a POST also refreshes the notice area and the ``oob`` fragments.
    """
    if not request.htmx:
        return show_revision(request, revision.pk, status=status, **extra)
    context = revision_context(request, load_revision(revision.pk), **extra)
    locate(context, item=item, section=section, stamp=stamp)
    html = [render_to_string(f"{TEMPLATE}#{fragment}", context, request)]
    if request.method == "POST":
        context["oob"] = True
        for name in ("notice", "changed", *oob):
            html.append(render_to_string(f"{TEMPLATE}#{name}", context, request))
    return HttpResponse("".join(html), status=status)


def locate(context: dict, *, item=None, section=None, stamp=None) -> None:
    """Put the block and row of ``item`` or ``section``, or the ``stamp`` (ids) into the context."""
    if stamp:
        context["stamp"] = next(s for s in context["stamps"].values() if s.pk == stamp)
    for block in context["blocks"]:
        for row in block.rows:
            if row.item.pk == item:
                context["block"], context["row"] = block, row
        if block.section.pk == section:
            context["block"] = block
    if (item and "row" not in context) or (section and "block" not in context):
        raise Http404


def saved(request, revision, fragment, *, anchor: str, cleared=(), control="", text="", **where):
    """Answer a successful change: the fresh fragment, or a redirect to the page."""
    level, text = "success", text or _("Изменения сохранены.")
    if cleared:
        level = "warning"
        text = _("Изменение сняло подписи: %(names)s. План нужно снова отправить на согласование.")
        text %= {"names": ", ".join(cleared)}
    if not request.htmx:
        getattr(messages, level)(request, text)
        return redirect(f"{revision.get_absolute_url()}#{anchor}")
    oob = [
        name
        for name, wanted in (
            ("signature", fragment == "header"),
            ("stamps", cleared and fragment != "stamps"),
            ("progress", fragment == "item" and control == "mark"),
        )
        if wanted
    ]
    notice = {"level": level, "text": text}
    response = show(request, revision, fragment, notice=notice, oob=oob, **where)
    response["HX-Trigger-After-Settle"] = json.dumps(
        {"rumoFocus": {"id": anchor, "control": control}}
    )
    return response


def edit(request, revision, form, save, editing: Editing, fragment: str, **where):
    """Show the form, or save it: 400 keeps invalid input, 409 shows a colleague's change.

    ``fragment`` answers the POST; the form itself is shown in ``where["form_fragment"]``.
    """
    form_fragment = where.pop("form_fragment", fragment)
    anchor = "plan-header" if editing.what == "header" else f"{editing.what}-{editing.pk}"
    editing.form = form
    if request.method != "POST":
        return show(request, revision, form_fragment, editing=editing, **where)
    if not form.is_valid():
        return show(request, revision, fragment, editing=editing, status=400, **where)
    try:
        cleared = save(version=form.cleaned_data["version"], **form.changes())
    except services.RowGone:  # deleted between loading the row and saving it
        return gone(request, type(editing.form.instance), editing.pk, keep=True)
    except services.EditConflict as conflict:
        editing.form = form.with_version(conflict.current.version)
        editing.conflict = conflict_of(editing.what, conflict.current)
        return show(request, revision, fragment, editing=editing, status=409, **where)
    return saved(
        request, revision, fragment, anchor=anchor, cleared=cleared, control="edit", **where
    )


def conflict_of(what: str, current, *, deleting: bool = False) -> dict:
    """Describe the colleague's version of the row for the conflict message."""
    author = getattr(current, "updated_by", None)
    if author is None and isinstance(current, Stamp):
        author = Revision.objects.get(pk=current.revision_id).updated_by
    name = author.short_name if author else _("другой участник")
    subjects = {
        "header": _("заголовок плана"),
        "stamp": _("этот гриф"),
        "section": _("этот раздел"),
        "item": _("этот пункт"),
    }
    if deleting:
        message = _("Пока вы подтверждали удаление, %(subject)s изменил(а) %(name)s:")
    else:
        message = _("Пока вы редактировали, %(subject)s изменил(а) %(name)s:")
    return {
        "message": message % {"subject": subjects[what], "name": name},
        "text": current_text(current),
    }


def current_text(row) -> str:
    if isinstance(row, Revision):
        parts = [row.title, f"{row.place}", f"{row.signature_position} {row.signature_name}"]
    elif isinstance(row, Stamp):
        parts = [row.get_kind_display(), row.position, row.person_name]
    elif isinstance(row, Section):
        parts = [row.title, row.text]
    else:
        parts = [row.text, row.timing, row.place, row.responsible]
    return "\n".join(part for part in parts if part)


@guarded(REVISIONS)
def header_edit(request, revision, _revision):
    form = HeaderForm(request.POST or None, instance=revision)
    save = partial(services.update_revision_header, revision, by=by(request))
    return edit(request, revision, form, save, Editing("header", revision.pk), "header")


@guarded(STAMPS, "revision", saves=True)
def stamp_edit(request, stamp, revision):
    form = StampForm(request.POST or None, instance=stamp)
    save = partial(services.update_stamp, stamp, by=by(request))
    editing = Editing("stamp", stamp.pk)
    return edit(
        request, revision, form, save, editing, "stamps", form_fragment="stamp", stamp=stamp.pk
    )


@guarded(REVISIONS)
def stamp_add(request, revision, _revision):
    """Add a stamp in the free place of a draft (at most one on each side)."""
    form = StampAddForm(request.POST or None, revision=revision)
    editing = Editing("stamp-add", revision.pk, form=form)
    if request.method != "POST":
        return show(request, revision, "stamps", editing=editing)
    if not form.is_valid():
        return show(request, revision, "stamps", editing=editing, status=400)
    try:
        stamp = services.add_stamp(revision, by=by(request), **form.cleaned_data)
    except services.StampSlotsFull:
        text = _("В плане уже есть гриф на этом месте или такого вида: ничего не добавлено.")
        return notice(request, revision, text, status=409)
    return saved(
        request, revision, "stamps", anchor=f"stamp-{stamp.pk}",
        cleared=stamp.cleared_signatures, text=_("Гриф добавлен."),
    )  # fmt: skip


@guarded(STAMPS, "revision")
def stamp_delete(request, stamp, revision):
    form = delete_form(request, stamp)
    editing = Editing("stamp", stamp.pk, form=form, mode="delete")
    if request.method != "POST":
        return show(request, revision, "stamps", editing=editing, stamp=stamp.pk)
    if not form.is_valid():
        return notice(request, revision, _("Не удалось удалить гриф."), status=400)
    try:
        cleared = services.delete_stamp(stamp, by=by(request), version=form.cleaned_data["version"])
    except services.EditConflict as conflict:
        ask_again(editing, conflict.current)
        return show(request, revision, "stamps", editing=editing, status=409, stamp=stamp.pk)
    return saved(
        request, revision, "stamps", anchor="plan-stamps", cleared=cleared,
        control="add-stamp", text=_("Гриф удалён."),
    )  # fmt: skip


@guarded(REVISIONS)
def section_add(request, revision, _revision):
    form = SectionAddForm(request.POST or None)
    editing = Editing("section-add", revision.pk, form=form)
    if request.method != "POST":
        return show(request, revision, "section_add", editing=editing)
    if not form.is_valid():
        return show(request, revision, "document", editing=editing, status=400)
    section = services.add_section(revision, by=by(request), **form.cleaned_data)
    cleared = section.cleared_signatures
    return saved(
        request,
        revision,
        "document",
        anchor=f"section-{section.pk}",
        cleared=cleared,
        text=_("Раздел добавлен."),
    )


@guarded(SECTIONS, "revision", saves=True)
def section_edit(request, section, revision):
    form = SectionForm(request.POST or None, instance=section)
    save = partial(services.update_section, section, by=by(request))
    editing = Editing("section", section.pk)
    # Numbering and columns change what other sections print: the answer is the document.
    return edit(
        request, revision, form, save, editing, "document", form_fragment="section",
        section=section.pk,
    )  # fmt: skip


@guarded(SECTIONS, "revision")
def section_delete(request, section, revision):
    form = delete_form(request, section)
    editing = Editing("section", section.pk, form=form, mode="delete")
    if request.method != "POST":
        return show(request, revision, "section", editing=editing, section=section.pk)
    if not form.is_valid():
        return notice(request, revision, _("Не удалось удалить раздел."), status=400)
    try:
        cleared = services.delete_section(
            section, by=by(request), version=form.cleaned_data["version"]
        )
    except services.EditConflict as conflict:
        ask_again(editing, conflict.current)
        return show(request, revision, "document", editing=editing, status=409)
    return saved(
        request,
        revision,
        "document",
        anchor="plan-document",
        cleared=cleared,
        control="add-section",
        text=_("Раздел удалён."),
    )


@require_POST
@guarded(SECTIONS, "revision")
def section_move(request, section, revision):
    form = MoveForm(request.POST)
    if not form.is_valid():
        return notice(request, revision, _("Не удалось переместить раздел."), status=400)
    index, was = form.cleaned_data["index"], section.position - 1
    cleared = services.move_section(section, by=by(request), to_index=index)
    return saved(
        request,
        revision,
        "document",
        anchor=f"section-{section.pk}",
        cleared=cleared,
        control=direction(was, index),
        text=_("Раздел перемещён."),
    )


@guarded(SECTIONS, "revision", saves=True)
def item_add(request, section, revision):
    if not section.has_items:
        raise Http404
    form = AddItemForm(request.POST or None, section=section)
    editing = Editing("item-add", section.pk, form=form)
    if request.method != "POST":
        return show(request, revision, "item_add", editing=editing, section=section.pk)
    if not form.is_valid():
        return show(request, revision, "section", editing=editing, status=400, section=section.pk)
    item = services.add_item(section, by=by(request), **form.changes())
    cleared = item.cleared_signatures
    return saved(
        request,
        revision,
        "section",
        anchor=f"item-{item.pk}",
        cleared=cleared,
        text=_("Пункт добавлен."),
        section=section.pk,
    )


@guarded(ITEMS, "section.revision", saves=True)
def item_edit(request, item, revision):
    form = ItemForm(request.POST or None, instance=item, section=item.section)
    save = partial(services.update_item, item, by=by(request))
    return edit(request, revision, form, save, Editing("item", item.pk), "item", item=item.pk)


@guarded(ITEMS, "section.revision")
def item_delete(request, item, revision):
    form = delete_form(request, item)
    editing = Editing("item", item.pk, form=form, mode="delete")
    if request.method != "POST":
        return show(request, revision, "item", editing=editing, item=item.pk)
    if not form.is_valid():
        return notice(request, revision, _("Не удалось удалить пункт."), status=400)
    section = item.section_id
    try:
        cleared = services.delete_item(item, by=by(request), version=form.cleaned_data["version"])
    except services.EditConflict as conflict:
        ask_again(editing, conflict.current)
        return show(request, revision, "section", editing=editing, status=409, section=section)
    return saved(
        request,
        revision,
        "section",
        anchor=f"section-{section}",
        cleared=cleared,
        control="add-item",
        text=_("Пункт удалён."),
        section=section,
    )


@require_POST
@guarded(ITEMS, "section.revision")
def item_move(request, item, revision):
    form = MoveForm(request.POST)
    if not form.is_valid():
        return notice(request, revision, _("Не удалось переместить пункт."), status=400)
    index, was = form.cleaned_data["index"], item.position - 1
    cleared = services.move_item(item, by=by(request), to_index=index)
    return saved(
        request,
        revision,
        "section",
        anchor=f"item-{item.pk}",
        cleared=cleared,
        control=direction(was, index),
        text=_("Пункт перемещён."),
        section=item.section_id,
    )


@guarded(ITEMS, "section.revision", perm="plans.mark_execution")
def item_execution(request, item, revision):
    try:
        services.check_execution_open(revision)
    except services.ExecutionClosed:
        text = _("Отметки о выполнении ставятся только в утверждённой действующей редакции.")
        return notice(request, revision, text, status=409)
    form = ExecutionForm(request.POST or None, instance=item)
    editing = Editing("item", item.pk, form=form, mode="execution")
    if request.method != "POST" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return show(request, revision, "item", editing=editing, status=status, item=item.pk)
    data = form.cleaned_data
    services.mark_execution(
        item, by=by(request), execution=data["execution"], note=data["execution_note"]
    )
    return saved(
        request,
        revision,
        "item",
        anchor=f"item-{item.pk}",
        control="mark",
        text=_("Отметка о выполнении сохранена."),
        item=item.pk,
    )


def delete_form(request, row) -> DeleteForm:
    """Bind the confirmation to the version the user saw: posted, or carried by the link."""
    if request.method == "POST":
        return DeleteForm(request.POST, row=row)
    form = DeleteForm(request.GET, row=row)
    return form if form.is_valid() and form.cleaned_data["version"] else DeleteForm(row=row)


def ask_again(editing: Editing, current) -> None:
    """Show the colleague's change; confirming again deletes the row as it is now."""
    editing.form = DeleteForm(row=current)
    editing.conflict = conflict_of(editing.what, current, deleting=True)


def direction(was: int, index: int) -> str:
    """Return which arrow button moves a row from ``was`` to ``index``: focus goes back to it."""
    return "up" if index < was else "down"
