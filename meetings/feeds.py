"""Calendar subscriptions: a member's secret feed, the public feed, and the page to manage them."""

import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Association, Member, Membership
from rumo import page_cache

from . import ics
from .models import AgendaItem, CalendarFeed, Meeting

# Feeds carry the last year and everything ahead: calendars keep what they saw.
FEED_PAST = timedelta(days=366)
# Feeds are cached per content generation (rumo/page_cache.py): a saved meeting,
# agenda item or membership shows on the next request; the expiry bounds the rest.
FEED_CACHE_SECONDS = 10 * 60


def published_meetings() -> QuerySet[Meeting]:
    """Return the meetings a calendar shows: announced or held, and announced then cancelled."""
    since = timezone.now() - FEED_PAST
    return (
        Meeting.objects.filter(starts_at__gte=since)
        .filter(
            Q(status__in=[Meeting.Status.ANNOUNCED, Meeting.Status.HELD])
            | Q(status=Meeting.Status.CANCELLED, announced_at__isnull=False)
        )
        .select_related("association")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.with_speakers()))
        .order_by("starts_at")
    )


def calendar_response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


def renew_calendar_feed(member: Member) -> CalendarFeed:
    """Give the member a new secret feed address; the old one stops working."""
    feed, _created = CalendarFeed.objects.update_or_create(
        member=member, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


def personal_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("member"), token=token)
    # Only the associations the member belongs to today: leaving one drops its meetings.
    current = Membership.objects.active().filter(member=feed.member).values("association_id")
    meetings = published_meetings().filter(association_id__in=current)
    name = _("Заседания РУМО — %(name)s") % {"name": feed.member.short_name}
    body = page_cache.cached(
        ("feed", feed.pk, feed.token, timezone.localdate()),
        lambda: ics.feed_ics(meetings, name=name, private=True),
        FEED_CACHE_SECONDS,
    )
    return calendar_response(body)


def public_feed(request):
    """Every association's published meetings, or one association's (``?association=<slug>``)."""
    meetings, name, slug = published_meetings(), _("Заседания РУМО"), ""
    if "association" in request.GET:
        association = get_object_or_404(Association, slug=request.GET["association"])
        meetings = meetings.filter(association=association)
        name = _("Заседания — %(name)s") % {"name": association.short_name or association.name}
        slug = association.slug
    body = page_cache.cached(
        ("public-feed", slug, timezone.localdate()),
        lambda: ics.feed_ics(meetings, name=name, private=False),
        FEED_CACHE_SECONDS,
    )
    return calendar_response(body)


def feed_url(request, feed: CalendarFeed | None) -> str:
    if feed is None:
        return ""
    return request.build_absolute_uri(reverse("notices:feed", args=[feed.token]))


@login_required
def calendar_page(request):
    member = getattr(request.user, "member", None)
    feed = CalendarFeed.objects.filter(member=member).first() if member else None
    url = feed_url(request, feed)
    context = {
        "member": member,
        "feed_url": url,
        "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://"),
        "public_url": request.build_absolute_uri(reverse("notices:public-feed")),
    }
    return render(request, "meetings/notices/calendar.html", context)


@login_required
@require_POST
def calendar_renew(request):
    member = getattr(request.user, "member", None)
    if member is None:
        messages.error(request, _("У вашей учётной записи нет профиля участника."))
        return redirect("notices:calendar")
    existed = CalendarFeed.objects.filter(member=member).exists()
    renew_calendar_feed(member)
    if existed:
        messages.success(request, _("Выпущена новая ссылка. Старая больше не работает."))
    else:
        messages.success(request, _("Ссылка для календаря готова."))
    return redirect("notices:calendar")
