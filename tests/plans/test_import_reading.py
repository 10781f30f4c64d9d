"""Reading plans from Word and pasted text into a PlanSpec: the recognisers, no database."""

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from plans import demo
from plans.docx_import import Unreadable, read_docx
from plans.text_import import read_text
from tests.plans import docx_fixtures as fx

# The seed document as text (a copy of seeds/000_cbe28a8135fe3aa6.txt, tabs between cells).
SEED_TEXT = Path(__file__).with_name("seed_plan.txt")


RENUMBERED = (
    "Номер «4.» в разделе «Планируемые мероприятия:» заменён на «3.»: "
    "номера пунктов считаются по порядку."
)


def rows_of(section):
    return [row for row in section.rows if not row.is_group]


def seed_checks(spec):
    assert spec.title_lines == fx.SEED_TITLE
    assert (spec.place, spec.period, spec.year, spec.name) == ("Чебоксары", "year", 2024, "")
    assert spec.date_style == "года"
    agreed, approved = spec.stamps
    assert (agreed.kind, agreed.side, agreed.person_name) == ("agreed", "left", "О.Б. Кузнецова")
    assert agreed.position == "Куратор, член Координационного Совета\nРУМО"
    assert (approved.kind, approved.side, approved.person_name) == (
        "approved",
        "right",
        "Л.П.Рудакова",
    )
    assert approved.position == "Председатель РУМО\nпедагогических работников"
    assert agreed.layout == approved.layout == "classic"
    kinds = [(s.kind, s.numbering) for s in spec.sections]
    assert kinds == [
        ("numbered", "roman"),
        ("numbered", "roman"),
        ("events", "roman"),
        ("meetings", "none"),
        ("orgwork", "roman"),
    ]
    priorities, tasks, events, meetings, orgwork = spec.sections
    assert [r.cells["text"] for r in priorities.rows] == demo.PRIORITIES
    assert [r.cells["text"] for r in tasks.rows] == demo.TASKS
    assert [(r.cells["text"], r.cells["timing"], r.cells["responsible"]) for r in events.rows] == [
        (text, timing, responsible) for text, timing, responsible, _ in demo.EVENTS
    ]
    assert meetings.title == fx.MEETINGS_TITLE
    assert [r.cells.get("place", "") for r in meetings.rows] == [m[1] for m in demo.MEETINGS]
    for row, (_month, _place, responsible, agenda) in zip(
        meetings.rows, demo.MEETINGS, strict=True
    ):
        assert row.cells["responsible"] == responsible
        for n, title in enumerate(agenda, start=1):
            assert f"{n}. {title}" in row.cells["text"]
    assert orgwork.title == fx.ORGWORK_TITLE
    # The seed's headers are the tables' usual ones: kept as "the kind's default".
    assert events.columns == meetings.columns == orgwork.columns == []
    assert [r.label for s in spec.sections for r in s.rows] == [""] * 31  # computed numbers
    assert [(r.cells["text"], r.cells["timing"]) for r in orgwork.rows] == demo.ORGWORK
    assert spec.signature_position == "Председатель РУМО по библиотечному направлению"
    assert spec.signature_name == "С.Н. Лоскутова"


def test_the_seed_docx_reads_as_the_seed():
    spec = read_docx(fx.seed_docx())

    seed_checks(spec)
    assert spec.warnings == [RENUMBERED]


@pytest.mark.skipif(not SEED_TEXT.exists(), reason="the seed file lives beside the project")
def test_the_seed_text_reads_as_the_seed():
    spec = read_text(SEED_TEXT.read_text())

    seed_checks(spec)
    assert spec.warnings == [RENUMBERED]


def test_summer_session_with_day_rows_and_six_columns():
    spec = read_docx(fx.summer_session_docx())

    assert (spec.period, spec.starts_on, spec.ends_on) == (
        "dates",
        date(2024, 6, 3),
        date(2024, 6, 4),
    )
    assert spec.name == "ПЛАН проведения летней методической сессии школьных библиотекарей"
    (stamp,) = spec.stamps
    assert (stamp.kind, stamp.layout, stamp.position, stamp.person_name) == (
        "approve",
        "gost",
        "Ректор ЧРИО",
        "А.В. Смирнов",
    )
    assert spec.date_style == "г."
    (section,) = spec.sections
    assert [(c.key, c.label) for c in section.columns] == list(
        zip(
            ["number", "time", "text", "place", "form", "responsible"],
            fx.SUMMER_HEADER,
            strict=True,
        )
    )
    groups = [r.cells["text"] for r in section.rows if r.is_group]
    assert groups == [day for day, _ in fx.SUMMER_DAYS]
    events = [event for _, day in fx.SUMMER_DAYS for event in day]
    assert [
        tuple(r.cells.get(k, "") for k in ("time", "text", "place", "form", "responsible"))
        for r in rows_of(section)
    ] == events
    assert [r.label for r in rows_of(section)] == [""] * 5  # 1.–5., computed across the days
    assert spec.warnings == []


def test_meetings_by_month_academic_year_and_an_order():
    spec = read_docx(fx.meetings_by_month_docx())

    assert (spec.period, spec.year, spec.place) == ("academic", 2024, "Новочебоксарск")
    (stamp,) = spec.stamps
    assert (stamp.kind, stamp.basis, stamp.person_name) == (
        "approved",
        "приказом директора\nот 30.08.2024 № 125",
        "",
    )
    (section,) = spec.sections
    assert section.numbering == "arabic"
    assert [r.cells["text"] for r in section.rows if r.is_group] == [m for m, _ in fx.MONTHLY]
    assert [r.label for r in rows_of(section)] == [""] * 6  # 1.–6., across the months
    assert spec.warnings == []


def test_passport_nested_numbers_result_columns_and_accepted_stamp():
    spec = read_docx(fx.passport_docx())

    assert (spec.period, spec.year, spec.place) == ("academic", 2024, "")
    accepted, approve = spec.stamps
    assert accepted.kind == "accepted"
    assert accepted.basis == (
        "на заседании районного методического объединения\n(протокол № 1 от 29.08.2024)"
    )
    assert (approve.layout, approve.person_name) == ("gost", "Г.М. Васильева")
    assert approve.position == "Начальник отдела образования\nадминистрации Цивильского района"
    assert [(s.kind, s.numbering, s.title) for s in spec.sections] == [
        ("text", "arabic", "Общие сведения"),
        ("events", "arabic", "План работы"),
        ("text", "arabic", "Методическая тема"),
    ]
    assert "Количество членов РМО: 14 человек." in spec.sections[0].text
    table = spec.sections[1]
    assert [c.key for c in table.columns][-2:] == ["result", "execution_note"]
    assert [(r.label, r.level) for r in table.rows] == [
        ("2.1.", 1),
        ("2.1.1.", 2),
        ("2.1.2.", 2),
        ("2.2.", 1),
        ("2.2.1.", 2),
    ]
    assert table.rows[2].cells["execution_note"] == "выполнено"
    assert table.rows[1].cells["result"] == "Протоколы заседаний"
    assert spec.warnings == []


def test_event_plan_group_rows_and_timings_as_written():
    spec = read_docx(fx.event_plan_docx())

    (section,) = spec.sections
    assert [r.cells["text"] for r in section.rows if r.is_group] == [g for g, _ in fx.EVENT_GROUPS]
    assert [r.cells["timing"] for r in rows_of(section)] == [
        "ежеквартально",
        "I полугодие",
        "май, сентябрь",
        "сентябрь–май",
    ]
    assert [r.cells["participants"] for r in rows_of(section)][0] == "библиотекари ПОО"
    assert spec.date_style == "г."
    assert spec.warnings == []


# Bad and odd input


def docx_of(*paragraphs, table=None) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_empty_document_gives_an_empty_plan_and_a_warning():
    spec = read_docx(docx_of())

    assert spec.sections == [] and spec.stamps == []
    assert spec.warnings == ["Документ пуст: в нём нет ни текста, ни таблиц."]


def test_a_document_without_structure_becomes_one_text_section():
    spec = read_docx(docx_of("Просто письмо коллегам.", "Приходите в пятницу.", "Спасибо!"))

    (section,) = spec.sections
    assert section.kind == "text"
    assert section.text == "Просто письмо коллегам.\nПриходите в пятницу.\nСпасибо!"
    assert any("структуру" in warning for warning in spec.warnings)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        b"",
        b"PK\x03\x04 broken",
    ],
)
def test_files_that_are_not_word_documents_are_unreadable(data):
    with pytest.raises(Unreadable):
        read_docx(data)


def test_a_zip_without_word_document_is_unreadable():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("hello.txt", "hello")
    with pytest.raises(Unreadable):
        read_docx(out.getvalue())


def test_a_thirty_column_table_keeps_the_extra_columns_as_text():
    header = ["№", "Мероприятие", "Сроки"] + [f"Графа {n}" for n in range(4, 31)]
    values = ["1.", "Семинар", "май"] + [f"значение {n}" for n in range(4, 31)]
    spec = read_docx(docx_of("I. Мероприятия", table=[header, values]))

    (section,) = spec.sections
    assert [c.key for c in section.columns] == ["number", "text", "timing"]
    text = section.rows[0].cells["text"]
    assert text.startswith("Семинар")
    for n in range(4, 31):
        assert f"Графа {n}: значение {n}" in text
    assert any("Графа 4" in warning for warning in spec.warnings)


def test_unknown_columns_are_added_to_the_text_with_their_header():
    spec = read_docx(
        docx_of(
            "I. Мероприятия",
            table=[["№", "Мероприятие", "Бюджет"], ["1.", "Конкурс", "5000 ₽"]],
        )
    )

    assert spec.sections[0].rows[0].cells["text"] == "Конкурс\nБюджет: 5000 ₽"
    assert any("Бюджет" in warning for warning in spec.warnings)


def test_more_than_ten_known_columns_keeps_the_rest_as_text():
    header = [
        "№",
        "Мероприятие",
        "Сроки",
        "Время",
        "Место",
        "Форма проведения",
        "Ответственные",
        "Участники",
        "Ожидаемый результат",
        "Отметка о выполнении",
        "Примечание",
    ]
    values = ["1.", "Семинар", "май", "10.00", "зал", "очно", "Иванова", "все", "итог", "да", "—"]
    spec = read_docx(docx_of("I. Мероприятия", table=[header, values]))

    assert len(spec.sections[0].columns) == 10
    assert "Примечание: —" in spec.sections[0].rows[0].cells["text"]


def test_script_in_a_cell_is_kept_as_text():
    spec = read_docx(
        docx_of(
            "I. Мероприятия",
            table=[["№", "Мероприятие", "Сроки"], ["1.", "<script>alert(1)</script>", "май"]],
        )
    )

    assert spec.sections[0].rows[0].cells["text"] == "<script>alert(1)</script>"


def test_pasted_text_with_tabs_reads_tables_and_odd_text_never_raises():
    text = (
        "ПЛАН РАБОТЫ\nна 2024–2025 уч. г.\n\n"
        "I. Мероприятия:\n№\tМероприятие\tСроки\n1.\tСеминар\tмай"
    )
    spec = read_text(text)

    assert (spec.period, spec.year) == ("academic", 2024)
    assert spec.sections[0].rows[0].cells == {"text": "Семинар", "timing": "май"}
    for odd in ["", "\t\t\t", "\x00\x01", "I.", "1.\n2.\n3.", "УТВЕРЖДАЮ", "_____"]:
        read_text(odd)


def test_a_third_stamp_is_kept_as_text_not_dropped():
    spec = read_text(
        "СОГЛАСОВАНО\n_____ А.А. Иванов\n« __ » ____ 2024 г.\n"
        "УТВЕРЖДАЮ\nДиректор\n_____ Б.Б. Петров\n« __ » ____ 2024 г.\n"
        "СОГЛАСОВАНО\n_____ В.В. Сидоров\n"
        "ПЛАН РАБОТЫ\nна 2024 год\nI. Задачи\n1. Одна."
    )

    assert [(s.kind, s.side, s.person_name) for s in spec.stamps] == [
        ("agreed", "left", "А.А. Иванов"),
        ("approve", "right", "Б.Б. Петров"),
    ]
    assert spec.stamps[1].layout == "gost"
    assert (spec.sections[0].title, spec.sections[0].text) == (
        "Грифы",
        "СОГЛАСОВАНО\n_____ В.В. Сидоров",
    )
    assert len(spec.warnings) == 1 and "не поместился" in spec.warnings[0]


def test_word_heading_styles_with_automatic_numbering_are_sections():
    document = Document()
    document.add_paragraph("ПЛАН РАБОТЫ на 2025 год")
    for title, items in (("Цели", ["Первая цель.", "Вторая цель."]), ("Задачи", ["Задача."])):
        document.add_heading(title, level=1)
        for text in items:
            document.add_paragraph(text, style="List Number")
    out = io.BytesIO()
    document.save(out)

    spec = read_docx(out.getvalue())

    assert [(s.title, s.kind) for s in spec.sections] == [
        ("Цели", "numbered"),
        ("Задачи", "numbered"),
    ]
    assert [r.cells["text"] for r in spec.sections[0].rows] == ["Первая цель.", "Вторая цель."]


def test_a_signed_date_in_a_stamp_is_named_in_a_warning():
    spec = read_text(
        "УТВЕРЖДАЮ\nДиректор\n_____ Б.Б. Петров\n«30» августа 2024 г.\nПЛАН РАБОТЫ\nна 2024 год"
    )

    assert spec.stamps[0].person_name == "Б.Б. Петров"
    assert any("«30» августа 2024 г." in warning for warning in spec.warnings)


def test_stamps_side_by_side_copied_from_a_pdf():
    spec = read_text(
        "СОГЛАСОВАНО                                 УТВЕРЖДЕНО\n"
        "_____ О.Б. Кузнецова                        _____ Л.П. Рудакова\n"
        "Куратор РУМО                                Председатель РУМО\n"
        "« ____ » _____ 2024 г.                      « ____ » _____ 2024 г.\n"
        "\n\n"
        "                   ПЛАН\n"
        "          мероприятий Года литературы\n"
        "                на 2024 год\n"
    )

    assert [(s.kind, s.side, s.position, s.person_name) for s in spec.stamps] == [
        ("agreed", "left", "Куратор РУМО", "О.Б. Кузнецова"),
        ("approved", "right", "Председатель РУМО", "Л.П. Рудакова"),
    ]
    assert spec.title_lines == ["ПЛАН", "мероприятий Года литературы", "на 2024 год"]


def test_shuffled_and_cut_pieces_of_the_seed_never_raise():
    import random

    from plans.reading import Cell, Para, Table, read_blocks

    lines = SEED_TEXT.read_text().splitlines()
    chance = random.Random(11)
    for _ in range(300):
        picked = chance.sample(lines, k=chance.randint(0, len(lines)))
        picked = [line[: chance.randint(0, len(line))] for line in picked]
        read_text("\n".join(picked))
        blocks = []
        for _ in range(chance.randint(0, 12)):
            if chance.random() < 0.5:
                blocks.append(Para(chance.choice(lines), bold=chance.random() < 0.3))
            else:
                width = chance.randint(1, 12)
                rows = [
                    [Cell(chance.choice(lines), chance.randint(1, 3)) for _ in range(width)]
                    for _ in range(chance.randint(0, 5))
                ]
                blocks.append(Table(rows=rows, width=width))
        read_blocks(blocks)


def test_a_plan_pasted_from_an_e_mail_keeps_the_greeting_and_finds_lead_in_headings():
    spec = read_text(
        "Добрый день! Высылаю план.\n\nПЛАН РАБОТЫ МО\nна 2025 год\n\n"
        "Задачи:\n1. Первая.\n2. Вторая.\n\n"
        "Мероприятия:\n№\tМероприятие\tСроки\n1.\tСеминар\tмай\n"
    )

    assert spec.title_lines == ["ПЛАН РАБОТЫ МО", "на 2025 год"]
    assert [(s.title, s.kind, s.numbering) for s in spec.sections] == [
        ("Текст до заголовка", "text", "none"),
        ("Задачи:", "numbered", "none"),
        ("Мероприятия:", "events", "none"),
    ]
    assert spec.sections[0].text == "Добрый день! Высылаю план."
    assert len(spec.warnings) == 1  # the greeting's place, nothing lost
