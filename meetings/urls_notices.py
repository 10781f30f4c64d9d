from django.urls import path

from . import feeds, views_notices

app_name = "notices"

urlpatterns = [
    path("meetings/<int:pk>/announce/", views_notices.announce, name="announce"),
    path("meetings/<int:pk>/deliveries/", views_notices.deliveries, name="deliveries"),
    path("meetings/<int:pk>/meeting.ics", views_notices.meeting_ics, name="meeting-ics"),
    path("calendar/", feeds.calendar_page, name="calendar"),
    path("calendar/renew/", feeds.calendar_renew, name="calendar-renew"),
    path("calendar/public.ics", feeds.public_feed, name="public-feed"),
    path("calendar/<slug:token>.ics", feeds.personal_feed, name="feed"),
]
