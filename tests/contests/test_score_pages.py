"""The jury's pages stay usable with 300 applications × 5 criteria × 5 jurors: the scoring
sheet shows a page of applications at a time, and the sheet and the score table make as
many queries for 300 applications as for 12."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.contest import big_contest
from contests.models import Score

pytestmark = pytest.mark.django_db


def queries(client, path) -> tuple[int, str]:
    cache.clear()
    ContentType.objects.clear_cache()  # process-wide caches: cold for every page alike
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured), response.content.decode()


@pytest.fixture
def contests(library, council):
    small = big_contest(12, association=library, juror=council, title="Малый конкурс")
    large = big_contest(300, association=library, juror=council, title="Большой конкурс")
    return small, large


def test_the_sheet_and_the_score_table_make_the_same_queries_for_12_and_300(
    login, contests, chair, council
):
    counts = {}
    for contest in contests:
        pages = {
            "sheet": (council, reverse("contests:scoring", args=[contest.pk])),
            "sheet page 2": (council, reverse("contests:scoring", args=[contest.pk]) + "?page=2"),
            "sheet, to score": (
                council,
                reverse("contests:scoring", args=[contest.pk]) + "?show=todo",
            ),
            "score table": (chair, reverse("contests:results", args=[contest.pk])),
        }
        counts[contest.title] = {
            label: queries(login(who), path)[0] for label, (who, path) in pages.items()
        }
    assert counts["Малый конкурс"] == counts["Большой конкурс"]


def test_the_sheet_shows_twenty_applications_a_page_and_what_is_left_to_score(
    login, contests, council
):
    _small, large = contests
    client = login(council)
    sheet = reverse("contests:scoring", args=[large.pk])
    _count, page = queries(client, sheet)
    assert page.count('data-testid="sheet-row"') == 20
    assert "Оценено заявок: 300 из 300" in page and "Страница 1 из 15" in page
    assert page.count('class="form-control score-input"') == 20 * 5

    _count, page = queries(client, sheet + "?page=15")
    assert page.count('data-testid="sheet-row"') == 20 and "Страница 15 из 15" in page
    assert "Участникова-300 Анна Ивановна" in page  # the last of the third nomination

    # Three applications lose a score: «still to score» lists exactly those.
    seat = large.jurors.get(member=council)
    left = list(large.applications.order_by("pk")[:3])
    Score.objects.filter(juror=seat, application__in=left, criterion__position=2).delete()
    _count, page = queries(client, sheet + "?show=todo")
    assert page.count('data-testid="sheet-row"') == 3
    assert "Оценено заявок: 297 из 300" in page
    for application in left:
        assert f'id="app-{application.pk}"' in page

    # Saving a row returns to the same filtered page, at the row.
    target = left[0]
    criteria = large.approved_regulation.criteria.all()
    response = client.post(
        sheet + "?show=todo",
        {"application": target.pk} | {f"c{c.pk}": "7" for c in criteria},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{sheet}?show=todo#app-{target.pk}"
    _count, page = queries(client, sheet + "?show=todo")
    assert page.count('data-testid="sheet-row"') == 2


def test_the_score_table_writes_points_the_russian_way(login, running, chair, juror, applicant):
    from tests.contests.test_pdf import scored_contest

    scored_contest(running, chair, juror, applicant)  # 16 and 20 points: 36, 18, 18, 4
    page = login(chair).get(reverse("contests:results", args=[running.pk])).content.decode()
    cells = [
        '<td class="text-end">16,00</td>',
        '<td class="text-end">20,00</td>',
        '<td class="text-end">36,00</td>',
        '<td class="text-end fw-semibold">18,00</td>',
        '<td class="text-end">18,00</td>',
        '<td class="text-end">4,00</td>',
    ]
    row = page[page.index("Фёдорова Галина Аркадьевна</td>") :]
    row = row[: row.index("</tr>")]
    assert [c for c in cells if c not in row] == []
