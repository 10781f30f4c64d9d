from django.urls import path

from rumo import document_views as documents

from . import views

app_name = "contests"

# The documents of contests/pdf.py, served by the pipeline's views.
REGULATION = {"kind": "contests.regulation"}
PROTOCOL = {"kind": "contests.jury_protocol"}
DIPLOMA = {"kind": "contests.diploma"}

urlpatterns = [
    path("", views.contest_list, name="list"),
    path("new/", views.contest_create, name="create"),
    path("external/", views.external_list, name="external"),
    path("external/add/", views.external_add, name="external-add"),
    path("<int:pk>/", views.contest_detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/applications/", views.application_list, name="applications"),
    path("<int:pk>/jury/", views.jury, name="jury"),
    path("<int:pk>/scoring/", views.scoring, name="scoring"),
    path("<int:pk>/scoring/submit/", views.scoring_submit, name="scoring-submit"),
    path("<int:pk>/results/", views.contest_results, name="results"),
    path("<int:pk>/results/approve/", views.results_approve, name="results-approve"),
    path("<int:pk>/results/publish/", views.results_publish, name="results-publish"),
    path("<int:pk>/deliveries/", views.deliveries, name="deliveries"),
    path("<int:pk>/diplomas/", views.diplomas_status, name="diplomas"),
    path("<int:pk>/diplomas/build/", views.diplomas_request, name="diplomas-request"),
    path("<int:pk>/diplomas.zip", views.diplomas_zip, name="diplomas-zip"),
    path("<int:pk>/protocol.pdf", documents.download, PROTOCOL, name="protocol-pdf"),
    path("<int:pk>/protocol/", documents.status, PROTOCOL, name="protocol-pdf-status"),
    path(
        "<int:pk>/protocol/build/",
        documents.request_build,
        PROTOCOL,
        name="protocol-pdf-request",
    ),
    path("regulations/<int:pk>/", views.regulation_detail, name="regulation"),
    path("regulations/<int:pk>/edit/", views.regulation_edit, name="regulation-edit"),
    path("regulations/<int:pk>/send/", views.regulation_send, name="regulation-send"),
    path("regulations/<int:pk>/vote/", views.regulation_vote, name="regulation-vote"),
    path("regulations/<int:pk>/close/", views.regulation_close, name="regulation-close"),
    path("regulations/<int:pk>/decision/", views.regulation_decision, name="regulation-decision"),
    path(
        "regulations/<int:pk>/new-version/",
        views.regulation_new_version,
        name="regulation-new-version",
    ),
    path("regulations/<int:pk>/compare/", views.regulation_compare, name="regulation-compare"),
    path("regulations/<int:pk>/pdf/", documents.download, REGULATION, name="regulation-pdf"),
    path(
        "regulations/<int:pk>/pdf/status/",
        documents.status,
        REGULATION,
        name="regulation-pdf-status",
    ),
    path(
        "regulations/<int:pk>/pdf/build/",
        documents.request_build,
        REGULATION,
        name="regulation-pdf-request",
    ),
    path("regulations/<int:pk>/<str:kind>/add/", views.block_add, name="block-add"),
    path("blocks/<str:kind>/<int:pk>/edit/", views.block_edit, name="block-edit"),
    path("blocks/<str:kind>/<int:pk>/delete/", views.block_delete, name="block-delete"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application-decide"),
    path(
        "applications/<int:pk>/files/<int:file_pk>/",
        views.application_file,
        name="application-file",
    ),
    path("applications/<int:pk>/diploma.pdf", documents.download, DIPLOMA, name="diploma"),
    path("applications/<int:pk>/diploma/", documents.status, DIPLOMA, name="diploma-status"),
    path(
        "applications/<int:pk>/diploma/build/",
        documents.request_build,
        DIPLOMA,
        name="diploma-request",
    ),
    path("jurors/<int:pk>/remove/", views.juror_remove, name="juror-remove"),
]
