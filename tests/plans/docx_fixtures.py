# ruff: noqa: E501 (rows of the fixtures are kept one per line)
"""Word files of real plan shapes, written with python-docx the way people write them.

- ``seed_docx``: the seed (plans.demo's data): stamps side by side in a borderless
  table, title, Roman sections, the events table with the «Проведение заседаний
  РУМО:» row merged across, the organisational table, the closing signature.
- ``summer_session_docx``: a summer methodological session by dates, day rows
  «День 1 (03.06.2024)» and six columns (№, Время, Мероприятие, Место, Форма
  проведения, Ответственные).
- ``meetings_by_month_docx``: an association's meetings of an academic year by
  month (group rows «Сентябрь», «Октябрь»…, numbers running on across them),
  approved by an order («УТВЕРЖДЕНО приказом директора от 30.08.2024 № 125»).
- ``passport_docx``: a district association's «паспорт» of an academic year:
  Arabic sections, text, nested numbers 2.1, 2.1.1, a table with «Ожидаемый
  результат» and «Отметка о выполнении», a «ПРИНЯТО на заседании …» stamp and a
  ГОСТ-order stamp (position, signature, date), no place line.
- ``event_plan_docx``: an event plan with group rows and timings such as
  «ежеквартально», «I полугодие», «май, сентябрь».
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from plans import demo
from plans.models import roman

SEED_STAMPS = (
    ["СОГЛАСОВАНО", "_____ О.Б. Кузнецова", "Куратор, член Координационного Совета", "РУМО",
     "« ____ » _____ 2024 года"],
    ["УТВЕРЖДЕНО", "_____ Л.П.Рудакова", "Председатель РУМО", "педагогических работников",
     "« ____ » _____ 2024 года"],
)  # fmt: skip
SEED_TITLE = [
    "ПЛАН РАБОТЫ",
    "республиканского учебно-методического объединения",
    "по библиотечному направлению",
    "на 2024 год",
]
EVENTS_HEADER = [
    "№ п/п",
    "Наименование мероприятий",
    "Сроки и место проведения",
    "Организаторы ответственные",
]
SEED_EVENT_NUMBERS = ["1.", "2.", "4.", "4."]
ORGWORK_HEADER = ["№п/п", "Наименование мероприятий", "Сроки проведения"]
MEETINGS_TITLE = "Проведение заседаний РУМО:"
ORGWORK_TITLE = (
    "Организационная работа РУМО библиотечных работников профессиональных "
    "образовательных организаций Чувашской Республики:"
)


def new_document() -> Document:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    return document


def to_bytes(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def cell_lines(cell, lines: list[str]) -> None:
    cell.text = lines[0] if lines else ""
    for line in lines[1:]:
        cell.add_paragraph(line)


def stamps_side_by_side(document, left: list[str], right: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    cell_lines(table.cell(0, 0), left)
    cell_lines(table.cell(0, 1), right)


def centred(document, lines: list[str], *, bold: bool = True) -> None:
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = bold


def heading(document, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def grid(document, header: list[str], rows: list) -> None:
    """A bordered table; a row given as a str spans the table (a group row)."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            merged.text = row
            merged.paragraphs[0].runs[0].bold = True
            continue
        for cell, value in zip(cells, row, strict=True):
            cell_lines(cell, value if isinstance(value, list) else [value])


def closing(document, position: str, name: str) -> None:
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    table.cell(0, 0).text = position
    table.cell(0, 1).text = name
    table.cell(0, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


# (a) The seed


def seed_document() -> Document:
    document = new_document()
    stamps_side_by_side(document, *SEED_STAMPS)
    document.add_paragraph()
    centred(document, SEED_TITLE)
    centred(document, ["Чебоксары, 2024"], bold=False)
    heading(document, "I. Приоритетные направления деятельности:")
    for n, text in enumerate(demo.PRIORITIES, start=1):
        document.add_paragraph(f"{n}. {text}")
    heading(
        document,
        "II. Основные задачи деятельности учебно-методического объединения библиотекарей:",
    )
    for n, text in enumerate(demo.TASKS, start=1):
        document.add_paragraph(f"{n}. {text}")
    heading(document, "III. Планируемые мероприятия:")
    # As in the seed, the third event is numbered «4.» too (the reader renumbers it).
    rows: list = [
        [number, text, timing, responsible]
        for number, (text, timing, responsible, _contest) in zip(
            SEED_EVENT_NUMBERS, demo.EVENTS, strict=True
        )
    ]
    rows.append(MEETINGS_TITLE)
    for n, (month, place, responsible, agenda) in enumerate(demo.MEETINGS, start=1):
        lines = [f"Заседание № {n}."] + [f"{i}. {t}" for i, t in enumerate(agenda, start=1)]
        when = [f"{month_name(month)}, 2024 г."] + ([place] if place else [])
        rows.append([f"{n}.", lines, when, responsible])
    grid(document, EVENTS_HEADER, rows)
    heading(document, f"IV. {ORGWORK_TITLE}")
    grid(
        document,
        ORGWORK_HEADER,
        [[f"{n}.", text, timing] for n, (text, timing) in enumerate(demo.ORGWORK, start=1)],
    )
    closing(document, "Председатель РУМО по библиотечному направлению", "С.Н. Лоскутова")
    return document


def month_name(month: int) -> str:
    from meetings.models import month_name as name

    return name(month)


def seed_docx() -> bytes:
    return to_bytes(seed_document())


# (b) A summer methodological session, by dates, with day rows and six columns

SUMMER_HEADER = ["№", "Время", "Мероприятие", "Место", "Форма проведения", "Ответственные"]
SUMMER_DAYS = [
    ("День 1 (03.06.2024)", [
        ("09.00–10.00", "Регистрация участников летней методической сессии",
         "ЧРИО, фойе", "—", "Иванова Е.П."),
        ("10.00–12.00", "Открытие сессии. Современная школьная библиотека: итоги года",
         "ЧРИО, актовый зал", "Пленарное заседание", "Петров А.С., Иванова Е.П."),
        ("13.00–15.00", "Цифровые ресурсы для чтения: практикум", "ЧРИО, ауд. 204",
         "Мастер-класс", "Сидорова Н.В."),
    ]),
    ("День 2 (04.06.2024)", [
        ("10.00–12.00", "Проектная деятельность библиотекаря", "Колледж связи, ауд. 12",
         "Круглый стол", "Николаева О.И."),
        ("13.00–14.30", "Подведение итогов сессии. Анкетирование", "ЧРИО, актовый зал",
         "Рефлексия", "Иванова Е.П."),
    ]),
]  # fmt: skip


def summer_session_docx() -> bytes:
    document = new_document()
    stamps_side_by_side(
        document,
        [],
        ["УТВЕРЖДАЮ", "Ректор ЧРИО", "_____ А.В. Смирнов", "«___» ________ 2024 г."],
    )
    centred(
        document,
        ["ПЛАН", "проведения летней методической сессии", "школьных библиотекарей",
         "с 03.06.2024 по 04.06.2024"],
    )  # fmt: skip
    centred(document, ["Чебоксары, 2024"], bold=False)
    rows: list = []
    number = 0
    for day, events in SUMMER_DAYS:
        rows.append(day)
        for time, text, place, form, responsible in events:
            number += 1
            rows.append([f"{number}.", time, text, place, form, responsible])
    heading(document, "Программа сессии")
    grid(document, SUMMER_HEADER, rows)
    closing(document, "Руководитель сессии", "Е.П. Иванова")
    return to_bytes(document)


# (c) Meetings of an academic year by month

MONTHLY_HEADER = ["№ п/п", "Тема заседания", "Сроки", "Ответственные"]
MONTHLY = [
    ("Сентябрь", [
        ("Анализ работы МО за 2023–2024 учебный год. Утверждение плана работы на 2024–2025 учебный год",
         "сентябрь", "Руководитель МО"),
        ("Организация работы с читательскими формулярами", "сентябрь", "Члены МО"),
    ]),
    ("Октябрь", [
        ("Неделя школьной библиотеки", "октябрь", "Руководитель МО, члены МО"),
    ]),
    ("Январь", [
        ("Семинар «Библиотечный урок в начальной школе»", "январь", "Михайлова Т.Н."),
        ("Отчёт о работе за I полугодие", "январь", "Руководитель МО"),
    ]),
    ("Май", [
        ("Итоговое заседание. Анализ работы МО за год", "май", "Руководитель МО"),
    ]),
]  # fmt: skip


def meetings_by_month_docx() -> bytes:
    document = new_document()
    stamps_side_by_side(
        document,
        [],
        ["УТВЕРЖДЕНО", "приказом директора", "от 30.08.2024 № 125"],
    )
    centred(
        document,
        ["ПЛАН РАБОТЫ", "методического объединения школьных библиотекарей",
         "на 2024–2025 учебный год"],
    )  # fmt: skip
    centred(document, ["Новочебоксарск, 2024"], bold=False)
    heading(document, "1. Заседания методического объединения")
    rows: list = []
    number = 0
    for month, meetings in MONTHLY:
        rows.append(month)
        for text, timing, responsible in meetings:
            number += 1
            rows.append([f"{number}.", text, timing, responsible])
    grid(document, MONTHLY_HEADER, rows)
    closing(document, "Руководитель МО", "Т.Н. Михайлова")
    return to_bytes(document)


# (d) A district association's «паспорт» of an academic year

PASSPORT_HEADER = [
    "№",
    "Содержание работы",
    "Сроки",
    "Ответственные",
    "Ожидаемый результат",
    "Отметка о выполнении",
]
PASSPORT_ROWS = [
    ("2.1.", "Методическая работа", "", "", "", ""),
    ("2.1.1.", "Заседания РМО по плану", "ежеквартально", "Руководитель РМО",
     "Протоколы заседаний", ""),
    ("2.1.2.", "Открытые мероприятия в библиотеках района", "I полугодие",
     "Члены РМО", "Методическая копилка", "выполнено"),
    ("2.2.", "Работа с читателями", "", "", "", ""),
    ("2.2.1.", "Конкурс чтецов «Живое слово»", "март", "Руководитель РМО",
     "Выявление одарённых детей", ""),
]  # fmt: skip


def passport_docx() -> bytes:
    document = new_document()
    stamps_side_by_side(
        document,
        ["ПРИНЯТО", "на заседании районного методического объединения",
         "(протокол № 1 от 29.08.2024)"],
        ["УТВЕРЖДАЮ", "Начальник отдела образования", "администрации Цивильского района",
         "_____ Г.М. Васильева", "«___» ________ 2024 г."],
    )  # fmt: skip
    centred(
        document,
        ["ПАСПОРТ", "районного методического объединения школьных библиотекарей",
         "Цивильского района", "на 2024–2025 учебный год"],
    )  # fmt: skip
    heading(document, "1. Общие сведения")
    document.add_paragraph("Руководитель РМО: Андреева Светлана Петровна, педагог-библиотекарь.")
    document.add_paragraph("Количество членов РМО: 14 человек.")
    heading(document, "2. План работы")
    grid(document, PASSPORT_HEADER, [list(row) for row in PASSPORT_ROWS])
    heading(document, "3. Методическая тема")
    document.add_paragraph("«Школьная библиотека как центр формирования читательской грамотности».")
    return to_bytes(document)


# (e) An event plan with group rows and unusual timings

EVENT_HEADER = ["№ п/п", "Мероприятие", "Сроки", "Участники", "Ответственные"]
EVENT_GROUPS = [
    ("Работа с педагогами", [
        ("Методические совещания библиотекарей", "ежеквартально", "библиотекари ПОО", "Совет РУМО"),
        ("Консультации по комплектованию фондов", "I полугодие", "библиотекари ПОО", "Председатель РУМО"),
    ]),
    ("Работа со студентами", [
        ("Акция «Читаем Маяковского вместе»", "май, сентябрь", "студенты 1–2 курсов", "Библиотекари ПОО"),
        ("Литературный квест «Тропой Айги»", "сентябрь–май", "студенты", "Совет РУМО"),
    ]),
]  # fmt: skip


def event_plan_docx() -> bytes:
    document = new_document()
    stamps_side_by_side(
        document,
        ["СОГЛАСОВАНО", "_____ О.Б. Кузнецова", "Куратор РУМО", "« ____ » _____ 2024 г."],
        ["УТВЕРЖДЕНО", "_____ Л.П. Рудакова", "Председатель РУМО", "« ____ » _____ 2024 г."],
    )
    centred(
        document,
        ["ПЛАН", "мероприятий Года литературы", "РУМО по библиотечному направлению",
         "на 2024 год"],
    )  # fmt: skip
    centred(document, ["Чебоксары, 2024"], bold=False)
    heading(document, f"{roman(1)}. Мероприятия")
    rows: list = []
    number = 0
    for group, events in EVENT_GROUPS:
        rows.append(group)
        for text, timing, participants, responsible in events:
            number += 1
            rows.append([f"{number}.", text, timing, participants, responsible])
    grid(document, EVENT_HEADER, rows)
    closing(document, "Председатель РУМО по библиотечному направлению", "С.Н. Лоскутова")
    return to_bytes(document)
