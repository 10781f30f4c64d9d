"""Deleting a row a colleague has just changed asks again instead of discarding their edit."""

import pytest
from django.urls import reverse

from plans import services
from plans.models import Item, Revision, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(chair, curator, approver, library):
    """A 2030 draft with a seminar in the events table."""
    revision = services.create_plan(library, year=2030, by=chair).revisions.get()
    events = revision.sections.get(kind=Section.Kind.EVENTS)
    services.add_item(events, by=chair, text="Семинар.", timing="март")
    services.add_item(events, by=chair, text="Конкурс.", timing="апрель")
    return Revision.objects.get(pk=revision.pk)


@pytest.fixture
def seminar(draft) -> Item:
    return Item.objects.get(section__revision=draft, text="Семинар.")


def hx(client, member):
    client.force_login(member.user)
    return {"headers": {"HX-Request": "true"}}


def test_the_confirmation_carries_the_version_the_page_showed(client, chair, draft, seminar):
    page = client.get(draft.get_absolute_url(), **hx(client, chair)).text
    url = reverse("plans:item-delete", args=[seminar.pk])
    assert f"{url}?version={seminar.version}" in page

    question = client.get(f"{url}?version={seminar.version}", **hx(client, chair))

    assert f'name="version" value="{seminar.version}"' in question.text


def test_a_stale_item_delete_is_refused_and_the_colleagues_edit_survives(
    client, chair, curator, seminar
):
    seen = seminar.version
    services.update_item(seminar, by=curator, version=seen, text="Семинар для новичков.")
    url = reverse("plans:item-delete", args=[seminar.pk])

    refused = client.post(url, {"version": seen}, **hx(client, chair))

    assert refused.status_code == 409
    assert "Пока вы подтверждали удаление, этот пункт изменил(а) О.Б. Кузнецова:" in refused.text
    assert "Семинар для новичков." in refused.text
    assert "Ничего не удалено." in refused.text
    assert f'name="version" value="{seen + 1}"' in refused.text  # confirming again is deliberate
    assert Item.objects.get(pk=seminar.pk).text == "Семинар для новичков."

    again = client.post(url, {"version": seen + 1}, **hx(client, chair))

    assert again.status_code == 200 and "Пункт удалён." in again.text
    assert not Item.objects.filter(pk=seminar.pk).exists()


def test_a_current_item_delete_goes_through(client, chair, seminar):
    url = reverse("plans:item-delete", args=[seminar.pk])

    response = client.post(url, {"version": seminar.version}, **hx(client, chair))

    assert response.status_code == 200 and "Пункт удалён." in response.text
    assert not Item.objects.filter(pk=seminar.pk).exists()


def test_a_stale_section_delete_is_refused_and_the_section_survives(client, chair, curator, draft):
    section = draft.sections.get(kind=Section.Kind.EVENTS)
    seen = section.version
    services.update_section(section, by=curator, version=seen, title="Мероприятия 2030 года")
    url = reverse("plans:section-delete", args=[section.pk])

    refused = client.post(url, {"version": seen}, **hx(client, chair))

    assert refused.status_code == 409
    assert "Пока вы подтверждали удаление, этот раздел изменил(а) О.Б. Кузнецова:" in refused.text
    assert "Мероприятия 2030 года" in refused.text
    assert Section.objects.filter(pk=section.pk).exists()
    assert Item.objects.filter(section=section).count() == 2


def test_a_current_section_delete_goes_through(client, chair, draft):
    section = draft.sections.get(kind=Section.Kind.EVENTS)
    url = reverse("plans:section-delete", args=[section.pk])

    response = client.post(url, {"version": section.version}, **hx(client, chair))

    assert response.status_code == 200 and "Раздел удалён." in response.text
    assert not Section.objects.filter(pk=section.pk).exists()


def test_a_stale_delete_without_javascript_answers_409_with_the_page(
    client, chair, curator, seminar
):
    seen = seminar.version
    services.update_item(seminar, by=curator, version=seen, text="Семинар для новичков.")
    client.force_login(chair.user)

    refused = client.post(reverse("plans:item-delete", args=[seminar.pk]), {"version": seen})

    assert refused.status_code == 409
    assert "Пока вы подтверждали удаление" in refused.text
    assert Item.objects.filter(pk=seminar.pk).exists()


def test_the_service_refuses_a_stale_version(chair, curator, seminar):
    seen = seminar.version
    services.update_item(seminar, by=curator, version=seen, text="Семинар для новичков.")

    with pytest.raises(services.EditConflict) as conflict:
        services.delete_item(seminar, by=chair, version=seen)

    assert conflict.value.current.text == "Семинар для новичков."
    assert Item.objects.filter(pk=seminar.pk).exists()
