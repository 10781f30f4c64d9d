"""Real plans, not only the seed: columns, numbering, group rows, stamps and periods.

Each test writes a plan of a shape other associations use and checks what the
page, the PDF and the workflow make of it.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans import services
from plans.models import Item, Plan, Revision, Section, Stamp
from plans.outline import load_revision, outline
from plans.services.importing import create_from_spec, spec_of
from plans.spec import ColumnSpec, PlanSpec, RowSpec, SectionSpec, StampSpec
from tests.documents import file_bytes
from tests.plans.test_pdf import build, pdf_text, squash

pytestmark = pytest.mark.django_db
State = Revision.Status


def summer_session() -> PlanSpec:
    """A summer methodological session: day rows and six columns, a period of dates."""
    columns = [
        ColumnSpec("number", "№"),
        ColumnSpec("time", "Время"),
        ColumnSpec("text", "Мероприятие"),
        ColumnSpec("place", "Место"),
        ColumnSpec("form", "Форма проведения"),
        ColumnSpec("responsible", "Ответственные"),
    ]
    rows = [
        RowSpec(cells={"text": "День 1 (03.06.2024)"}, is_group=True),
        RowSpec(cells={"time": "10:00–10:30", "text": "Открытие сессии", "place": "Актовый зал",
                       "form": "Пленарное заседание", "responsible": "Лоскутова С.Н."}),
        RowSpec(cells={"time": "10:30–12:00", "text": "Цифровая библиотека колледжа",
                       "place": "Ауд. 204", "form": "Мастер-класс",
                       "responsible": "Кузнецова О.Б."}),
        RowSpec(cells={"text": "День 2 (04.06.2024)"}, is_group=True),
        RowSpec(cells={"time": "10:00–12:00", "text": "Подведение итогов", "place": "Онлайн",
                       "form": "Круглый стол", "responsible": "Совет РУМО"}),
    ]  # fmt: skip
    return PlanSpec(
        title_lines=["ПРОГРАММА", "летней методической сессии библиотекарей"],
        place="Чебоксары",
        period="dates",
        year=2024,
        starts_on=date(2024, 6, 3),
        ends_on=date(2024, 6, 4),
        name="План летней методической сессии",
        date_style="г.",
        stamps=[
            StampSpec(
                kind="approved",
                side="right",
                position="Председатель РУМО",
                person_name="С.Н. Лоскутова",
                layout="gost",
            )
        ],  # fmt: skip
        sections=[
            SectionSpec(
                title="Программа", kind="events", numbering="none", columns=columns, rows=rows
            )
        ],  # fmt: skip
    )


def passport() -> PlanSpec:
    """A district association's «паспорт» for an academic year: Arabic numbers, nesting."""
    columns = [
        ColumnSpec("number", "№ п/п"),
        ColumnSpec("text", "Содержание работы"),
        ColumnSpec("timing", "Сроки"),
        ColumnSpec("result", "Ожидаемый результат"),
        ColumnSpec("execution_note", "Отметка о выполнении"),
    ]
    rows = [
        RowSpec(cells={"text": "Заседания ММО", "timing": "сентябрь–май"}),
        RowSpec(
            cells={
                "text": "Установочное заседание",
                "timing": "сентябрь",
                "result": "План утверждён",
            },
            level=1,
        ),  # fmt: skip
        RowSpec(cells={"text": "Выборы руководителя", "timing": "сентябрь"}, level=2),
        RowSpec(
            cells={
                "text": "Итоговое заседание",
                "timing": "май",
                "execution_note": "проведено 20.05",
            },
            level=1,
        ),  # fmt: skip
        RowSpec(cells={"text": "Мониторинг", "timing": "ежеквартально"}),
    ]
    return PlanSpec(
        title_lines=["ПАСПОРТ", "районного методического объединения"],
        place="",
        period="academic",
        year=2024,
        stamps=[
            StampSpec(
                kind="accepted",
                side="left",
                basis="на заседании педагогического совета\n(протокол № 1 от 29.08.2024)",
            ),
            StampSpec(
                kind="approved", side="right", basis="приказом директора от 30.08.2024 № 125"
            ),
        ],  # fmt: skip
        sections=[
            SectionSpec(
                title="Общие сведения",
                kind="text",
                numbering="arabic",
                text="Руководитель: Иванова И.И.",
            ),
            SectionSpec(
                title="План работы", kind="events", numbering="arabic", columns=columns, rows=rows
            ),
            SectionSpec(
                title="Продолжение",
                kind="orgwork",
                numbering="arabic",
                continue_numbering=True,
                columns=[
                    ColumnSpec("number", "№"),
                    ColumnSpec("text", "Содержание"),
                    ColumnSpec("timing", "Сроки"),
                ],
                rows=[RowSpec(cells={"text": "Отчёт", "timing": "I полугодие"})],
            ),
        ],  # fmt: skip
    )


@pytest.fixture
def session_plan(library, chair):
    return create_from_spec(library, summer_session(), by=chair)


@pytest.fixture
def passport_plan(library, chair):
    return create_from_spec(library, passport(), by=chair)


def test_a_table_prints_exactly_its_columns_with_their_headers(
    session_plan, django_capture_on_commit_callbacks
):
    pdf = build(session_plan, draft=True, capture=django_capture_on_commit_callbacks)
    assert pdf.state == "done", pdf.error
    text = squash(pdf_text(file_bytes(pdf)))
    for header in ["№", "Время", "Мероприятие", "Место", "Формапроведения", "Ответственные"]:
        assert header in text
    # Time and place are separate columns: «Актовый зал» is not glued to a timing.
    assert "10:00–10:30" in text and "Актовыйзал" in text and "Пленарноезаседание" in text
    assert "Сроки" not in text  # no column the section did not choose
    # Group rows span the table and do not break the count: 1, 2, then 3 after «День 2».
    assert "День1(03.06.2024)" in text and "День2(04.06.2024)" in text
    rows = [row for block in outline(load_revision(session_plan.pk)) for row in block.rows]
    assert [row.numbered for row in rows] == ["", "1.", "2.", "", "3."]


def test_no_numeral_no_place_line_and_the_chosen_year_word(
    session_plan, passport_plan, django_capture_on_commit_callbacks
):
    pdf = build(session_plan, draft=True, capture=django_capture_on_commit_callbacks)
    text = pdf_text(file_bytes(pdf))
    assert "I. Программа" not in text and "Программа" in text
    assert "2024 г." in text and "2024 года" not in text  # «г.», as the writer chose
    # ГОСТ order: position, then the signature line with the name, then the date.
    lines = [line.strip() for line in text.splitlines()]
    assert lines.index("Председатель РУМО") < lines.index("_____ С.Н. Лоскутова")

    pdf = build(passport_plan, draft=True, capture=django_capture_on_commit_callbacks)
    text = pdf_text(file_bytes(pdf))
    assert ", 2024" not in text  # no place: no «, 2024» line


def test_nested_rows_arabic_headings_and_numbering_continued_across_sections(passport_plan):
    blocks = outline(load_revision(passport_plan.pk))
    assert [block.heading for block in blocks] == [
        "1. Общие сведения", "2. План работы", "3. Продолжение",
    ]  # fmt: skip
    assert [row.numbered for row in blocks[1].rows] == ["1.", "1.1.", "1.1.1.", "1.2.", "2."]
    assert [row.numbered for row in blocks[2].rows] == ["3."]


def test_result_and_execution_note_columns_print(passport_plan, django_capture_on_commit_callbacks):
    pdf = build(passport_plan, draft=True, capture=django_capture_on_commit_callbacks)
    text = squash(pdf_text(file_bytes(pdf)))
    assert "Ожидаемыйрезультат" in text and "Планутверждён" in text
    assert "Отметкаовыполнении" in text and "проведено20.05" in text
    assert "1.1.1.Выборыруководителя" in text  # the nested number, printed once


def test_stamps_with_a_basis_print_it_and_survive_approval(
    passport_plan, chair, approver, django_capture_on_commit_callbacks
):
    pdf = build(passport_plan, draft=True, capture=django_capture_on_commit_callbacks)
    text = squash(pdf_text(file_bytes(pdf)))
    assert "ПРИНЯТО" in text and "(протокол№1от29.08.2024)" in text
    assert "приказомдиректораот30.08.2024№125" in text
    assert "_____" not in text  # no empty signature line under a stamp with a basis

    services.send_for_agreement(passport_plan, by=chair)
    passport_plan.refresh_from_db()
    services.approve_revision(passport_plan, by=approver, on=date(2024, 8, 30))
    services.approve_revision(passport_plan, by=approver, on=date(2024, 8, 30))
    passport_plan.refresh_from_db()
    assert passport_plan.status == State.APPROVED
    stamp = passport_plan.stamps.get(kind=Stamp.Kind.APPROVED)
    assert stamp.basis == "приказом директора от 30.08.2024 № 125"  # not overwritten
    assert stamp.signed_by == approver


def test_a_stamp_that_names_nobody_cannot_be_sent(draft, chair, client):
    stamp = draft.stamps.get(kind=Stamp.Kind.AGREED)
    Stamp.objects.filter(pk=stamp.pk).update(person_name="", position="")
    with pytest.raises(services.WorkflowError, match="никого не называет"):
        services.send_for_agreement(draft, by=chair)
    draft.refresh_from_db()
    assert draft.status == State.DRAFT


def test_the_chair_removes_and_adds_a_stamp_in_the_browser_forms(draft, chair, client):
    client.force_login(chair.user)
    agreed = draft.stamps.get(kind=Stamp.Kind.AGREED)
    url = reverse("plans:stamp-delete", args=[agreed.pk])
    response = client.post(url, {"version": agreed.version})
    assert response.status_code == 302
    assert not draft.stamps.filter(kind=Stamp.Kind.AGREED).exists()

    add = reverse("plans:stamp-add", args=[draft.pk])
    empty = client.post(add, {"kind": "accepted", "side": "left", "layout": "classic"})
    assert empty.status_code == 400
    assert "Укажите, кто подписывает гриф" in empty.text
    response = client.post(add, {
        "kind": "accepted", "side": "left", "layout": "classic",
        "basis": "на заседании совета РУМО (протокол № 1 от 15.01.2025)",
    })  # fmt: skip
    assert response.status_code == 302
    stamp = draft.stamps.get(kind=Stamp.Kind.ACCEPTED)
    assert (stamp.side, stamp.basis) == (
        "left",
        "на заседании совета РУМО (протокол № 1 от 15.01.2025)",
    )
    page = client.get(draft.get_absolute_url())
    assert "ПРИНЯТО" in page.text and "протокол № 1 от 15.01.2025" in page.text
    full = client.post(add, {"kind": "agreed", "side": "left", "person_name": "Кто-то"})
    assert full.status_code == 400  # both places are taken
    assert draft.stamps.count() == 2


def test_a_member_cannot_add_or_remove_stamps(draft, member, client):
    client.force_login(member.user)
    stamp = draft.stamps.first()
    assert client.post(reverse("plans:stamp-delete", args=[stamp.pk]), {}).status_code == 403
    assert client.get(reverse("plans:stamp-add", args=[draft.pk])).status_code == 403
    assert draft.stamps.count() == 2


def test_the_chair_chooses_columns_numbering_and_headers_of_a_section(draft, chair, client):
    client.force_login(chair.user)
    events = draft.sections.get(kind=Section.Kind.EVENTS)
    data = {
        "title": events.title, "text": "", "numbering": "arabic", "version": events.version,
        "show_number": "on", "label_number": "№",
        "show_text": "on", "label_text": "Мероприятие",
        "show_timing": "on", "label_timing": "Сроки",
        "show_place": "on", "label_place": "Место",
        "show_execution_note": "on", "label_execution_note": "Отметка о выполнении",
    }  # fmt: skip
    response = client.post(reverse("plans:section-edit", args=[events.pk]), data)
    assert response.status_code == 302
    events.refresh_from_db()
    assert events.columns == [
        ["number", "№"], ["text", "Мероприятие"], ["timing", "Сроки"], ["place", "Место"],
        ["execution_note", "Отметка о выполнении"],
    ]  # fmt: skip
    page = client.get(draft.get_absolute_url()).text
    assert ">Отметка о выполнении</th>" in page and ">Организаторы ответственные<" not in page
    assert "3. Планируемые мероприятия:" in page  # Arabic numeral, counted among sections

    data.pop("show_text")
    refused = client.post(reverse("plans:section-edit", args=[events.pk]), data)
    assert refused.status_code == 400
    assert "Таблице нужен столбец с содержанием" in refused.text


def test_group_rows_and_nested_numbers_through_the_editor(draft, chair, client):
    client.force_login(chair.user)
    events = draft.sections.get(kind=Section.Kind.EVENTS)
    add = reverse("plans:item-add", args=[events.pk])
    assert client.post(add, {"text": "Январь", "is_group": "on", "level": 0}).status_code == 302
    assert client.post(add, {"text": "Подпункт", "level": 1, "timing": "январь"}).status_code == 302
    rows = outline(load_revision(draft.pk))[2].rows
    assert [row.numbered for row in rows] == ["1.", "", "1.1."]
    group = Item.objects.get(text="Январь")
    Item.objects.filter(pk=group.pk).update(position=1)
    Item.objects.filter(section=events, text__startswith="Конкурс").update(position=2)
    page = client.get(draft.get_absolute_url()).text
    assert 'class="plan-group-cell"' in page and "Январь" in page


def test_an_academic_year_plan_beside_a_calendar_one_and_its_copy(library, chair):
    annual = services.create_plan(library, year=2024, by=chair)
    academic = create_from_spec(library, passport(), by=chair).plan
    assert (academic.period_label, academic.key) == ("2024–2025 учебный год", "2024-2025")
    assert annual.key == "2024"
    event = create_from_spec(library, summer_session(), by=chair).plan
    assert event.key == "2024-06-03" and event.name == "План летней методической сессии"
    with pytest.raises(services.PlanExists):
        create_from_spec(library, passport(), by=chair)

    source = academic.revisions.get()
    Revision.objects.filter(pk=source.pk).update(title="ПАСПОРТ\nна 2024–2025 учебный год")
    source.refresh_from_db()
    copy = services.create_plan(library, year=2025, by=chair, copy_from=source)
    assert (copy.period, copy.period_label) == ("academic", "2025–2026 учебный год")
    assert "2025–2026 учебный год" in copy.revisions.get().title  # not «2025–2025»
    assert copy.key == "2025-2026"


def test_items_of_an_academic_year_are_due_in_the_months_of_both_years(passport_plan):
    Revision.objects.filter(pk=passport_plan.pk).update(status=State.APPROVED)

    def texts(**when):
        return set(Item.objects.in_force().due_in(**when).values_list("text", flat=True))

    assert "Заседания ММО" in texts(year=2025, month=1)  # «сентябрь–май» wraps
    assert "Заседания ММО" in texts(year=2024, month=10)
    assert "Заседания ММО" not in texts(year=2025, month=7)
    assert "Заседания ММО" not in texts(year=2025, month=10)  # the next academic year
    assert "Мониторинг" in texts(year=2024, month=12)
    assert "Отчёт" in texts(year=2024, month=11)  # I полугодие of an academic year
    assert "Отчёт" not in texts(year=2025, month=3)


def test_plan_pages_are_addressed_by_the_key(passport_plan, chair, client):
    client.force_login(chair.user)
    plan = passport_plan.plan
    assert plan.get_absolute_url() == "/plans/library/2024-2025/"
    page = client.get(plan.get_absolute_url())  # the newest readable revision, in place
    assert page.status_code == 200
    assert "2024–2025 учебный год" in page.text and "Общие сведения" in page.text
    revision = client.get(passport_plan.get_absolute_url())
    assert revision.status_code == 200 and "Общие сведения" in revision.text
    assert client.get("/plans/library/2023-2024/").status_code == 404


def test_the_spec_of_a_revision_gives_back_what_made_it(passport_plan):
    spec = spec_of(passport_plan)
    original = passport()
    assert spec.period == original.period and spec.year == original.year
    assert [s.title for s in spec.sections] == [s.title for s in original.sections]
    assert [(s.kind, s.basis) for s in spec.stamps] == [(s.kind, s.basis) for s in original.stamps]
    events = spec.sections[1]
    assert [(r.level, r.cells["text"]) for r in events.rows] == [
        (r.level, r.cells["text"]) for r in original.sections[1].rows
    ]
    assert [c.label for c in events.columns] == [c.label for c in original.sections[1].columns]


def test_the_seed_still_prints_as_before(library, chair):
    """Defaults reproduce the seed: Roman numerals, its four and three columns."""
    plan = services.create_plan(library, year=2026, by=chair)
    revision = plan.revisions.get()
    sections = {s.kind: s for s in revision.sections.all()}
    assert [label for _key, label in sections[Section.Kind.EVENTS].table_columns] == [
        "№ п/п", "Наименование мероприятий", "Сроки и место проведения",
        "Организаторы ответственные",
    ]  # fmt: skip
    assert [label for _key, label in sections[Section.Kind.ORGWORK].table_columns] == [
        "№п/п", "Наименование мероприятий", "Сроки проведения",
    ]  # fmt: skip
    assert Plan.objects.get(pk=plan.pk).period_label == "2026 год"


def test_a_period_outside_the_plan_years_is_a_message_not_a_database_error(library, chair, client):
    spec = summer_session()
    spec.year, spec.starts_on, spec.ends_on = 1999, date(1999, 6, 3), date(1999, 6, 4)
    with pytest.raises(ValidationError, match="Год плана — от 2000 до 2100"):
        create_from_spec(library, spec, by=chair)

    client.force_login(chair.user)
    response = client.post(reverse("plans:create"), {
        "association": library.pk, "period": "dates", "starts_on": "1999-06-03",
        "ends_on": "1999-06-04", "basis": "empty",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Год плана — от 2000 до 2100." in response.text
    assert 'value="1999-06-03"' in response.text  # the input is kept
    assert not Plan.objects.filter(association=library).exists()


def test_a_plan_of_dates_needs_no_year_typed(library, chair, client):
    client.force_login(chair.user)
    response = client.post(reverse("plans:create"), {
        "association": library.pk, "period": "dates", "starts_on": "2030-06-03",
        "ends_on": "2030-06-28", "name": "План летней сессии", "basis": "empty",
    })  # fmt: skip
    assert response.status_code == 302
    plan = Plan.objects.get(association=library)
    assert (plan.key, plan.year, plan.period_label) == (
        "2030-06-03",
        2030,
        "03.06.2030 – 28.06.2030",
    )
