"""Plan permissions answer the same for a revision and for the rows inside it."""

from plans import services
from plans.models import Item


def test_edit_permission_follows_the_revision_from_items_and_stamps(draft, chair, member):
    item = Item.objects.filter(section__revision=draft).first()
    stamp = draft.stamps.first()
    for obj in (draft, item.section, item, stamp):
        assert chair.user.has_perm("plans.edit_revision", obj)
        assert not member.user.has_perm("plans.edit_revision", obj)
    services.send_for_agreement(draft, by=chair)
    item.refresh_from_db()
    assert not chair.user.has_perm("plans.edit_revision", Item.objects.get(pk=item.pk))
