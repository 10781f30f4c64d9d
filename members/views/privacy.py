"""Staff pages about personal data: the access log and members' deletion requests."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from rumo.access import permission_required

from .. import services
from ..models import AccessLog, DeletionRequest, Member


@permission_required("members.view_access_log")
def access_log(request):
    entries = AccessLog.objects.select_related("association", "member")
    if member_id := request.GET.get("member", "").strip():
        entries = entries.filter(member_id=member_id) if member_id.isdigit() else entries.none()
    page = Paginator(entries.order_by("-at", "-pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "members/access_log.html", {"page": page, "query": query.urlencode()})


@permission_required("members.view_access_log")
def deletion_requests(request):
    rows = DeletionRequest.objects.select_related("member__organization", "completed_by")
    context = {"requests": rows.order_by("completed_at", "-requested_at")[:200]}
    return render(request, "members/deletion_requests.html", context)


@permission_required("members.view_access_log")
def erase(request, pk):
    member = get_object_or_404(Member.objects.select_related("organization", "user"), pk=pk)
    if request.method == "POST":
        services.erase_personal_data(member, by=request.user)
        messages.success(request, _("Персональные данные удалены; запрос отмечен исполненным."))
        return redirect("members:deletion-requests")
    return render(request, "members/erase_confirm.html", {"member": member})
