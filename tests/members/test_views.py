"""Staff manage people and roles through the «Люди и роли» pages."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from members.models import Member, Membership
from members.views.people import PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db
Role = Membership.Role
User = get_user_model()


@pytest.fixture
def office(client, staff):
    """The test client signed in as office staff."""
    client.force_login(staff.user)
    return client


def people_names(response):
    return [member.last_name for member in response.context["page"].object_list]


# Search, filter, pagination


def test_staff_find_people_by_surname(office, personas):
    response = office.get(reverse("members:people"), {"q": "Лоскут"})

    assert response.status_code == 200
    assert people_names(response) == ["Лоскутова"]
    assert "Лоскутова Светлана Николаевна" in response.text


def test_the_people_list_is_kept_per_search_and_shows_a_new_person_at_once(
    office, personas, django_assert_max_num_queries
):
    url = reverse("members:people")
    office.get(url, {"q": "Лоскут"})
    with django_assert_max_num_queries(2):  # session and user: the page was kept
        kept = office.get(url, {"q": "Лоскут"})
    assert "Лоскутова Светлана Николаевна" in kept.text
    assert "Лоскутова Вера" not in kept.text

    factories.MemberFactory(last_name="Лоскутова", first_name="Вера", patronymic="Ильинична")

    assert "Лоскутова Вера Ильинична" in office.get(url, {"q": "Лоскут"}).text
    assert "Лоскутова Вера" not in office.get(url, {"q": "Иванова"}).text


def test_search_ignores_the_case_of_cyrillic_letters(office, personas):
    response = office.get(reverse("members:people"), {"q": "лоскутова"})

    assert people_names(response) == ["Лоскутова"]


def test_staff_find_people_by_college(office, personas):
    college = factories.OrganizationFactory(
        name="Канашский педагогический колледж", short_name="КПК"
    )
    factories.MemberFactory(last_name="Петрова", organization=college)
    factories.MemberFactory(last_name="Сидорова", organization=college)

    response = office.get(reverse("members:people"), {"q": "КПК"})

    assert people_names(response) == ["Петрова", "Сидорова"]


def test_every_search_word_must_match(office, personas):
    response = office.get(reverse("members:people"), {"q": "Наталья Васильева"})

    assert people_names(response) == ["Васильева"]


def test_staff_filter_people_by_association(office, personas, philology):
    response = office.get(reverse("members:people"), {"association": philology.pk})

    assert people_names(response) == ["Семёнова"]


def test_a_member_with_two_roles_in_the_association_is_listed_once(office, personas, library):
    response = office.get(reverse("members:people"), {"association": library.pk})

    names = people_names(response)
    assert names.count("Иванова") == 1  # council and member
    assert "Семёнова" not in names


def test_search_without_results_says_so(office, personas):
    response = office.get(reverse("members:people"), {"q": "Несуществующая"})

    assert "Никого не нашлось" in response.text


def test_people_are_paginated_and_page_links_keep_the_search(office, staff, library):
    for _ in range(30):
        factories.MembershipFactory(member=factories.MemberFactory(), association=library)

    first = office.get(reverse("members:people"), {"association": library.pk})
    second = office.get(reverse("members:people"), {"association": library.pk, "page": 2})

    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert second.status_code == 200
    assert second.context["page"].number == 2
    assert len(second.context["page"].object_list) == 30 - PAGE_SIZE
    assert "Страница 2 из 2" in second.text
    assert f'href="?association={library.pk}&amp;page=2"' in first.text
    assert f'href="?association={library.pk}&amp;page=1"' in second.text
    assert "page=2&amp;page" not in second.text


def test_page_number_out_of_range_shows_the_last_page(office, staff):
    response = office.get(reverse("members:people"), {"page": 99})

    assert response.status_code == 200
    assert response.context["page"].number == 1


# Creating and editing a member


def test_staff_create_a_member(office):
    college = factories.OrganizationFactory(short_name="ЧЭТК")
    data = {
        "last_name": "Новикова",
        "first_name": "Дарья",
        "patronymic": "Андреевна",
        "organization": college.pk,
        "position": "библиотекарь",
        "email": "novikova@example.org",
        "phone": "",
    }

    response = office.post(reverse("members:member-create"), data, follow=True)

    member = Member.objects.get(last_name="Новикова")
    assert response.redirect_chain == [(member.get_absolute_url(), 302)]
    assert member.organization == college
    assert "Участник добавлен." in response.text


def test_invalid_email_keeps_the_input_and_shows_a_russian_error(office):
    data = {"last_name": "Новикова", "first_name": "Дарья", "email": "novikova-at-example"}

    response = office.post(reverse("members:member-create"), data)

    assert response.status_code == 200
    assert "Введите правильный адрес электронной почты." in response.text
    assert 'value="Новикова"' in response.text
    assert 'value="novikova-at-example"' in response.text
    assert not Member.objects.filter(last_name="Новикова").exists()


def test_required_fields_are_explained_in_russian(office):
    response = office.post(reverse("members:member-create"), {"last_name": "Новикова"})

    assert "Обязательное поле." in response.text
    assert Member.objects.count() == 1  # the staff member only


def test_staff_edit_a_member(office, member):
    data = {"last_name": "Васильева-Крылова", "first_name": "Наталья", "email": member.email}

    response = office.post(reverse("members:member-detail", args=[member.pk]), data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "Васильева-Крылова"


def test_selects_offer_a_russian_empty_choice(office, member):
    response = office.get(reverse("members:member-detail", args=[member.pk]))

    assert "— выберите —" in response.text
    assert "Select an option" not in response.text


# Roles


def role_data(association, role=Role.COUNCIL, start="2024-09-01", **extra):
    return {"association": association.pk, "role": role, "start": start, **extra}


def test_staff_assign_a_role(office, member, library):
    url = reverse("members:role-add", args=[member.pk])

    response = office.post(url, role_data(library, note="избрана на заседании № 2"))

    assert response.status_code == 302
    role = member.memberships.get(role=Role.COUNCIL)
    assert role.start == date(2024, 9, 1)
    assert role.note == "избрана на заседании № 2"
    assert role.is_active


def test_duplicate_role_with_the_same_start_is_refused_in_russian(office, member, library):
    url = reverse("members:role-add", args=[member.pk])
    office.post(url, role_data(library, title="Член совета"))

    response = office.post(url, role_data(library, title="Другая должность"))

    assert response.status_code == 400
    assert "Такая роль с этой даты уже записана." in response.text
    assert member.memberships.filter(role=Role.COUNCIL).count() == 1
    assert member.memberships.get(role=Role.COUNCIL).title == "Член совета"


def test_duplicate_open_ended_role_is_refused(office, member, library):
    url = reverse("members:role-add", args=[member.pk])
    office.post(url, role_data(library, start=""))

    response = office.post(url, role_data(library, start=""))

    assert response.status_code == 400
    assert member.memberships.filter(role=Role.COUNCIL).count() == 1


def test_role_ending_before_it_starts_is_refused(office, member, library):
    url = reverse("members:role-add", args=[member.pk])

    response = office.post(url, role_data(library, end="2024-01-01"))

    assert response.status_code == 400
    assert "Дата окончания раньше даты начала." in response.text
    assert not member.memberships.filter(role=Role.COUNCIL).exists()


def test_ending_a_role_asks_first_then_keeps_it_in_the_history(office, chair):
    role = chair.memberships.get(role=Role.CHAIR)
    url = reverse("members:role-end", args=[role.pk])

    confirm = office.get(url)

    assert confirm.status_code == 200
    assert "Завершить роль?" in confirm.text
    assert "Лоскутова Светлана Николаевна перестанет быть «председатель»" in confirm.text
    role.refresh_from_db()
    assert role.end is None

    response = office.post(url, follow=True)

    role.refresh_from_db()
    assert role.end == timezone.localdate() - timedelta(days=1)
    assert not role.is_active
    assert not Membership.objects.active().filter(pk=role.pk).exists()
    assert "Срок роли завершён; запись осталась в истории." in response.text
    assert "в истории" in response.text


def test_ended_role_no_longer_grants_its_rights(client, office, chair, library):
    role = chair.memberships.get(role=Role.CHAIR)
    office.post(reverse("members:role-end", args=[role.pk]))

    chair.user.refresh_from_db()
    assert not chair.user.has_perm("members.manage_association", library)


def test_ending_an_ended_role_again_does_not_rewrite_the_history(office, chair, library):
    old = factories.MembershipFactory(
        member=chair, association=library, role=Role.SECRETARY, end=date(2024, 6, 30)
    )

    response = office.post(reverse("members:role-end", args=[old.pk]), follow=True)

    old.refresh_from_db()
    assert old.end == date(2024, 6, 30)
    assert "Срок этой роли уже завершён." in response.text


# Logins


def test_staff_create_a_login_and_the_member_sets_the_password_by_email(office, library):
    newcomer = factories.MemberFactory(last_name="Новикова", email="novikova@example.org")

    response = office.post(
        reverse("members:login-create", args=[newcomer.pk]), {"username": "novikova"}
    )

    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.user.username == "novikova"
    assert newcomer.user.email == "novikova@example.org"
    assert not newcomer.user.has_usable_password()


def test_duplicate_username_is_refused(office, member):
    newcomer = factories.MemberFactory(last_name="Новикова")

    response = office.post(
        reverse("members:login-create", args=[newcomer.pk]), {"username": "NATALIA"}
    )

    assert response.status_code == 400
    assert "Это имя для входа уже занято." in response.text
    newcomer.refresh_from_db()
    assert newcomer.user is None
    assert User.objects.filter(username__iexact="natalia").count() == 1


def test_a_member_who_has_a_login_cannot_get_a_second_one(office, member):
    response = office.post(
        reverse("members:login-create", args=[member.pk]), {"username": "natalia2"}
    )

    assert response.status_code == 404
    assert not User.objects.filter(username="natalia2").exists()


# Who may


@pytest.mark.parametrize("persona", ["member", "council", "chair", "curator", "other_chair"])
def test_non_staff_cannot_manage_people(client, personas, library, persona):
    client.force_login(personas[persona].user)
    target = personas["member"]
    role = target.memberships.first()

    for url in (
        reverse("members:people"),
        reverse("members:member-create"),
        reverse("members:member-detail", args=[target.pk]),
        reverse("members:role-end", args=[role.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("members:role-end", args=[role.pk])).status_code == 403
    response = client.post(
        reverse("members:role-add", args=[target.pk]), role_data(library, role=Role.CHAIR)
    )
    assert response.status_code == 403
    assert not target.memberships.filter(role=Role.CHAIR).exists()
    role.refresh_from_db()
    assert role.end is None


def test_association_page_lists_the_active_members_by_role(client, personas, library):
    client.force_login(personas["other_chair"].user)

    response = client.get(reverse("members:association-detail", args=[library.slug]))

    assert response.status_code == 200
    names = [m.member.last_name for m in response.context["memberships"]]
    assert sorted(names) == [
        "Васильева",
        "Иванова",
        "Иванова",
        "Кузнецова",
        "Лоскутова",
        "Рудакова",
    ]
