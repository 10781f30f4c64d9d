from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import public, verification, views
from .forms import LoginForm

handler400 = "rumo.views.bad_request"
handler403 = "rumo.views.permission_denied"
handler404 = "rumo.views.page_not_found"
handler500 = "rumo.views.server_error"

auth_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("associations/<slug:slug>/", public.association_page, name="public-association"),
    path("schedule/", public.meeting_schedule, name="public-schedule"),
    path("v/", verification.verify_lookup, name="verify-lookup"),
    path("v/<str:code>/", verification.verify, name="verify"),
    path("v/<str:code>/file/", verification.verify_file, name="verify-file"),
    path("documents/", include("rumo.document_urls")),
    path("accounts/", include(auth_patterns)),
    path("members/", include("members.urls")),
    path("plans/", include("plans.urls")),
    path("meetings/", include("meetings.urls")),
    path("contests/", include("contests.urls")),
    path("", include("meetings.urls_notices")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Rumo — администрирование"
admin.site.site_title = "Rumo"
admin.site.index_title = "Управление порталом"
