"""The directory of members and colleges, and a member's card as each reader may see it."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from rumo import page_cache
from rumo.access import permission_required

from .. import services
from ..files import CONTENT_TYPES, kind_of_name
from ..forms_databank import DirectoryForm
from ..models import AccessLog, Association, Course, Member, Membership, Organization
from ..search import CountedPaginator, Folded, fold

PAGE_SIZE = 30


def page_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def directory_options() -> dict:
    """The associations and organizations the directory filters by, as (id, name)."""
    associations = Association.objects.order_by("name").values_list("pk", "name")
    organizations = Organization.objects.order_by("short_name", "pk")
    return {
        "associations": list(associations),
        "organizations": [(o.pk, str(o)) for o in organizations.only("short_name", "name")],
    }


def found_members(text: str, association_id: int | None, organization_id: int | None):
    members = Member.objects.search(text)
    if association_id:
        members = members.of_association(association_id)
    if organization_id:
        members = members.filter(organization=organization_id)
    return members


@permission_required("members.view_directory")
def directory(request):
    form = DirectoryForm(request.GET or None)
    filters = form.filters()
    members = found_members(*filters)
    # The filters' choices and how many are found: one cache read per page, counted
    # once per content generation and day (10,000 members cost one count, not one a page).
    parts = {
        "options": ("members.directory.options",),
        "count": ("members.directory.count", timezone.localdate(), fold(filters[0]), *filters[1:]),
    }
    builders = {"options": directory_options, "count": members.count}
    cached = page_cache.cached_many(parts, lambda names: {n: builders[n]() for n in names}, 600)
    ordered = members.select_related("organization").order_by(
        "last_name", "first_name", "patronymic", "pk"
    )
    page = CountedPaginator(ordered, PAGE_SIZE, count=cached["count"]).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "filters": filters,
        "options": cached["options"],
        "page": page,
        "query": page_query(request),
    }
    return render(request, "members/directory.html", context)


@permission_required("members.view_directory")
def colleges(request):
    query = request.GET.get("q", "").strip()[:100]
    organizations = Organization.objects.annotate(people=Count("members"))
    if query:
        organizations = organizations.alias(
            folded_short=Folded("short_name"),
            folded_name=Folded("name"),
            folded_city=Folded("city"),
        )
    for word in map(fold, query.split()):
        organizations = organizations.filter(
            Q(folded_short__contains=word) | Q(folded_name__contains=word)
            | Q(folded_city__contains=word)
        )  # fmt: skip
    organizations = organizations.order_by("short_name", "pk")
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "query": page_query(request)}
    return render(request, "members/college_list.html", context)


@permission_required("members.view_directory")
def profile(request, pk):
    """Show a member: name, college and position to all; the data bank to those allowed."""
    memberships = Membership.objects.active().select_related("association")
    member = get_object_or_404(
        Member.objects.select_related("organization").prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="active_memberships")
        ),
        pk=pk,
    )
    full = request.user.has_perm("members.view_databank", member)
    if full and member.user_id != request.user.pk:
        services.log_access(
            request.user, action=AccessLog.Action.VIEW_PROFILE, member=member,
            what=member.full_name,
        )  # fmt: skip
    context = {"member": member, "full": full}
    if full:
        context |= {"courses": member.courses.all(), "awards": member.awards.all()}
    return render(request, "members/profile_detail.html", context)


def course_member(request, pk, **kwargs):
    return get_object_or_404(Course.objects.select_related("member"), pk=pk).member


@permission_required("members.view_databank", fn=course_member)
def certificate(request, pk):
    course = get_object_or_404(Course.objects.exclude(certificate=""), pk=pk)
    if course.member.user_id != request.user.pk:
        services.log_access(
            request.user, action=AccessLog.Action.DOWNLOAD_CERTIFICATE, member=course.member,
            what=course.member.full_name,
        )  # fmt: skip
    kind = kind_of_name(course.certificate.name)
    response = FileResponse(
        course.certificate.open("rb"), content_type=CONTENT_TYPES.get(kind, "application/pdf")
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{course.pk}.{kind}"'
    return response
