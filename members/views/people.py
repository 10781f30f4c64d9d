from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo import accounts, page_cache
from rumo.access import permission_required

from .. import services
from ..forms import LoginCreateForm, MemberForm, MemberSearchForm, MembershipForm
from ..models import Association, Member, Membership

PAGE_SIZE = 25


def with_roles(queryset):
    return queryset.select_related("organization", "user").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().select_related("association"),
            to_attr="active_memberships",
        )
    )


@permission_required("members.manage_people")
@page_cache.whole_page(params=("q", "association", "page"), depends=page_cache.CONTENT_ONLY)
def people(request):
    form = MemberSearchForm(request.GET or None)
    members = Member.objects.all()
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        members = members.search(query, with_email=True)
        if form.cleaned_data["association"]:
            members = members.filter(
                memberships__association=form.cleaned_data["association"]
            ).distinct()
    page = Paginator(with_roles(members), PAGE_SIZE).get_page(request.GET.get("page"))
    # The search terms the page links carry; the page number is added by the links.
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "members/member_list.html", context)


@permission_required("members.manage_people")
def member_create(request):
    form = MemberForm(request.POST or None)
    if form.is_valid():
        member = form.save()
        messages.success(request, _("Участник добавлен."))
        return redirect(member)
    return render(request, "members/member_form.html", {"form": form})


@permission_required("members.manage_people")
def member_detail(request, pk):
    member = get_object_or_404(with_roles(Member.objects.all()), pk=pk)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Изменения сохранены."))
        return redirect(member)
    context = {
        "member": member,
        "form": form,
        "role_form": MembershipForm(instance=Membership(member=member)),
        "login_form": LoginCreateForm(),
        "memberships": member.memberships.select_related("association").order_by("-start"),
        "login_locks": accounts.locks_of(member.user.username) if member.user else [],
    }
    return render(request, "members/member_detail.html", context)


@require_POST
@permission_required("members.manage_people")
def login_unlock(request, pk):
    member = get_object_or_404(Member, pk=pk, user__isnull=False)
    accounts.lift_locks(member.user.username)
    messages.success(request, _("Блокировка входа снята: %(name)s может войти.") % {
        "name": member.full_name})  # fmt: skip
    return redirect(member)


@require_POST
@permission_required("members.manage_people")
def role_add(request, pk):
    member = get_object_or_404(Member, pk=pk)
    form = MembershipForm(request.POST, instance=Membership(member=member))
    if form.is_valid():
        services.assign_role(member, **form.cleaned_data)
        messages.success(request, _("Роль назначена."))
        return redirect(member)
    context = {"member": member, "role_form": form}
    return render(request, "members/role_form.html", context, status=400)


@permission_required("members.manage_people")
def role_end(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("member"), pk=pk)
    if membership.end is not None and membership.end < timezone.localdate():
        # Ending it again (a second tab, a repeated POST) would rewrite the history.
        messages.info(request, _("Срок этой роли уже завершён."))
        return redirect(membership.member)
    if request.method == "POST":
        # The role stops today, so its last day (``end`` is inclusive) was yesterday.
        services.end_role(membership, on=timezone.localdate() - timedelta(days=1))
        messages.success(request, _("Срок роли завершён; запись осталась в истории."))
        return redirect(membership.member)
    return render(request, "members/role_confirm_end.html", {"membership": membership})


@require_POST
@permission_required("members.manage_people")
def login_create(request, pk):
    member = get_object_or_404(Member, pk=pk, user__isnull=True)
    form = LoginCreateForm(request.POST)
    if form.is_valid():
        services.create_login(member, username=form.cleaned_data["username"])
        messages.success(
            request,
            _("Учётная запись создана. Участник задаст пароль по ссылке «Забыли пароль?»."),
        )
        return redirect(member)
    context = {"member": member, "login_form": form}
    return render(request, "members/login_form.html", context, status=400)


@login_required
def association_detail(request, slug):
    association = get_object_or_404(Association, slug=slug)
    memberships = (
        Membership.objects.active()
        .filter(association=association)
        .select_related("member__organization")
        .order_by("role", "member__last_name", "member__first_name")
    )
    context = {"association": association, "memberships": memberships}
    return render(request, "members/association_detail.html", context)
