"""Collection campaigns: open one, watch it fill up, and the member's personal link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rumo.access import permission_required

from .. import campaigns, services
from ..consent import CONSENT_VERSION
from ..forms_databank import CampaignForm, ProfileForm
from ..models import Campaign, Member
from ..tokens import read_campaign_token
from .common import managed_associations


@permission_required("members.open_databank")
def campaign_create(request):
    associations = managed_associations(request.user)
    initial = {"association": request.GET.get("association")}
    form = CampaignForm(request.POST or None, associations=associations, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        if Campaign.objects.running().filter(association=data["association"]).exists():
            form.add_error("association", _("В этом объединении уже идёт сбор данных."))
        else:
            campaign = services.open_campaign(data.pop("association"), by=request.user, **data)
            messages.success(request, _("Сбор данных открыт."))
            return redirect(campaign)
    return render(request, "members/campaign_form.html", {"form": form})


def campaign_association(request, pk, **kwargs):
    return get_object_or_404(Campaign, pk=pk).association


@permission_required("members.manage_databank", fn=campaign_association)
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("association"), pk=pk)
    colleges, total = campaigns.progress(campaign)
    context = {
        "campaign": campaign,
        "colleges": colleges,
        "total": total,
        "unanswered": campaigns.unanswered(campaign)[:500],
        "deliveries": campaigns.deliveries(campaign),
    }
    template = "members/campaign_detail.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, context)


@permission_required("members.manage_databank", fn=campaign_association)
def campaign_close(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method == "POST":
        services.close_campaign(campaign)
        messages.success(request, _("Сбор данных закрыт."))
        return redirect(campaign)
    return render(request, "members/campaign_close.html", {"campaign": campaign})


@login_required
def campaign_link(request, token):
    """Open the pre-filled profile from the personal link; only its own member may use it."""
    ids = read_campaign_token(token)
    if ids is None:
        raise Http404(_("Ссылка повреждена."))
    campaign = get_object_or_404(Campaign.objects.select_related("association"), pk=ids[0])
    member = get_object_or_404(Member, pk=ids[1])
    if member.user_id != request.user.pk:
        return render(request, "members/campaign_link_refused.html", status=403)
    if not member.has_current_consent(CONSENT_VERSION):
        return redirect(f"{reverse('members:consent')}?next={request.path}")
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and "unchanged" in request.POST:
        services.confirm_profile(member)
        messages.success(request, _("Спасибо! Отмечено: данные не изменились."))
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            member, changes={f: form.cleaned_data[f] for f in form.changed_data}
        )
        messages.success(request, _("Профиль сохранён и подтверждён."))
        return redirect(request.path)
    answered = member.confirmed_at is not None and member.confirmed_at >= campaign.opened_at
    context = {"campaign": campaign, "member": member, "form": form, "answered": answered}
    return render(request, "members/campaign_link.html", context)
