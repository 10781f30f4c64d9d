"""Staff reach the data-bank tables in the admin; the access log is read-only there."""

import pytest
from django.urls import reverse

from members import services
from members.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["campaign", "councilelection", "deletionrequest", "accesslog", "member"]
)
def test_staff_open_the_data_bank_tables(login, staff, model):
    response = login(staff).get(reverse(f"admin:members_{model}_changelist"))

    assert response.status_code == 200


def test_the_access_log_cannot_be_changed_or_deleted(login, staff, natalia):
    entry = services.log_access(staff.user, action=AccessLog.Action.VIEW_PROFILE, member=natalia)
    client = login(staff)

    delete = client.post(
        reverse("admin:members_accesslog_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert delete.status_code == 403
    assert AccessLog.objects.filter(pk=entry.pk).exists()
