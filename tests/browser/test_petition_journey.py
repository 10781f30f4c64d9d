"""The award petition in a real browser: the chair finds members with the nominee picker
(search, pages, «Добавить», by keyboard too), writes their merits and downloads the
ходатайство PDF."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import AwardNominee, AwardPetition
from tests.browser.conftest import log_in
from tests.meetings import pdf_text, rank_and_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AWARD = "Почётная грамота Министерства образования Чувашской Республики"
MERITS = "За организацию цикла встреч «Читающий колледж»."


def found_alone(people):
    """One whose surname no other's contains (the factory's «Фамилия1» is in «Фамилия12»)."""
    return next(p for p in people if not any(p.last_name in o.last_name for o in people if o != p))


def test_the_chair_prepares_a_petition_and_downloads_its_pdf(new_context, chair, library, tmp_path):
    wanted = found_alone(rank_and_file(library, 12))
    page = new_context(accept_downloads=True).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, chair)

    page.goto(reverse("members:databank"))
    page.get_by_role("link", name="Ходатайства о награждении").click()
    page.get_by_role("link", name="Новое ходатайство").click()
    page.get_by_label("Награда").fill(AWARD)
    search = page.get_by_role("searchbox", name="Найти участника")
    search.fill(f"{wanted.last_name} {wanted.first_name}".lower().replace("е", "ё"))
    results = page.get_by_test_id("nominee-results").get_by_role("listitem")
    expect(results).to_have_count(1)
    results.get_by_role("button", name="Добавить").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Добавлено в список: {wanted.full_name}. Выбрано: 1."
    )
    expect(page.get_by_role("checkbox", name=wanted.full_name)).to_be_checked()
    expect(results).to_contain_text("в списке")
    page.get_by_role("button", name="Сохранить").click()

    expect(page.get_by_role("heading", level=2, name=f"1. {wanted.full_name}")).to_be_visible()
    expect(page.get_by_test_id("missing-merits")).to_contain_text(wanted.full_name)
    page.get_by_label("Заслуги (обоснование)").fill(MERITS)
    page.get_by_role("button", name="Сохранить заслуги").click()
    expect(page.get_by_text("Заслуги сохранены.")).to_be_visible()
    expect(page.get_by_test_id("missing-merits")).to_have_count(0)

    page.get_by_role("button", name="Сформировать ходатайство (PDF)").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать ходатайство (PDF)").click()
    path = tmp_path / "petition.pdf"
    download.value.save_as(path)
    text = " ".join(pdf_text(path.read_bytes()).split())
    assert "ХОДАТАЙСТВО" in text and AWARD in text
    assert wanted.full_name in text and "Читающий колледж" in text
    assert "С.Н. Лоскутова" in text
    petition = AwardPetition.objects.get()
    assert list(petition.nominees.values_list("member_id", flat=True)) == [wanted.pk]
    assert AwardNominee.objects.get().reason == MERITS
    assert errors == []


def test_the_chair_picks_nominees_by_keyboard_among_many(new_context, chair, library):
    """Search, Enter, Tab to «Добавить», Enter, next page: the focus follows, nothing is
    lost, the typed award stays, and an unticked nominee is left out on saving."""
    people = rank_and_file(library, 25)
    people.insert(0, people.pop(people.index(found_alone(people))))
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, chair)
    page.goto(reverse("members:petition-create", args=[library.slug]))
    page.get_by_label("Награда").fill(AWARD)
    page.get_by_label("Награда").press("Enter")  # sends nothing: only «Сохранить» saves

    search = page.get_by_role("searchbox", name="Найти участника")
    search.focus()
    page.keyboard.type(people[0].last_name.upper())
    page.keyboard.press("Enter")  # searches in place: the form is not sent
    expect(page.get_by_test_id("nominee-results").get_by_role("listitem")).to_have_count(1)
    expect(page.get_by_role("status")).to_contain_text("найден 1 участник")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("name", "add")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Добавлено в список: {people[0].full_name}")
    expect(page.locator(":focus")).to_have_id("chosen-heading")  # no «Добавить» left below

    search.fill("")
    expect(page.get_by_test_id("nominee-results").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("button", name="Вперёд").click()
    expect(page.locator(":focus")).to_have_id("results-heading")
    expect(page.locator("#results-heading")).to_contain_text("страница 2 из 3")
    rows = page.get_by_test_id("nominee-results").get_by_role("listitem")
    name = rows.first.locator(".fw-semibold").inner_text()
    below = rows.nth(1).get_by_role("button", name="Добавить").get_attribute("value")
    rows.first.get_by_role("button", name="Добавить").focus()
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("value", below)  # the next one below
    expect(page.locator("[data-chosen-count]")).to_have_text("2")
    page.get_by_role("checkbox", name=people[0].full_name).press("Space")  # untick
    expect(page.locator("[data-chosen-count]")).to_have_text("1")
    expect(page.get_by_label("Награда")).to_have_value(AWARD)

    assert page.url.endswith(reverse("members:petition-create", args=[library.slug]))
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", level=2, name=f"1. {name}")).to_be_visible()
    petition = AwardPetition.objects.get()
    assert [n.member.full_name for n in petition.nominees.select_related("member")] == [name]
    assert errors == []
