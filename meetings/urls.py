from django.urls import path, register_converter

from rumo import document_views as documents

from . import views

app_name = "meetings"


class DocumentKind:
    """The agenda or the minutes in a URL; the view receives the pipeline's kind name."""

    regex = "agenda|minutes"

    def to_python(self, value):
        return f"meetings.{value}"

    def to_url(self, value):
        return str(value).removeprefix("meetings.")


register_converter(DocumentKind, "meetingdoc")
EXTRACT = {"kind": "meetings.extract"}

urlpatterns = [
    # Reading (views/pages.py)
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("agenda/<int:pk>/file/", views.agenda_file, name="agenda-file"),
    # Planning (views/editing.py)
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/reschedule/", views.meeting_reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda-add"),
    path("agenda/<int:pk>/edit/", views.agenda_edit, name="agenda-edit"),
    path("agenda/<int:pk>/delete/", views.agenda_delete, name="agenda-delete"),
    path("agenda/<int:pk>/move/", views.agenda_move, name="agenda-move"),
    # Holding (views/minutes.py)
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("agenda/<int:pk>/minutes/", views.item_minutes, name="item-minutes"),
    path("<int:pk>/minutes/approve/", views.minutes_approve, name="minutes-approve"),
    # Documents (the pipeline's views; kinds in meetings/pdf.py)
    path("<int:pk>/pdf/<meetingdoc:kind>/", documents.status, name="document"),
    path("<int:pk>/pdf/<meetingdoc:kind>/build/", documents.request_build, name="document-request"),
    path("<int:pk>/pdf/<meetingdoc:kind>/file/", documents.download, name="document-file"),
    path("agenda/<int:pk>/extract/", documents.status, EXTRACT, name="extract"),
    path(
        "agenda/<int:pk>/extract/build/", documents.request_build, EXTRACT, name="extract-request"
    ),
    path("agenda/<int:pk>/extract/file/", documents.download, EXTRACT, name="extract-file"),
]
