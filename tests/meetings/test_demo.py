"""The demo: next year's meeting № 1 is announced, so members can answer it today."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Response
from members.models import Member
from rumo.models import OutboxMessage

pytestmark = pytest.mark.django_db


def load_demo(capture):
    with capture(execute=True):
        call_command("load_demo", stdout=StringIO())


def test_the_demo_announces_next_years_first_meeting_once(django_capture_on_commit_callbacks):
    load_demo(django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get(year=timezone.localdate().year + 1, number=1)
    rows = meeting.deliveries.filter(kind="announcement")
    subject = rows.first().subject
    sent = sum(message.subject == subject for message in mail.outbox)
    everything = len(mail.outbox)  # the contests' demo tells its council too

    load_demo(django_capture_on_commit_callbacks)  # a second run sends nothing new

    assert meeting.announced_at is not None
    assert meeting.status == Meeting.Status.ANNOUNCED
    assert rows.count() > 0
    assert sent == rows.filter(state=OutboxMessage.State.SENT).count() > 0
    assert len(mail.outbox) == everything
    assert rows.count() == rows.values("recipient_id").distinct().count()


def test_a_demo_member_answers_the_announced_meeting_from_the_dashboard(
    client, django_capture_on_commit_callbacks
):
    load_demo(django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get(year=timezone.localdate().year + 1, number=1)
    natalia = Member.objects.get(user__username="member")
    client.force_login(natalia.user)

    dashboard = client.get(reverse("home"))
    answered = client.post(reverse("meetings:answer", args=[meeting.pk]), {"answer": "yes"})

    assert meeting.get_absolute_url() in dashboard.text
    assert answered.status_code == 302
    assert Response.objects.get(meeting=meeting, member=natalia).answer == Response.Answer.YES
