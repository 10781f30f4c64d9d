"""The member's own profile: consent first, then data, courses, awards, export, deletion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumo import document_views as documents
from rumo import pipeline

from .. import services
from ..consent import CONSENT_VERSION
from ..export import personal_data
from ..forms_databank import AwardForm, ConsentForm, CourseForm, DeletionRequestForm, ProfileForm
from ..models import Award, Campaign, Course, Membership
from ..pdf import PERSONAL_DATA


def own_member(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404(_("К вашей учётной записи не привязан профиль участника."))
    return member


def consent_needed(request, member):
    """Return a redirect to the consent step when the current text was not agreed to."""
    if member.has_current_consent(CONSENT_VERSION):
        return None
    return redirect(f"{reverse('members:consent')}?next={request.get_full_path()}")


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()})
    return target if target and allowed else default


@login_required
def consent(request):
    member = own_member(request)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.give_consent(member)
        messages.success(request, _("Согласие записано. Теперь можно заполнить профиль."))
        return redirect(safe_next(request, reverse("members:me")))
    context = {"form": form, "member": member, "version": CONSENT_VERSION,
               "next": safe_next(request, "")}  # fmt: skip
    return render(request, "members/consent.html", context)


def running_campaign(member) -> Campaign | None:
    """Return a collection campaign running in an association the member belongs to now."""
    belongs = Membership.objects.active().filter(member=member).values("association")
    return Campaign.objects.running().filter(association__in=belongs).first()


def profile_context(member, **extra) -> dict:
    return {
        "member": member,
        "courses": member.courses.all(),
        "awards": member.awards.all(),
        "course_form": CourseForm(),
        "award_form": AwardForm(),
        "campaign": running_campaign(member),
        "open_deletion": member.deletion_requests.open().first(),
        "data_pdf": pipeline.panel(PERSONAL_DATA, member, member.user),
    } | extra


@login_required
def me(request):
    member = own_member(request)
    if response := consent_needed(request, member):
        return response
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            member, changes={f: form.cleaned_data[f] for f in form.changed_data}
        )
        messages.success(request, _("Профиль сохранён и подтверждён."))
        return redirect("members:me")
    return render(request, "members/profile_me.html", profile_context(member, form=form))


@require_POST
@login_required
def confirm(request):
    member = own_member(request)
    if response := consent_needed(request, member):
        return response
    services.confirm_profile(member)
    messages.success(request, _("Спасибо! Отмечено: данные не изменились."))
    return redirect(safe_next(request, reverse("members:me")))


@require_POST
@login_required
def course_add(request):
    member = own_member(request)
    if response := consent_needed(request, member):
        return response
    form = CourseForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_course(member, **form.cleaned_data)
        messages.success(request, _("Курс добавлен."))
        return redirect(reverse("members:me") + "#courses")
    context = profile_context(member, form=ProfileForm(instance=member), course_form=form)
    return render(request, "members/profile_me.html", context, status=400)


@require_POST
@login_required
def award_add(request):
    member = own_member(request)
    if response := consent_needed(request, member):
        return response
    form = AwardForm(request.POST)
    if form.is_valid():
        services.add_award(member, **form.cleaned_data)
        messages.success(request, _("Награда добавлена."))
        return redirect(reverse("members:me") + "#awards")
    context = profile_context(member, form=ProfileForm(instance=member), award_form=form)
    return render(request, "members/profile_me.html", context, status=400)


@login_required
def course_delete(request, pk):
    course = get_object_or_404(Course, pk=pk, member=own_member(request))
    if request.method == "POST":
        services.remove_course(course)
        messages.success(request, _("Курс удалён."))
        return redirect(reverse("members:me") + "#courses")
    return render(request, "members/confirm_delete.html", {"object": course, "kind": _("курс")})


@login_required
def award_delete(request, pk):
    award = get_object_or_404(Award, pk=pk, member=own_member(request))
    if request.method == "POST":
        services.remove_award(award)
        messages.success(request, _("Награда удалена."))
        return redirect(reverse("members:me") + "#awards")
    return render(request, "members/confirm_delete.html", {"object": award, "kind": _("награду")})


@login_required
def my_data(request):
    """Download everything Rumo holds about the signed-in member, as JSON."""
    member = own_member(request)
    response = JsonResponse(personal_data(member), json_dumps_params={"ensure_ascii": False,
                                                                      "indent": 2})  # fmt: skip
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="rumo-my-data-{stamp}.json"'
    return response


@login_required
def deletion_request(request):
    member = own_member(request)
    form = DeletionRequestForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.request_deletion(member, reason=form.cleaned_data["reason"])
        messages.success(request, _("Запрос на удаление записан; сотрудник исполнит его."))
        return redirect("members:deletion-request")
    context = {"form": form, "member": member, "open": member.deletion_requests.open().first()}
    return render(request, "members/deletion_request.html", context)


# The member's own data as a PDF: the document pipeline's views (rumo.document_views).


@login_required
def my_data_pdf(request):
    return documents.status(request, PERSONAL_DATA.name, own_member(request).pk)


@login_required
def my_data_pdf_request(request):
    return documents.request_build(request, PERSONAL_DATA.name, own_member(request).pk)


@login_required
def my_data_pdf_file(request):
    return documents.download(request, PERSONAL_DATA.name, own_member(request).pk)
