"""Saving a row a colleague deleted says who deleted it and when, and gives the text back."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership
from plans import services
from plans.models import Deletion, Item, Section
from tests import factories

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def co_chair(library):
    """Irina, the association's second chair: she edits the same draft."""
    member = factories.person(
        "irina", last_name="Петрова", first_name="Ирина", patronymic="Олеговна"
    )
    factories.MembershipFactory(member=member, association=library, role=Membership.Role.CHAIR)
    return member


@pytest.fixture
def events(draft) -> Section:
    return draft.sections.get(kind=Section.Kind.EVENTS)


@pytest.fixture
def contest(events) -> Item:
    return events.items.get()


def delete_item(item: Item, by) -> int:
    """Delete as a colleague; return the pk (deleting clears it on the instance)."""
    pk = item.pk
    services.delete_item(Item.objects.get(pk=pk), by=by)
    return pk


def posted(item: Item, **changes) -> dict:
    data = {"text": item.text, "timing": item.timing, "responsible": item.responsible}
    return {**data, "version": item.version, **changes}


def deleted_at(kind, pk) -> str:
    return f"{timezone.localtime(Deletion.objects.get(kind=kind, object_id=pk).at):%H:%M}"


def test_saving_a_deleted_item_over_htmx_names_who_deleted_it_and_keeps_the_text(
    client, chair, co_chair, events, contest
):
    data = posted(contest, text="Конкурс чтецов среди студентов.", timing="май")
    pk = delete_item(contest, co_chair)
    client.force_login(chair.user)

    response = client.post(reverse("plans:item-edit", args=[pk]), data, headers=HX)

    assert response.status_code == 409
    assert response["HX-Retarget"] == "#plan-notice"
    at = deleted_at(Deletion.Kind.ITEM, pk)
    assert (
        f"Этот пункт удалил(а) И.О. Петрова в {at}. Ваш текст сохранён ниже — скопируйте его "
        "или добавьте пунктом заново." in response.text
    )
    assert ">Конкурс чтецов среди студентов.</textarea>" in response.text
    assert 'name="timing" value="май"' in response.text
    assert reverse("plans:item-add", args=[events.pk]) in response.text

    again = client.post(
        reverse("plans:item-add", args=[events.pk]),
        {"text": "Конкурс чтецов среди студентов.", "timing": "май"},
        headers=HX,
    )

    assert again.status_code == 200 and "Пункт добавлен." in again.text
    readded = events.items.get()
    assert (readded.text, readded.timing) == ("Конкурс чтецов среди студентов.", "май")


def test_without_javascript_the_page_answers_409_with_the_message_and_the_text(
    client, chair, co_chair, contest
):
    pk = delete_item(contest, co_chair)
    client.force_login(chair.user)

    response = client.post(
        reverse("plans:item-edit", args=[pk]), posted(contest, text="Мой новый текст.")
    )

    assert response.status_code == 409
    assert "<html" in response.text
    assert "Этот пункт удалил(а) И.О. Петрова" in response.text
    assert ">Мой новый текст.</textarea>" in response.text


def test_an_item_deleted_while_saving_is_explained_too(
    client, chair, co_chair, contest, monkeypatch
):
    """The row disappears between loading it and the versioned write (services.RowGone)."""
    update = services.update_item

    def colleague_deletes_first(item, **kwargs):
        services.delete_item(Item.objects.get(pk=item.pk), by=co_chair)
        return update(item, **kwargs)

    monkeypatch.setattr(services, "update_item", colleague_deletes_first)
    client.force_login(chair.user)

    response = client.post(
        reverse("plans:item-edit", args=[contest.pk]),
        posted(contest, text="Текст, набранный зря."),
        headers=HX,
    )

    assert response.status_code == 409
    assert "Этот пункт удалил(а) И.О. Петрова" in response.text
    assert ">Текст, набранный зря.</textarea>" in response.text


def test_saving_a_deleted_section_keeps_its_title_and_text(client, chair, co_chair, draft):
    section = services.add_section(draft, by=chair, kind=Section.Kind.TEXT, title="Итоги")
    pk = section.pk
    services.delete_section(section, by=co_chair)
    client.force_login(chair.user)

    response = client.post(
        reverse("plans:section-edit", args=[pk]),
        {"title": "Итоги года", "text": "Проведено 5 семинаров.", "version": section.version},
        headers=HX,
    )

    assert response.status_code == 409
    assert "Этот раздел удалил(а) И.О. Петрова" in response.text
    assert "добавьте разделом заново" in response.text
    assert "Итоги года\nПроведено 5 семинаров.</textarea>" in response.text


def test_an_item_of_a_deleted_section_is_given_back_without_an_add_form(
    client, chair, co_chair, events, contest
):
    pk = contest.pk
    services.delete_section(events, by=co_chair)
    client.force_login(chair.user)

    response = client.post(
        reverse("plans:item-edit", args=[pk]), posted(contest, text="Правка."), headers=HX
    )

    assert response.status_code == 409
    assert "Этот пункт удалил(а) И.О. Петрова" in response.text
    assert "Правка." in response.text and "readonly" in response.text


def test_saving_a_deleted_stamp_says_who_deleted_it(client, chair, co_chair, draft):
    stamp = draft.stamps.first()
    pk = stamp.pk
    services.delete_stamp(stamp, by=co_chair)
    client.force_login(chair.user)

    response = client.post(
        reverse("plans:stamp-edit", args=[pk]),
        {"kind": stamp.kind, "position": "Директор", "person_name": "И.И. Иванов",
         "version": stamp.version},
    )  # fmt: skip

    assert response.status_code == 409
    assert "Этот гриф удалил(а) И.О. Петрова" in response.text
    assert "И.И. Иванов" in response.text


def test_opening_or_deleting_a_deleted_item_says_who_deleted_it(client, chair, co_chair, contest):
    pk = delete_item(contest, co_chair)
    client.force_login(chair.user)

    for response in (
        client.get(reverse("plans:item-edit", args=[pk]), headers=HX),
        client.post(reverse("plans:item-delete", args=[pk]), {}, headers=HX),
    ):
        assert response.status_code == 409
        assert "Этот пункт удалил(а) И.О. Петрова" in response.text
        assert "Ваш текст" not in response.text


@pytest.mark.parametrize("persona", ["anonymous", "member", "curator", "other_chair"])
def test_others_learn_nothing_about_a_deleted_item(client, personas, chair, contest, persona):
    pk = delete_item(contest, chair)
    if personas[persona]:
        client.force_login(personas[persona].user)

    response = client.post(reverse("plans:item-edit", args=[pk]), posted(contest))

    assert response.status_code == 404
    assert "Лоскутова" not in response.text


def test_adding_an_item_to_a_deleted_section_keeps_the_text(client, chair, co_chair, events):
    pk = events.pk
    services.delete_section(events, by=co_chair)
    client.force_login(chair.user)

    response = client.post(
        reverse("plans:item-add", args=[pk]), {"text": "Новый семинар."}, headers=HX
    )

    assert response.status_code == 409
    assert "Этот раздел удалил(а) И.О. Петрова" in response.text
    assert "Новый семинар.</textarea>" in response.text


def test_deletions_are_remembered_for_a_month(chair, co_chair, draft, contest):
    old = Deletion.objects.create(
        kind=Deletion.Kind.ITEM, object_id=999_999, revision=draft, by=chair
    )
    Deletion.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = Deletion.objects.create(
        kind=Deletion.Kind.ITEM, object_id=999_998, revision=draft, by=chair
    )

    pk = delete_item(contest, co_chair)

    assert not Deletion.objects.filter(pk=old.pk).exists()
    assert Deletion.objects.filter(pk=recent.pk).exists()
    assert services.deletion_of(Deletion.Kind.ITEM, pk).by == co_chair
