"""Public pages that confirm what the portal issued: open to anyone with the code."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from . import page_cache
from .documents import check_file, normalize_code
from .forms import CodeForm, PdfUploadForm
from .models import IssuedDocument


def registered(code: str) -> IssuedDocument | None:
    normalized = normalize_code(code)
    return IssuedDocument.objects.issued().filter(code=normalized).first() if normalized else None


def not_found(request, code: str) -> HttpResponse:
    """Say in Russian that no document has this code (404), with the lookup form to try again.

    Rendered here rather than raised as Http404: with DEBUG on, Django would
    show its English technical page to whoever mistyped a code.
    """
    context = {"code": code, "code_form": CodeForm(initial={"code": code})}
    return render(request, "rumo/verify_not_found.html", context, status=404)


def upload_form(request) -> PdfUploadForm:
    if request.method == "POST":
        return PdfUploadForm(request.POST, request.FILES)
    return PdfUploadForm()


@require_http_methods(["GET", "POST"])
@page_cache.whole_page
def verify(request, code):
    """Show a registered document and check an uploaded file against it."""
    document = registered(code)
    if document is None:
        return not_found(request, code)
    form = upload_form(request)
    check = None
    if form.is_valid():
        check = check_file(form.cleaned_data["file"], expected=document)
    context = {"document": document, "form": form, "check": check}
    return render(request, "rumo/verify.html", context)


@require_http_methods(["GET", "POST"])
def verify_lookup(request):
    """Find a document by its code, or check any file against the whole register."""
    code_form = CodeForm(request.GET or None)
    if code_form.is_valid():
        return redirect(code_form.cleaned_data["document"])
    form = upload_form(request)
    check = None
    if form.is_valid():
        check = check_file(form.cleaned_data["file"])
    context = {"code_form": code_form, "form": form, "check": check}
    return render(request, "rumo/verify_lookup.html", context)


@require_GET
def verify_file(request, code):
    """Download the registered file exactly as it was issued."""
    document = registered(code)
    if document is None:
        return not_found(request, code)
    if not document.file or not document.file.storage.exists(document.file.name):
        raise Http404
    # Issued PDFs are small: reading them whole keeps no file open after the response.
    with document.file.open("rb") as file:
        response = HttpResponse(file.read(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{document.register_number}.pdf"
    )
    return response
