"""Import a plan from Word or pasted text (upload → preview → draft), and export to Word.

Nothing is saved until the chair confirms: the parsed plan (a PlanSpec as JSON)
waits in the chair's session under a random token; the preview shows the plan
exactly as it will print by creating it inside a transaction, rendering the
document and rolling the transaction back.
"""

import json
import re
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumo import page_cache
from rumo.access import deny, member_of
from rumo.pdf import render_html

from .. import pdf
from ..docx_export import write_docx
from ..docx_import import Unreadable, read_docx
from ..forms_import import ImportForm, PreviewForm
from ..forms_workflow import chaired_associations
from ..models import Revision
from ..outline import load_revision
from ..reading import dump_spec, load_spec
from ..services import PlanExists, importing
from ..text_import import read_text

SESSION_KEY = "plans_import"
MAX_SPEC_CHARS = 2_000_000  # what waits in the session between preview and confirm
TOO_MUCH = gettext_lazy(
    "В документе слишком много текста для одного плана. Разделите его на несколько планов."
)
KEEP = 3  # imports kept in a session at once (a chair with several tabs)


EXISTS = gettext_lazy(
    "У объединения уже есть такой план на этот период: измените вид плана или период."
)


class Rollback(Exception):
    """Raised inside the preview's transaction so that nothing it created stays."""


def stored(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def store(request, association, spec) -> str:
    imports = stored(request)
    token = secrets.token_urlsafe(12)
    imports[token] = {"association": association.pk, "spec": dump_spec(spec)}
    for old in list(imports)[:-KEEP]:
        del imports[old]
    request.session[SESSION_KEY] = imports
    return token


@login_required
# The empty form is the same for the reader until a role or an association changes
# (the content generation); a POST, with its errors, is never cached.
@page_cache.whole_page(depends=page_cache.CONTENT_ONLY)
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["association"].queryset:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = None
        if data["file"]:
            try:
                spec = read_docx(data["file"].read())
            except Unreadable:
                form.add_error("file", _("Документ Word повреждён: его не удалось прочитать."))
        else:
            spec = read_text(data["text"])
        if spec is not None and len(json.dumps(dump_spec(spec))) > MAX_SPEC_CHARS:
            form.add_error(None, TOO_MUCH)
        elif spec is not None:
            if not spec.year:  # no year written anywhere: this year, to be checked
                spec.year = timezone.localdate().year
            token = store(request, data["association"], spec)
            return redirect("plans:import-preview", token=token)
    return render(request, "plans/import_start.html", {"form": form})


@login_required
def import_preview(request, token):
    if not chaired_associations(request.user).exists():
        raise PermissionDenied
    entry = stored(request).get(token)
    if entry is None:
        messages.warning(request, _("Импорт устарел или уже завершён: загрузите файл снова."))
        return redirect("plans:import")
    spec = load_spec(entry["spec"])
    initial = {
        "association": entry["association"],
        "name": spec.name,
        "period": spec.period,
        "year": spec.year or None,
        "starts_on": spec.starts_on,
        "ends_on": spec.ends_on,
    }
    form = PreviewForm(request.POST or None, user=request.user, initial=initial)
    if not form.fields["association"].queryset:
        raise PermissionDenied
    association = form.fields["association"].queryset.filter(pk=entry["association"]).first()
    if request.method == "POST":
        if form.is_valid():
            form.apply(spec)
            association = form.cleaned_data["association"]
            entry.update(association=association.pk, spec=dump_spec(spec))
            request.session.modified = True
            if "create" in request.POST:
                try:
                    revision = create(association, spec, request.user)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    del stored(request)[token]
                    request.session.modified = True
                    messages.success(request, _("Черновик плана создан из документа."))
                    return redirect(revision)
    elif association is None:
        raise PermissionDenied
    document, error = preview(association, spec, request.user) if association else ("", "")
    if form.is_bound and form.non_field_errors():
        error = ""  # already said by the form
    context = {"form": form, "spec": spec, "document": document, "error": error, "token": token}
    return render(request, "plans/import_preview.html", context)


def create(association, spec, user) -> Revision:
    if not user.has_perm("plans.create_plan", association):
        raise PermissionDenied
    try:
        with transaction.atomic():
            return importing.create_from_spec(association, spec, by=member_of(user))
    except PlanExists:
        raise ValidationError(EXISTS) from None


def preview(association, spec, user) -> tuple[str, str]:
    """Return (the document's HTML, an error): the plan created, rendered and rolled back."""
    html = ""
    try:
        with transaction.atomic():
            revision = create(association, spec, user)
            context = pdf.context(load_revision(revision.pk), draft=True, mark=None)
            html = body_of(render_html(pdf.TEMPLATE, context))
            raise Rollback
    except Rollback:
        return html, ""
    except ValidationError as error:
        return "", " ".join(error.messages)


def body_of(html: str) -> str:
    """Return the document's body: the PDF template's markup, its text escaped by it."""
    match = re.search(r"<body[^>]*>(.*)</body>", html, re.S)
    return mark_safe(match.group(1) if match else "")  # noqa: S308 (rendered, autoescaped)


def revision_docx(request, pk):
    revision = get_object_or_404(Revision.objects.select_related("plan__association"), pk=pk)
    if not request.user.has_perm("plans.read_revision", revision):
        return deny(request)
    # Built once per version of the content (page_cache keys hold the content
    # generation, which every change of a plan moves); a cache that does not
    # answer only means the file is built for this request.
    data = page_cache.cached_current(
        ("plans.docx", revision.pk, revision.content_version, revision.updated_at.timestamp()),
        lambda: write_docx(importing.spec_of(revision)),
    )
    # The file is in memory already: a plain response, not a streamed one.
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=docx_name(revision)
    )
    return response


def docx_name(revision: Revision) -> str:
    plan = revision.plan
    name = plan.name or "План работы"
    if len(name) > 80:  # a long kind («ПАСПОРТ районного …») is cut at a word
        name = name[:80].rsplit(" ", 1)[0] + "…"
    return f"{name} {plan.association.short_name} {plan.key}, редакция {revision.number}.docx"
