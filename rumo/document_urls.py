"""/documents/<kind>/<pk>/: the pipeline's URLs for kinds without URLs of their own."""

from django.urls import path

from . import document_views

app_name = "documents"

urlpatterns = [
    path("<str:kind>/<int:pk>/", document_views.status, name="status"),
    path("<str:kind>/<int:pk>/build/", document_views.request_build, name="request"),
    path("<str:kind>/<int:pk>/file/", document_views.download, name="file"),
]
