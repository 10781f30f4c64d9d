from django.urls import path

from .views import (
    campaigns,
    council,
    directory,
    imports,
    people,
    petitions,
    privacy,
    profile,
    reports,
)

app_name = "members"

urlpatterns = [
    # Staff: people and roles
    path("people/", people.people, name="people"),
    path("people/new/", people.member_create, name="member-create"),
    path("people/<int:pk>/", people.member_detail, name="member-detail"),
    path("people/<int:pk>/roles/", people.role_add, name="role-add"),
    path("people/<int:pk>/login/", people.login_create, name="login-create"),
    path("people/<int:pk>/login/unlock/", people.login_unlock, name="login-unlock"),
    path("roles/<int:pk>/end/", people.role_end, name="role-end"),
    path("associations/<slug:slug>/", people.association_detail, name="association-detail"),
    # The member's own profile
    path("me/", profile.me, name="me"),
    path("me/consent/", profile.consent, name="consent"),
    path("me/confirm/", profile.confirm, name="confirm"),
    path("me/courses/add/", profile.course_add, name="course-add"),
    path("me/courses/<int:pk>/delete/", profile.course_delete, name="course-delete"),
    path("me/awards/add/", profile.award_add, name="award-add"),
    path("me/awards/<int:pk>/delete/", profile.award_delete, name="award-delete"),
    path("me/data.json", profile.my_data, name="my-data"),
    path("me/data/pdf/", profile.my_data_pdf, name="my-data-pdf"),
    path("me/data/pdf/build/", profile.my_data_pdf_request, name="my-data-pdf-request"),
    path("me/data.pdf", profile.my_data_pdf_file, name="my-data-pdf-file"),
    path("me/deletion/", profile.deletion_request, name="deletion-request"),
    # Directory
    path("directory/", directory.directory, name="directory"),
    path("directory/<int:pk>/", directory.profile, name="profile"),
    path("colleges/", directory.colleges, name="colleges"),
    path("certificates/<int:pk>/", directory.certificate, name="certificate"),
    # Data bank: chairs and staff
    path("databank/", reports.databank, name="databank"),
    path("databank/<slug:slug>/report/", reports.report, name="report"),
    path("databank/<slug:slug>/report.xlsx", reports.report_xlsx, name="report-xlsx"),
    path("databank/<slug:slug>/report/pdf/", reports.report_pdf, name="report-pdf"),
    path(
        "databank/<slug:slug>/report/pdf/build/",
        reports.report_pdf_request,
        name="report-pdf-request",
    ),
    path("databank/<slug:slug>/report.pdf", reports.report_pdf_file, name="report-pdf-file"),
    path("databank/<slug:slug>/members.xlsx", reports.export, name="export"),
    path("databank/<slug:slug>/council/", council.council, name="council"),
    path("databank/<slug:slug>/council/new/", council.council_create, name="council-create"),
    path("databank/<slug:slug>/petitions/", petitions.petitions, name="petitions"),
    path("databank/<slug:slug>/petitions/new/", petitions.petition_create, name="petition-create"),
    path("petitions/<int:pk>/", petitions.petition_detail, name="petition-detail"),
    path("petitions/<int:pk>/edit/", petitions.petition_edit, name="petition-edit"),
    path("petitions/<int:pk>/delete/", petitions.petition_delete, name="petition-delete"),
    path("petitions/<int:pk>/pdf/", petitions.petition_pdf, name="petition-pdf"),
    path(
        "petitions/<int:pk>/pdf/build/",
        petitions.petition_pdf_request,
        name="petition-pdf-request",
    ),
    path("petitions/<int:pk>/petition.pdf", petitions.petition_pdf_file, name="petition-pdf-file"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign-close"),
    path("c/<str:token>/", campaigns.campaign_link, name="campaign-link"),
    path("imports/new/", imports.import_create, name="import-create"),
    path("imports/<str:token>/", imports.import_detail, name="import-detail"),
    path("imports/<str:token>/confirm/", imports.import_confirm, name="import-confirm"),
    path("imports/<str:token>/cancel/", imports.import_cancel, name="import-cancel"),
    path("imports/<str:token>/retry/", imports.import_retry, name="import-retry"),
    # Staff: personal data
    path("access-log/", privacy.access_log, name="access-log"),
    path("deletion-requests/", privacy.deletion_requests, name="deletion-requests"),
    path("deletion-requests/<int:pk>/erase/", privacy.erase, name="erase"),
]
