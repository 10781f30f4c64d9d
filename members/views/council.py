"""Council terms: the council of each year and who held which seat, from which meeting."""

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rumo.access import permission_required

from .. import services
from ..forms_databank import CouncilElectionForm
from ..models import Membership
from .common import association_by_slug


@permission_required("members.view_council")
def council(request, slug):
    association = association_by_slug(request, slug)
    seats = Membership.objects.select_related("member__organization").order_by(
        "role", "member__last_name"
    )
    elections = association.council_elections.prefetch_related(
        Prefetch("seats", queryset=seats)
    ).order_by("-year")
    context = {
        "association": association,
        "elections": elections,
        "may_record": request.user.has_perm("members.manage_databank", association),
    }
    return render(request, "members/council.html", context)


@permission_required("members.manage_databank", fn=association_by_slug)
def council_create(request, slug):
    association = association_by_slug(request, slug)
    form = CouncilElectionForm(request.POST or None, association=association)
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in
                ("year", "elected_on", "term_start", "term_end", "basis")}  # fmt: skip
        try:
            services.record_council_election(
                association, seats=form.seats(), by=request.user, **data
            )
        except IntegrityError:
            form.add_error("year", _("Совет на этот год уже записан."))
        else:
            messages.success(request, _("Состав совета записан."))
            return redirect(reverse("members:council", args=[association.slug]))
    context = {"association": association, "form": form}
    return render(request, "members/council_form.html", context)
