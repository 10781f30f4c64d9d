"""Writing a plan to .docx: the structure of the PDF, read back unchanged."""

import io
from dataclasses import asdict

import pytest
from docx import Document

from plans.docx_export import write_docx
from plans.docx_import import read_docx
from plans.spec import ColumnSpec, PlanSpec, RowSpec, SectionSpec, StampSpec
from tests.plans import docx_fixtures as fx

FIXTURES = [
    fx.seed_docx,
    fx.summer_session_docx,
    fx.meetings_by_month_docx,
    fx.passport_docx,
    fx.event_plan_docx,
]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.__name__)
def test_export_then_import_gives_back_the_same_structure(fixture):
    spec = read_docx(fixture())

    again = read_docx(write_docx(spec))

    assert asdict(again) | {"warnings": []} == asdict(spec) | {"warnings": []}


def test_stamps_side_by_side_title_centred_and_group_rows_merged():
    spec = PlanSpec(
        title_lines=["ПЛАН РАБОТЫ", "на 2024 год"],
        place="Чебоксары",
        year=2024,
        stamps=[
            StampSpec(kind="agreed", side="left", position="Куратор", person_name="О.Б. Кузнецова"),
            StampSpec(kind="approved", side="right", basis="приказом от 30.08.2024 № 125"),
        ],
        sections=[
            SectionSpec(
                title="Мероприятия",
                columns=[ColumnSpec("number", "№"), ColumnSpec("text", "Мероприятие")],
                rows=[RowSpec(cells={"text": "Январь"}, is_group=True),
                      RowSpec(cells={"text": "<script>alert(1)</script>"})],
            )
        ],
    )  # fmt: skip

    document = Document(io.BytesIO(write_docx(spec)))

    stamps, table = document.tables[0], document.tables[1]
    assert stamps.cell(0, 0).text.split("\n")[:3] == [
        "СОГЛАСОВАНО",
        "_____ О.Б. Кузнецова",
        "Куратор",
    ]
    assert stamps.cell(0, 1).text == "УТВЕРЖДЕНО\nприказом от 30.08.2024 № 125"
    titles = [p for p in document.paragraphs if p.text == "ПЛАН РАБОТЫ"]
    assert titles[0].alignment == 1 and titles[0].runs[0].bold  # centred, bold
    assert "I. Мероприятия" in [p.text for p in document.paragraphs]
    group = table.rows[1]
    assert group.cells[0]._tc is group.cells[1]._tc  # merged across
    assert [c.text for c in table.rows[2].cells] == ["1.", "<script>alert(1)</script>"]
