"""The petition form's nominee picker: search, pages, adding and removing nominees, as the
chair uses it with and without JavaScript (htmx), at any size of the association."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.models import AwardPetition
from members.nominees import RESULTS_PER_PAGE
from tests import factories
from tests.meetings import rank_and_file
from tests.members.conftest import CANARY

pytestmark = pytest.mark.django_db

AWARD = "Почётная грамота Министерства образования Чувашской Республики"


def new_url(library) -> str:
    return reverse("members:petition-create", args=[library.slug])


def step(client, url, htmx=False, **data):
    """Press one of the picker's buttons: the form comes back, nothing is saved."""
    fields = {"award": AWARD, "addressee": "", "q": "", **data}
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, fields, headers=headers)
    assert response.status_code == 200
    return response


def chosen(response) -> list[str]:
    return [m.full_name for m in response.context["picker"].chosen]


def results(response) -> list[str]:
    return [m.full_name for m in response.context["picker"].results.object_list]


@pytest.fixture
def semyonova(library):
    member = factories.MemberFactory(last_name="Семёнова", first_name="Алла", patronymic="Петровна")
    factories.MembershipFactory(member=member, association=library, role="member")
    return member


@pytest.mark.parametrize("query", ["Семенова", "семёнова", "СЕМЕНОВА", "семен алла"])
def test_the_search_ignores_case_and_the_letter_yo(login, chair, semyonova, library, query):
    response = step(login(chair), new_url(library), search="1", q=query)

    assert results(response) == [semyonova.full_name]
    assert f"По запросу «{query}» найден 1 участник" in response.text


def test_the_search_finds_only_members_of_the_association(login, chair, other_chair, library):
    response = step(login(chair), new_url(library), search="1", q="Семёнова")

    assert results(response) == []
    assert "Никого не нашлось" in response.text


def test_adding_keeps_what_was_typed_and_saves_nothing(
    login, chair, natalia, council, semyonova, library
):
    client = login(chair)

    first = step(client, new_url(library), add=natalia.pk, q="васильева")
    second = step(client, new_url(library), members=[natalia.pk], add=semyonova.pk, q="семёнова")

    assert chosen(first) == [natalia.full_name]
    assert "Добавлено в список: Васильева Наталья Ивановна. Выбрано: 1." in first.text
    assert chosen(second) == [natalia.full_name, semyonova.full_name]  # in alphabetical order
    assert f'name="members" value="{natalia.pk}" ' in second.text
    assert f'value="{AWARD}"' in second.text and "Обязательное поле" not in second.text
    assert "в списке" in second.text  # the found nominee is marked, with no «Добавить»
    assert f'name="add" value="{semyonova.pk}"' not in second.text
    assert not AwardPetition.objects.exists()


def test_an_unticked_nominee_is_left_out_and_the_chosen_are_saved(
    login, chair, natalia, council, library
):
    client = login(chair)

    response = client.post(new_url(library), {"award": AWARD, "addressee": "", "q": "",
                                              "members": [council.pk], "save": "1"})  # fmt: skip

    assert response.status_code == 302
    petition = AwardPetition.objects.get()
    assert list(petition.nominees.values_list("member_id", flat=True)) == [council.pk]
    edit = client.get(reverse("members:petition-edit", args=[petition.pk]))
    assert chosen(edit) == [council.full_name]
    assert f'name="members" value="{council.pk}" ' in edit.text


def test_the_chosen_are_kept_when_the_form_has_errors(login, chair, natalia, council, library):
    response = login(chair).post(
        new_url(library),
        {"award": "", "addressee": "", "q": "иванова", "members": [natalia.pk, council.pk],
         "save": "1"},
    )  # fmt: skip

    assert response.status_code == 200 and "Обязательное поле" in response.text
    assert chosen(response) == [natalia.full_name, council.full_name]
    assert response.text.count('type="checkbox" name="members"') == 2
    assert response.context["picker"].query == "иванова"
    assert not AwardPetition.objects.exists()


def test_outsiders_and_nonsense_cannot_be_added(login, chair, natalia, other_chair, library):
    client = login(chair)

    outsider = step(client, new_url(library), members=[natalia.pk], add=other_chair.pk)
    nonsense = step(client, new_url(library), members=["x", "-1", "²", natalia.pk], add="abc",
                    page="z")  # fmt: skip
    huge = step(client, new_url(library), members=["9" * 30, natalia.pk], add="9" * 20,
                page="9" * 25, results_page="9" * 25)  # fmt: skip

    assert chosen(outsider) == [natalia.full_name]
    assert "Добавлено в список" not in outsider.text
    assert chosen(nonsense) == [natalia.full_name]
    assert nonsense.context["picker"].results.number == 1
    assert chosen(huge) == [natalia.full_name]
    saved = client.post(new_url(library), {"award": AWARD, "members": ["9" * 30], "save": "1"})
    assert saved.status_code == 200 and not AwardPetition.objects.exists()


def test_results_come_in_pages_and_the_pages_keep_the_search(login, chair, library):
    rank_and_file(library, RESULTS_PER_PAGE + 3)  # and the chair herself
    client = login(chair)

    first = step(client, new_url(library))
    second = step(client, new_url(library), page="2", members=[chair.pk])

    assert len(results(first)) == RESULTS_PER_PAGE
    assert "Участников в объединении: 14 · страница 1 из 2" in first.text
    assert len(results(second)) == 4
    assert "страница 2 из 2" in second.text and 'name="page" value="1"' in second.text
    assert chosen(second) == [chair.full_name]
    assert set(results(first)).isdisjoint(results(second))
    # Adding keeps the page shown; a new search starts on its first page.
    on_second = second.context["picker"].results.object_list[0]
    added = step(client, new_url(library), results_page="2", add=on_second.pk)
    searched = step(client, new_url(library), results_page="2", search="1", q="а")
    assert added.context["picker"].results.number == 2
    assert 'name="results_page" value="2"' in added.text
    assert searched.context["picker"].results.number == 1


def test_with_htmx_only_the_picker_comes_back(login, chair, natalia, library):
    response = step(login(chair), new_url(library), htmx=True, add=natalia.pk)

    assert "<html" not in response.text and 'id="nominee-picker"' in response.text
    assert 'id="nominee-status" hx-swap-oob="innerHTML"' in response.text
    assert "Добавлено в список: Васильева Наталья Ивановна" in response.text
    assert 'name="award"' not in response.text  # what was typed stays in the page as it is


def test_a_search_is_said_in_the_status_line(login, chair, natalia, library):
    response = step(login(chair), new_url(library), htmx=True, search="1", q="васильева")

    status = response.text.split('id="nominee-status" hx-swap-oob="innerHTML">')[1]
    assert status.startswith("По запросу «васильева» найден 1 участник")


def test_editing_starts_from_the_saved_nominees(login, chair, natalia, council, library):
    petition = services.save_petition(library, award=AWARD, addressee="", members=[natalia],
                                      by=chair.user)  # fmt: skip
    url = reverse("members:petition-edit", args=[petition.pk])

    page = login(chair).get(url)
    added = step(login(chair), url, members=[natalia.pk], add=council.pk)

    assert chosen(page) == [natalia.full_name]
    assert chosen(added) == [natalia.full_name, council.full_name]
    assert list(petition.nominees.values_list("member_id", flat=True)) == [natalia.pk]


def test_the_form_needs_no_javascript(login, chair, library):
    page = login(chair).get(new_url(library))

    # Enter in a field presses the first button, a hidden «Найти»: it never saves.
    form = page.text[page.text.index('id="petition-form"') :]
    first_button = form[form.index("<button") : form.index("</button>")]
    assert 'name="refresh"' in first_button
    assert 'formaction="' + new_url(library) + '#nominees"' in first_button
    assert 'name="save"' in form and 'name="search"' in form
    assert '<script src="/static/js/petitions.js">' in page.text


def test_members_and_outsiders_cannot_use_the_picker(
    login, client, chair, natalia, council, other_chair, library
):
    url = new_url(library)
    for person in (natalia, council, other_chair):
        for data in ({"search": "1", "q": "васильева"}, {"add": natalia.pk}, {"page": "2"}):
            response = login(person).post(url, data, headers={"HX-Request": "true"})
            assert response.status_code == 403
            assert CANARY not in response.text and "nominee-picker" not in response.text
            assert "Иванова Марина" not in response.text
    client.logout()
    assert client.post(url, {"search": "1", "q": "в"}).status_code == 302
    assert not AwardPetition.objects.exists()


def test_staff_use_the_picker_too(login, staff, natalia, library):
    response = step(login(staff), new_url(library), add=natalia.pk)

    assert chosen(response) == [natalia.full_name]


def count_queries(client, url, data=None) -> int:
    cache.clear()  # the count of results is cached: cold for every count alike
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_form_makes_the_same_number_of_queries_for_a_larger_association(login, chair, library):
    people = rank_and_file(library, 3)
    petition = services.save_petition(library, award=AWARD, addressee="", members=people[:2],
                                      by=chair.user)  # fmt: skip
    client = login(chair)
    edit = reverse("members:petition-edit", args=[petition.pk])

    def counts():
        ids = [p.pk for p in people]
        return [
            count_queries(client, edit),
            count_queries(client, new_url(library), {"search": "1", "q": "а", "members": ids}),
            count_queries(client, new_url(library), {"add": ids[-1], "members": ids[:-1]}),
            count_queries(client, new_url(library), {"page": "2", "members": ids}),
        ]

    few = counts()
    people += rank_and_file(library, 60)
    services.save_petition(library, award=AWARD, addressee="", members=people[:40],
                           by=chair.user, petition=petition)  # fmt: skip

    assert counts() == few
