"""Editing a draft in place over HTTP: htmx fragments, conflicts, frozen plans, signatures."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.services import create_meeting
from plans import services
from plans.models import Item, Revision, Section, Stamp
from tests import factories

pytestmark = pytest.mark.django_db
Kind = Section.Kind


@pytest.fixture
def draft(chair, curator, approver, library):
    """A 2030 draft: three priorities and two events."""
    plan = services.create_plan(library, year=2030, by=chair)
    revision = plan.revisions.get()
    numbered = revision.sections.get(title="Приоритетные направления деятельности:")
    for text in ("Первое.", "Второе.", "Третье."):
        services.add_item(numbered, by=chair, text=text)
    events = revision.sections.get(kind=Kind.EVENTS)
    services.add_item(
        events,
        by=chair,
        text="Конкурс «Золотая лира».",
        timing="октябрь - ноябрь",
        responsible="Председатель РУМО",
    )
    services.add_item(events, by=chair, text="Семинар.", timing="март")
    return Revision.objects.get(pk=revision.pk)


def item(revision, text) -> Item:
    return Item.objects.get(section__revision=revision, text=text)


def as_(client, member):
    client.logout()
    if member is not None:
        client.force_login(member.user)
    return client


def hx_get(client, member, url):
    return as_(client, member).get(url, headers={"HX-Request": "true"})


def hx_post(client, member, url, data=None):
    return as_(client, member).post(url, data or {}, headers={"HX-Request": "true"})


def numbers_and_texts(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'class="plan-num">(\d+)\.</span>\s*<div class="plan-item-text">([^<]*)<', html
    )


def item_form(row: Item, **changes) -> dict:
    data = {
        "text": row.text,
        "timing": row.timing,
        "place": row.place,
        "responsible": row.responsible,
        "version": row.version,
    }
    return {**data, **changes}


# Who may edit


def endpoints(revision) -> list[tuple[str, str, dict]]:
    section = revision.sections.get(kind=Kind.EVENTS)
    row = section.items.first()
    stamp = revision.stamps.first()
    return [
        ("get", reverse("plans:header-edit", args=[revision.pk]), {}),
        (
            "post",
            reverse("plans:header-edit", args=[revision.pk]),
            {"title": "ВЗЛОМ", "place": "Ч", "version": revision.version},
        ),
        (
            "post",
            reverse("plans:stamp-edit", args=[stamp.pk]),
            {"kind": "approve", "position": "x", "person_name": "y", "version": stamp.version},
        ),
        ("post", reverse("plans:section-add", args=[revision.pk]), {"kind": "text", "title": "x"}),
        (
            "post",
            reverse("plans:section-edit", args=[section.pk]),
            {"title": "x", "version": section.version},
        ),
        ("post", reverse("plans:section-move", args=[section.pk]), {"index": 0}),
        ("post", reverse("plans:item-add", args=[section.pk]), {"text": "x"}),
        ("post", reverse("plans:item-edit", args=[row.pk]), item_form(row, text="x")),
        ("post", reverse("plans:item-move", args=[row.pk]), {"index": 1}),
        ("get", reverse("plans:item-delete", args=[row.pk]), {}),
        ("post", reverse("plans:item-delete", args=[row.pk]), {}),
        ("post", reverse("plans:section-delete", args=[section.pk]), {}),
    ]


@pytest.mark.parametrize(
    "persona", ["member", "council", "curator", "approver", "staff", "other_chair"]
)
def test_only_the_chair_may_edit_a_draft(client, draft, personas, persona):
    for method, url, data in endpoints(draft):
        response = getattr(as_(client, personas[persona]), method)(url, data)
        assert response.status_code == 403, (method, url)
    assert Revision.objects.get(pk=draft.pk).version == draft.version


def test_anonymous_visitor_is_sent_to_log_in_by_every_editor_endpoint(client, draft):
    for method, url, data in endpoints(draft):
        response = getattr(as_(client, None), method)(url, data)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Revision.objects.get(pk=draft.pk).version == draft.version


def test_chair_uses_every_editor_endpoint_without_javascript(client, draft, chair):
    for method, url, data in endpoints(draft):
        response = getattr(as_(client, chair), method)(url, data)
        if method == "get":
            assert response.status_code == 200, url
            assert "<!doctype html>" in response.text  # the whole page with the form open
        else:
            assert response.status_code == 302, url
            assert response.url.startswith(draft.get_absolute_url() + "#"), url


def test_unknown_rows_are_not_found(client, draft, chair):
    for name in (
        "header-edit",
        "stamp-edit",
        "section-edit",
        "section-delete",
        "item-add",
        "item-edit",
        "item-delete",
        "item-execution",
    ):
        assert hx_get(client, chair, reverse(f"plans:{name}", args=[987654])).status_code == 404
    text = draft.sections.get(kind=Kind.TEXT) if draft.sections.filter(kind=Kind.TEXT) else None
    assert text is None  # the skeleton has no text section: add one, it has no items
    section = services.add_section(draft, by=chair, kind=Kind.TEXT, title="Пояснение")
    assert hx_get(client, chair, reverse("plans:item-add", args=[section.pk])).status_code == 404


# Editing items


def test_chair_edits_an_item_in_place(client, draft, chair):
    row = item(draft, "Семинар.")
    url = reverse("plans:item-edit", args=[row.pk])

    form = hx_get(client, chair, url)
    saved = hx_post(
        client,
        chair,
        url,
        item_form(row, text="Семинар «Библиотека и ИИ».", timing="апрель-май", place="онлайн"),
    )

    assert form.status_code == 200
    assert form.text.lstrip().startswith(f'<tr id="item-{row.pk}"')
    assert 'name="text"' in form.text and f'name="version" value="{row.version}"' in form.text
    assert saved.status_code == 200
    assert saved.text.lstrip().startswith(f'<tr id="item-{row.pk}"')
    assert "Семинар «Библиотека и ИИ»." in saved.text
    assert '<span class="plan-months"' in saved.text and "апр–май" in saved.text
    assert "Изменения сохранены." in saved.text  # the notice area, out of band
    assert f'"id": "item-{row.pk}"' in saved["HX-Trigger-After-Settle"]
    row.refresh_from_db()
    assert (row.text, row.timing, row.place) == (
        "Семинар «Библиотека и ИИ».",
        "апрель-май",
        "онлайн",
    )
    assert row.months == {4, 5}


def test_a_timing_that_is_not_understood_is_kept_without_a_month_hint(client, draft, chair):
    row = item(draft, "Семинар.")

    response = hx_post(
        client,
        chair,
        reverse("plans:item-edit", args=[row.pk]),
        item_form(row, timing="по согласованию с колледжем"),
    )

    assert response.status_code == 200
    assert "по согласованию с колледжем" in response.text
    assert "plan-months" not in response.text
    row.refresh_from_db()
    assert row.timing == "по согласованию с колледжем" and row.months == set()


def test_invalid_input_answers_400_keeps_it_and_saves_nothing(client, draft, chair):
    row = item(draft, "Семинар.")
    url = reverse("plans:item-edit", args=[row.pk])

    empty = hx_post(client, chair, url, item_form(row, text="", timing="июнь"))
    too_long = hx_post(client, chair, url, item_form(row, text="я" * 5001))

    assert empty.status_code == 400
    assert "Обязательное поле." in empty.text
    assert 'value="июнь"' in empty.text  # the rest of the input is kept
    assert too_long.status_code == 400
    assert "не более 5000 символов" in too_long.text
    assert "я" * 5001 in too_long.text
    row.refresh_from_db()
    assert (row.text, row.timing) == ("Семинар.", "март")


def test_links_offer_only_the_associations_people_meetings_and_contests(
    client, draft, chair, member, other_chair, library, philology
):
    row = item(draft, "Семинар.")
    meeting = create_meeting(library, year=2030, planned_month=3, agenda=[("Отчёт.", "")])
    foreign = create_meeting(philology, year=2030, planned_month=3)
    url = reverse("plans:item-edit", args=[row.pk])

    linked = hx_post(
        client, chair, url, item_form(row, responsible_members=[member.pk], meeting=meeting.pk)
    )
    row.refresh_from_db()
    outsider = hx_post(client, chair, url, item_form(row, responsible_members=[other_chair.pk]))
    elsewhere = hx_post(client, chair, url, item_form(row, meeting=foreign.pk))

    assert linked.status_code == 200
    assert "Заседание № 1." in linked.text and "Отчёт." in linked.text
    assert member.short_name in linked.text
    assert outsider.status_code == 400 and elsewhere.status_code == 400
    assert list(row.responsible_members.all()) == [member]


def test_chair_adds_an_item_and_it_gets_the_next_number(client, draft, chair):
    section = draft.sections.get(title="Приоритетные направления деятельности:")
    url = reverse("plans:item-add", args=[section.pk])

    form = hx_get(client, chair, url)
    invalid = hx_post(client, chair, url, {"text": ""})
    response = hx_post(client, chair, url, {"text": "Четвёртое."})

    assert f'id="section-{section.pk}-add"' in form.text and 'name="text"' in form.text
    assert 'name="timing"' not in form.text  # a numbered list has text only
    assert invalid.status_code == 400 and "Обязательное поле." in invalid.text
    assert response.status_code == 200
    assert numbers_and_texts(response.text)[-1] == ("4", "Четвёртое.")
    assert section.items.count() == 4


def test_moving_an_item_by_index_renumbers_the_list(client, draft, chair):
    section = draft.sections.get(title="Приоритетные направления деятельности:")
    third = item(draft, "Третье.")

    response = hx_post(client, chair, reverse("plans:item-move", args=[third.pk]), {"index": 0})

    assert response.status_code == 200
    assert numbers_and_texts(response.text) == [
        ("1", "Третье."),
        ("2", "Первое."),
        ("3", "Второе."),
    ]
    assert '"control": "up"' in response["HX-Trigger-After-Settle"]
    assert [i.text for i in section.items.all()] == ["Третье.", "Первое.", "Второе."]
    bad = hx_post(client, chair, reverse("plans:item-move", args=[third.pk]), {"index": "x"})
    assert bad.status_code == 400 and bad["HX-Retarget"] == "#plan-notice"


def test_deleting_an_item_asks_first_then_keeps_numbers_consecutive(client, draft, chair):
    first = item(draft, "Первое.")
    url = reverse("plans:item-delete", args=[first.pk])

    question = hx_get(client, chair, url)
    response = hx_post(client, chair, url)

    assert "Удалить пункт 1 «Первое.»?" in question.text
    assert Item.objects.filter(pk=first.pk).exists() is False
    assert numbers_and_texts(response.text) == [("1", "Второе."), ("2", "Третье.")]
    assert "Пункт удалён." in response.text


# Sections, stamps, header


def test_chair_adds_moves_edits_and_deletes_sections(client, draft, chair):
    add = hx_post(
        client,
        chair,
        reverse("plans:section-add", args=[draft.pk]),
        {"kind": "numbered", "title": "Ожидаемые результаты:"},
    )
    added = draft.sections.get(title="Ожидаемые результаты:")
    moved = hx_post(client, chair, reverse("plans:section-move", args=[added.pk]), {"index": 0})
    edited = hx_post(
        client,
        chair,
        reverse("plans:section-edit", args=[added.pk]),
        {"title": "Цели:", "text": "Вводный текст.", "version": added.version},
    )
    question = hx_get(client, chair, reverse("plans:section-delete", args=[added.pk]))
    deleted = hx_post(client, chair, reverse("plans:section-delete", args=[added.pk]))

    assert add.status_code == 200 and "V. Ожидаемые результаты:" in add.text
    assert "I. Ожидаемые результаты:" in moved.text
    assert "II. Приоритетные направления деятельности:" in moved.text
    assert edited.status_code == 200 and "I. Цели:" in edited.text
    assert "<p>Вводный текст.</p>" in edited.text
    assert "Удалить раздел «Цели:»" in question.text
    assert "I. Приоритетные направления деятельности:" in deleted.text
    assert not draft.sections.filter(pk=added.pk).exists()


def test_a_section_needs_a_kind_and_a_title(client, draft, chair):
    response = hx_post(
        client,
        chair,
        reverse("plans:section-add", args=[draft.pk]),
        {"kind": "", "title": "Без вида"},
    )

    assert response.status_code == 400
    assert 'value="Без вида"' in response.text and "Обязательное поле." in response.text
    assert not draft.sections.filter(title="Без вида").exists()


def test_chair_edits_a_stamp_and_the_title_block(client, draft, chair):
    stamp = draft.stamps.get(side=Stamp.Side.RIGHT)
    stamp_url = reverse("plans:stamp-edit", args=[stamp.pk])
    header_url = reverse("plans:header-edit", args=[draft.pk])

    stamp_form = hx_get(client, chair, stamp_url)
    stamp_saved = hx_post(
        client,
        chair,
        stamp_url,
        {
            "kind": "approve",
            "position": "Директор\nколледжа",
            "person_name": "И.И. Иванов",
            "version": stamp.version,
        },
    )
    draft.refresh_from_db()
    header_saved = hx_post(
        client,
        chair,
        header_url,
        {
            "title": "ПЛАН РАБОТЫ\nРУМО\nна 2030 год",
            "place": "Канаш",
            "signature_position": "Председатель",
            "signature_name": "С.Н. Лоскутова",
            "version": draft.version,
        },
    )

    assert 'name="person_name"' in stamp_form.text
    assert "УТВЕРЖДАЮ" in stamp_saved.text and "<div>колледжа</div>" in stamp_saved.text
    assert stamp_saved.text.lstrip().startswith('<div id="plan-stamps"')
    assert header_saved.status_code == 200
    assert '<span class="d-block">РУМО</span>' in header_saved.text
    assert "Канаш, 2030" in header_saved.text
    assert 'id="plan-signature" class="plan-signature" hx-swap-oob="true"' in header_saved.text
    duplicate = hx_post(
        client,
        chair,
        stamp_url,
        {"kind": "agreed", "position": "", "person_name": "", "version": stamp.version + 1},
    )
    assert duplicate.status_code == 400 and "Такой гриф в плане уже есть." in duplicate.text


# Conflicts, frozen revisions, signatures


def test_a_colleagues_save_answers_409_and_keeps_the_users_text(client, draft, chair, curator):
    row = item(draft, "Семинар.")
    opened = row.version
    services.update_item(row, by=curator, version=opened, text="Семинар для новичков.")
    url = reverse("plans:item-edit", args=[row.pk])

    conflict = hx_post(client, chair, url, item_form(row, text="Мой семинар.", version=opened))

    assert conflict.status_code == 409
    assert "Пока вы редактировали, этот пункт изменил(а) О.Б. Кузнецова:" in conflict.text
    assert "Семинар для новичков." in conflict.text  # their text
    assert re.search(r">\s*Мой семинар.</textarea>", conflict.text)  # the user's input is kept
    assert f'name="version" value="{opened + 1}"' in conflict.text
    row.refresh_from_db()
    assert row.text == "Семинар для новичков."

    again = hx_post(client, chair, url, item_form(row, text="Мой семинар.", version=opened + 1))

    assert again.status_code == 200
    row.refresh_from_db()
    assert row.text == "Мой семинар."


def test_a_crafted_post_to_an_approved_revision_changes_nothing(
    client, draft, chair, curator, approver
):
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=timezone.localdate())
    services.approve_revision(draft, by=approver, on=timezone.localdate())
    draft.refresh_from_db()
    before = (draft.version, draft.content_version)

    for method, url, data in endpoints(draft):
        response = getattr(as_(client, chair), method)(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 409, url
        assert "уже не черновик" in response.text
        assert response["HX-Retarget"] == "#plan-notice"
    row = item(draft, "Семинар.")
    plain = as_(client, chair).post(reverse("plans:item-move", args=[row.pk]), {"index": 0})

    assert plain.status_code == 409 and "уже не черновик" in plain.text
    after = Revision.objects.get(pk=draft.pk)
    assert (after.version, after.content_version) == before
    assert item(draft, "Семинар.").section.items.count() == 2
    assert "Изменить пункт" not in as_(client, chair).get(draft.get_absolute_url()).text


def test_editing_a_returned_draft_warns_and_then_names_the_cleared_signatures(
    client, draft, chair, curator, approver
):
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=timezone.localdate())
    services.return_revision(draft, by=approver, comment="Добавьте <b>сроки</b> конкурса.")
    page = as_(client, chair).get(draft.get_absolute_url())
    row = item(draft, "Семинар.")

    response = hx_post(
        client,
        chair,
        reverse("plans:item-edit", args=[row.pk]),
        item_form(row, text="Семинар, апрель."),
    )

    assert "План возвращён на доработку" in page.text
    assert "Добавьте &lt;b&gt;сроки&lt;/b&gt; конкурса." in page.text
    assert "Изменение текста снимет подписи: О.Б. Кузнецова" in page.text
    assert response.status_code == 200
    assert "Изменение сняло подписи: О.Б. Кузнецова." in response.text
    assert 'id="plan-stamps" class="plan-stamps" hx-swap-oob="true"' in response.text
    assert "Изменение текста снимет подписи" not in response.text
    assert not draft.stamps.get(kind=Stamp.Kind.AGREED).is_signed


def test_without_javascript_the_cleared_signatures_are_a_message_after_the_redirect(
    client, draft, chair, curator, approver
):
    services.send_for_agreement(draft, by=chair)
    services.agree_revision(draft, by=curator, on=timezone.localdate())
    services.return_revision(draft, by=approver, comment="Исправьте.")
    section = draft.sections.get(kind=Kind.EVENTS)

    response = as_(client, chair).post(
        reverse("plans:item-add", args=[section.pk]), {"text": "Новое."}, follow=True
    )

    assert response.redirect_chain[0][0].startswith(draft.get_absolute_url() + "#item-")
    assert "Изменение сняло подписи: О.Б. Кузнецова." in response.text


def test_a_deputy_chair_edits_too(client, draft, library):
    deputy = factories.MembershipFactory(association=library, role="deputy").member
    deputy.user = factories.UserFactory(username="deputy")
    deputy.save()
    row = item(draft, "Семинар.")

    response = hx_post(
        client,
        deputy,
        reverse("plans:item-edit", args=[row.pk]),
        item_form(row, text="Семинар заместителя."),
    )

    assert response.status_code == 200
