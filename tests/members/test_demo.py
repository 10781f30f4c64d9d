"""The demo data: loading it twice changes nothing, and its people can sign in."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import connection

from members import demo
from members.models import Member, Membership
from tests import factories

pytestmark = pytest.mark.django_db
Role = Membership.Role


def row_counts() -> dict[str, int]:
    models = [*apps.get_app_config("members").get_models(), get_user_model()]
    return {model._meta.label: model.objects.count() for model in models}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_loading_the_demo_twice_leaves_the_same_rows():
    load_demo()
    first = row_counts()
    snapshot = list(Membership.objects.values_list("member__last_name", "role", "start", "end"))

    load_demo()

    assert row_counts() == first
    assert first["members.Member"] >= 30
    assert first["members.Membership"] >= 30
    assert list(Membership.objects.values_list("member__last_name", "role", "start", "end")) == (
        snapshot
    )


def test_load_demo_prints_the_logins_and_the_password():
    out = load_demo()

    assert "Демо-данные загружены." in out
    assert demo.DEMO_PASSWORD in out
    for username, _who in demo.logins():
        assert username in out


@pytest.mark.parametrize("username", [username for username, _who in demo.logins()])
def test_demo_logins_sign_in_with_the_demo_password(rf, username):
    load_demo()

    user = authenticate(rf.post("/"), username=username, password=demo.DEMO_PASSWORD)

    assert user is not None
    assert user.member.user_id == user.pk


def test_only_the_demo_staff_login_is_staff():
    load_demo()

    staff = get_user_model().objects.filter(is_staff=True).values_list("username", flat=True)
    assert list(staff) == ["staff"]
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def roles_of(last_name: str) -> set[tuple[str, str]]:
    member = Member.objects.get(last_name=last_name)
    return set(
        Membership.objects.active().filter(member=member).values_list("association__slug", "role")
    )


def test_seed_people_hold_their_roles():
    load_demo()

    assert ("library", Role.CHAIR) in roles_of("Лоскутова")
    assert ("library", Role.CURATOR) in roles_of("Кузнецова")
    assert ("library", Role.APPROVER) in roles_of("Рудакова")
    assert ("pedagogy", Role.CHAIR) in roles_of("Рудакова")
    assert Member.objects.get(last_name="Лоскутова").user.username == "chair"
    chair = Membership.objects.get(member__last_name="Лоскутова", role=Role.CHAIR)
    assert chair.title == "Председатель РУМО по библиотечному направлению"


def test_demo_keeps_what_staff_changed_in_the_data_bank_but_restores_roles():
    load_demo()
    chair_role = Membership.objects.get(member__last_name="Лоскутова", role=Role.CHAIR)
    chair_role.title = "Изменено"
    chair_role.save()

    load_demo()

    chair_role.refresh_from_db()
    assert chair_role.title == "Председатель РУМО по библиотечному направлению"


def test_members_sort_the_russian_way():
    if connection.vendor != "postgresql":
        pytest.skip("Russian collation is set up for PostgreSQL only (./run test)")
    for last_name in ("яковлева", "Ёлкина", "Абрамова", "Ежова", "Жукова"):
        factories.MemberFactory(last_name=last_name)

    names = list(Member.objects.order_by("last_name").values_list("last_name", flat=True))

    assert names == ["Абрамова", "Ежова", "Ёлкина", "Жукова", "яковлева"]


def test_the_demo_has_varied_profiles_and_a_campaign_in_progress():
    from members import campaigns
    from members.models import Award, Campaign, Course

    load_demo()

    campaign = Campaign.objects.running().get(association__slug="library")
    _colleges, total = campaigns.progress(campaign)
    assert 0 < total.answered < total.asked
    assert Course.objects.values("member").distinct().count() >= 10
    assert Award.objects.exists()
    assert Member.objects.values("category").distinct().count() == 3
    assert all(m.has_current_consent(m.consent_version) for m in Member.objects.all())
