"""The award petition in a real browser: the chair finds members in the searchable list,
writes their merits and downloads the ходатайство PDF."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import AwardNominee, AwardPetition
from tests.browser.conftest import log_in
from tests.meetings import pdf_text, rank_and_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AWARD = "Почётная грамота Министерства образования Чувашской Республики"
MERITS = "За организацию цикла встреч «Читающий колледж»."


def test_the_chair_prepares_a_petition_and_downloads_its_pdf(new_context, chair, library, tmp_path):
    people = rank_and_file(library, 12)
    wanted = people[7]
    page = new_context(accept_downloads=True).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, chair)

    page.goto(reverse("members:databank"))
    page.get_by_role("link", name="Ходатайства о награждении").click()
    page.get_by_role("link", name="Новое ходатайство").click()
    page.get_by_label("Награда").fill(AWARD)
    search = page.get_by_role("searchbox", name="Поиск по фамилии")
    search.fill(f"{wanted.last_name} {wanted.first_name}".lower())
    visible = page.locator(".form-check:visible")
    expect(visible).to_have_count(1)
    visible.get_by_role("checkbox").check()
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
