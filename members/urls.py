from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.member_create, name="member-create"),
    path("people/<int:pk>/", views.member_detail, name="member-detail"),
    path("people/<int:pk>/roles/", views.role_add, name="role-add"),
    path("people/<int:pk>/login/", views.login_create, name="login-create"),
    path("roles/<int:pk>/end/", views.role_end, name="role-end"),
    path("associations/<slug:slug>/", views.association_detail, name="association-detail"),
]
