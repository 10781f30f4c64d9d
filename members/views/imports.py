"""Import of member lists: upload, preview with progress, confirm or cancel."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo.access import permission_required

from ..forms_databank import ImportForm
from ..models import ImportBatch
from ..services import imports
from .common import managed_associations

PREVIEW_PAGE = 100


@permission_required("members.open_databank")
def import_create(request):
    associations = managed_associations(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, associations=associations,
                      initial={"association": request.GET.get("association")})  # fmt: skip
    if form.is_valid():
        batch = imports.start_import(
            upload=form.cleaned_data["file"], association=form.cleaned_data["association"],
            by=request.user,
        )  # fmt: skip
        return redirect(batch)
    return render(request, "members/import_form.html", {"form": form})


def own_batch(request, token) -> ImportBatch:
    """Return the batch if the user may run imports for its association (else 404)."""
    batch = get_object_or_404(ImportBatch.objects.select_related("association"), token=token)
    if not managed_associations(request.user).filter(pk=batch.association_id).exists():
        raise Http404
    return batch


@permission_required("members.open_databank")
def import_detail(request, token):
    batch = own_batch(request, token)
    rows = Paginator(batch.preview, PREVIEW_PAGE).get_page(request.GET.get("page"))
    template = "members/import_detail.html"
    if request.htmx and batch.is_working:
        template += "#status"
    return render(request, template, {"batch": batch, "rows": rows})


@require_POST
@permission_required("members.open_databank")
def import_confirm(request, token):
    batch = imports.confirm_import(own_batch(request, token), by=request.user)
    messages.info(request, _("Загрузка подтверждена."))
    return redirect(batch)


@require_POST
@permission_required("members.open_databank")
def import_cancel(request, token):
    batch = imports.cancel_import(own_batch(request, token))
    messages.info(request, _("Загрузка отменена; файл удалён, данные не изменились."))
    return redirect(batch)


@require_POST
@permission_required("members.open_databank")
def import_retry(request, token):
    batch = imports.retry_import(own_batch(request, token))
    return redirect(batch)
