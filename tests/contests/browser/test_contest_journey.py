"""A contest in a real browser: from a drafted regulation to a downloaded diploma.

The chair drafts the regulations and sends them to the council, a council member
votes on a phone, the chair closes the vote and sees the result; a librarian applies
with a file; the chair accepts and appoints a juror; the juror scores; the chair
approves and publishes the results and takes the diplomas as one ZIP; the librarian
downloads her diploma.
Screenshots go to $RUMO_SCREENSHOTS when set, else to tmp_path.
"""

import os
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contests.models import Application, Contest, Regulation
from tests import files
from tests.browser.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("RUMO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def person_page(new_context, member, *, phone=False):
    context = (
        new_context(viewport=PHONE, is_mobile=True, has_touch=True) if phone else new_context()
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return log_in(page, member)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_from_a_drafted_regulation_to_a_downloaded_diploma(
    new_context, chair, council, applicant, juror, library, shots, tmp_path
):
    today = timezone.localdate()
    # The chair drafts the regulations.
    page = person_page(new_context, chair)
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Конкурсы").click()
    expect(page.get_by_text("Конкурсов пока нет")).to_be_visible()
    page.get_by_role("link", name="Новый конкурс").click()
    page.get_by_label("Название конкурса").fill("Книжный марафон")
    page.get_by_label("Год").fill(str(today.year))
    page.get_by_label("РУМО библиотекарей").check()
    page.get_by_role("button", name="Создать").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Положение, редакция 1")

    page.get_by_role("link", name="Заголовок и условия").click()
    page.get_by_label("Среди кого").fill("среди библиотекарей ПОО")
    page.get_by_label("Приём заявок с").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Приём заявок до (включительно)").fill(
        (today + timedelta(days=7)).isoformat()
    )
    page.get_by_label("Что приложить к заявке").fill("описание проекта")
    page.get_by_label("Допустимые типы файлов").fill("pdf")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_role("link", name="+ Номинация").click()
    page.get_by_label("Номинация").fill("Лучший проект")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_role("link", name="+ Критерий").click()
    page.get_by_label("Критерий").fill("Актуальность")
    page.get_by_label("Максимум баллов").fill("10")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_role("link", name="+ пункт").first.click()
    page.get_by_label("Текст пункта").fill("Конкурс проводит РУМО.\n– очно;\n- заочно.")
    page.get_by_role("button", name="Сохранить").click()
    paper = page.get_by_test_id("regulation-paper")
    expect(paper).to_contain_text("1.2. Конкурс проводит РУМО.")
    expect(paper).to_contain_text("- заочно.")
    page.screenshot(path=shots / "contest-regulation-desktop.png", full_page=True)

    page.get_by_role("link", name="Отправить совету").click()
    deadline = timezone.localtime() + timedelta(days=3)
    page.get_by_label("Голосование до").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_test_id("regulation-status")).to_have_text("на рассмотрении совета")
    regulation_url = page.url

    # A council member votes on her phone.
    phone = person_page(new_context, council, phone=True)
    expect(phone.get_by_test_id("contests-card")).to_contain_text("Проголосуйте")
    phone.get_by_text("Проголосуйте: положение «Книжный марафон»").click()
    phone.get_by_label("за", exact=True).check()
    phone.get_by_label("Комментарий").fill("Хорошее положение <b>без</b> замечаний")
    phone.get_by_role("button", name="Проголосовать").click()
    expect(phone.get_by_text("Ваш голос учтён")).to_be_visible()
    assert fits(phone)
    phone.screenshot(path=shots / "contest-vote-phone.png", full_page=True)

    # The chair votes too, closes the vote and sees the result.
    page.goto(regulation_url)
    page.get_by_label("за", exact=True).check()
    page.get_by_role("button", name="Проголосовать").click()
    page.get_by_role("button", name="Закрыть голосование и подсчитать").click()
    expect(page.get_by_test_id("regulation-status")).to_have_text("утверждено")
    expect(page.get_by_test_id("approval")).to_contain_text("проголосовали 2")
    page.get_by_role("button", name="Голоса и комментарии").or_(
        page.get_by_text("Голоса и комментарии")
    ).first.click()
    expect(page.get_by_text("Хорошее положение <b>без</b> замечаний")).to_be_visible()

    # A librarian applies with a file.
    contest = Contest.objects.get(title="Книжный марафон")
    work = tmp_path / "project.pdf"
    work.write_bytes(files.PDF)
    librarian = person_page(new_context, applicant, phone=True)
    librarian.goto(contest.get_absolute_url())
    librarian.get_by_role("link", name="Подать заявку").click()
    librarian.get_by_label("Номинация").select_option(label="Лучший проект")
    librarian.get_by_label("Название работы").fill("Читательский марафон")
    librarian.get_by_label("Файлы").set_input_files(str(work))
    librarian.get_by_label("Согласен(на) на обработку персональных данных").check()
    librarian.get_by_role("button", name="Подать заявку").click()
    expect(librarian.get_by_test_id("application-status")).to_have_text("подана")
    assert fits(librarian)

    # The chair accepts it and appoints the juror.
    application = Application.objects.get()
    page.goto(application.get_absolute_url())
    page.get_by_role("button", name="Принять").click()
    expect(page.get_by_test_id("application-status")).to_have_text("принята")
    page.goto(contest.get_absolute_url())
    page.get_by_role("link", name="Жюри").click()
    page.get_by_label("Член жюри").select_option(str(juror.pk))
    page.get_by_label("Председатель жюри").check()
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_test_id("jurors")).to_contain_text("Андреева")

    # The juror scores and submits.
    judge = person_page(new_context, juror)
    expect(judge.get_by_test_id("contests-card")).to_contain_text("Оцените заявки")
    judge.get_by_text("Оцените заявки: «Книжный марафон»").click()
    judge.get_by_label("Актуальность").fill("11")  # the browser itself refuses it
    assert judge.get_by_label("Актуальность").evaluate("input => input.validity.rangeOverflow")
    judge.get_by_label("Актуальность").fill("9")
    judge.get_by_role("button", name="Сохранить").click()
    judge.get_by_role("button", name="Отправить оценки").click()
    expect(judge.get_by_test_id("score-table")).to_contain_text("9,00")

    # The chair approves and publishes the results.
    page.goto(contest.get_absolute_url())
    page.get_by_role("link", name="Итоги").click()
    page.get_by_role("button", name="Утвердить итоги").click()
    page.get_by_role("button", name="Опубликовать итоги").click()
    expect(page.get_by_test_id("published-results")).to_contain_text("Фёдорова Галина Аркадьевна")
    page.screenshot(path=shots / "contest-results-desktop.png", full_page=True)
    # Every diploma is built (the tests' worker runs inline): the chair takes them all.
    expect(page.get_by_test_id("diplomas")).to_contain_text("Сформировано: 1 из 1")
    with page.expect_download() as download:
        page.get_by_test_id("diplomas-zip").click()
    assert download.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.value.path()) as archive:
        [entry] = archive.namelist()
        assert entry.endswith("Фёдорова Галина Аркадьевна.pdf")
        assert archive.read(entry).startswith(b"%PDF")

    # The librarian downloads her diploma.
    librarian.goto(application.get_absolute_url())
    link = librarian.get_by_role("link", name="Скачать диплом")
    response = librarian.request.get(link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    assert Regulation.objects.get(contest=contest).status == Regulation.Status.APPROVED
    for p in (page, phone, librarian, judge):
        assert p.errors == []
