"""The revision's «изменено» line names the last change of anything in it and who made it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import Revision, Section

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - timedelta(days=3)


def age(revision: Revision) -> Revision:
    """Pretend the revision was last changed three days ago, by nobody in particular."""
    Revision.objects.filter(pk=revision.pk).update(updated_at=LONG_AGO, updated_by=None)
    return Revision.objects.get(pk=revision.pk)


def changed_line(client, member, revision) -> str:
    client.force_login(member.user)
    page = client.get(revision.get_absolute_url()).text
    start = page.index('data-testid="changed"')
    return page[start : page.index("</span>", start)]


def test_an_item_edit_moves_the_changed_time_and_names_its_author(chair, curator, draft):
    item = draft.sections.get(kind=Section.Kind.EVENTS).items.get()
    age(draft)

    services.update_item(item, by=chair, version=item.version, text="Новый конкурс.")

    fresh = Revision.objects.get(pk=draft.pk)
    assert fresh.updated_at > LONG_AGO + timedelta(days=2)
    assert fresh.updated_by == chair


@pytest.mark.parametrize(
    "change",
    [
        lambda r, by: services.add_section(r, by=by, kind=Section.Kind.TEXT, title="Итоги"),
        lambda r, by: services.move_section(r.sections.last(), by=by, to_index=0),
        lambda r, by: services.update_stamp(
            r.stamps.first(),
            by=by,
            version=r.stamps.first().version,
            kind="approve",
            position="Директор",
            person_name="И.И. Иванов",
        ),  # fmt: skip
        lambda r, by: services.delete_item(r.sections.get(kind="events").items.get(), by=by),
    ],
    ids=["add-section", "move-section", "stamp", "delete-item"],
)
def test_every_content_change_touches_the_revision(chair, draft, change):
    age(draft)

    change(draft, chair)

    fresh = Revision.objects.get(pk=draft.pk)
    assert fresh.updated_at > LONG_AGO + timedelta(days=2) and fresh.updated_by == chair


def test_signing_and_returning_name_the_signer_not_the_chair(client, chair, curator, draft):
    services.send_for_agreement(draft, by=chair)
    assert Revision.objects.get(pk=draft.pk).updated_by == chair
    age(draft)

    services.return_revision(draft, by=curator, comment="Добавьте семинар.")

    fresh = Revision.objects.get(pk=draft.pk)
    assert fresh.updated_by == curator and fresh.updated_at > LONG_AGO + timedelta(days=2)
    line = changed_line(client, chair, fresh)
    assert "О.Б. Кузнецова" in line
    assert timezone.localtime(fresh.updated_at).strftime("%d.%m.%Y %H:%M") in line

    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=timezone.localdate())
    assert Revision.objects.get(pk=draft.pk).updated_by == curator


def test_an_htmx_save_refreshes_the_changed_line(client, chair, draft):
    item = draft.sections.get(kind=Section.Kind.EVENTS).items.get()
    age(draft)
    client.force_login(chair.user)

    response = client.post(
        reverse("plans:item-edit", args=[item.pk]),
        {"text": "Новый конкурс.", "timing": "май", "version": item.version},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert 'id="plan-changed"' in response.text and 'hx-swap-oob="outerHTML"' in response.text
    fresh = Revision.objects.get(pk=draft.pk)
    stamp = timezone.localtime(fresh.updated_at).strftime("%d.%m.%Y %H:%M")
    assert f"изменено {stamp}, С.Н. Лоскутова" in response.text
