"""Import and export of member lists: preview, bad input, round trip, commands."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from members.importing import ImportProblem, apply_import, plan_import
from members.models import Member, Membership, Organization
from members.spreadsheets import export_members
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "Фамилия;Имя;Отчество;Организация;Должность;Электронная почта;Телефон"


def csv_bytes(*lines: str, encoding="utf-8", delimiter=";") -> bytes:
    return "\n".join(line.replace(";", delimiter) for line in lines).encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plan(data: bytes, name="list.csv", association=None, **kwargs):
    return plan_import(data, name, association=association, **kwargs)[1]


def actions(result) -> list[tuple]:
    return [(r.number, r.action) for r in result.rows]


def errors(result) -> list:
    return [(r.number, c, m) for r in result.rows for c, m in r.errors]


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8", ";"), ("utf-8-sig", ","), ("cp1251", ";")]
)
def test_csv_in_utf8_or_windows_1251_with_either_separator(library, encoding, delimiter):
    data = csv_bytes(HEADER, "Семёнова;Татьяна;Юрьевна;ЧПК;библиотекарь;t@example.org;",
                     encoding=encoding, delimiter=delimiter)  # fmt: skip

    result = plan(data, association=library)

    assert actions(result) == [(2, "create")]
    assert result.rows[0].name == "Семёнова Татьяна Юрьевна"


def test_columns_are_found_by_their_russian_headers_in_any_order(library):
    data = csv_bytes("Телефон;ИМЯ;e-mail;  фамилия ;Общий стаж, лет",
                     "+7 900 123-45-67;Анна;anna@example.org;Ёжикова;12")  # fmt: skip

    apply_import(data, "list.csv", association=library)

    member = Member.objects.get(last_name="Ёжикова")
    assert (member.first_name, member.email, member.total_experience) == (
        "Анна", "anna@example.org", 12,
    )  # fmt: skip


def test_a_missing_column_is_named_in_the_message():
    with pytest.raises(ImportProblem, match="Строка 1: нет столбца «Имя»"):
        plan(csv_bytes("Фамилия;Отчество", "Иванова;Петровна"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Фамилия;Имя\nИванова;Анна".encode("utf-16"), "UTF-16"),
        ("Фамилия;Имя\nИванова;Анна".encode("koi8-r"), "проверьте кодировку CSV"),
        (b"", "Файл пуст"),
    ],
)
def test_a_csv_in_the_wrong_encoding_gets_a_clear_message(data, message):
    with pytest.raises(ImportProblem, match=message):
        plan(data)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Электронная почта", "anna@", "неверный адрес почты"),
        ("Телефон", "позвонить", "Номер телефона"),
        ("Дата присвоения категории", "01.01.2999", "дата в будущем"),
        ("Общий стаж, лет", "-4", "стаж не может быть отрицательным"),
        ("Квалификационная категория", "вторая", "ожидается «высшая»"),
    ],
)
def test_a_bad_value_rejects_the_row_naming_row_and_column(column, value, message):
    data = csv_bytes(f"Фамилия;Имя;Квалификационная категория;{column}",
                     "Иванова;Анна;первая;", f"Петрова;Ольга;первая;{value}")  # fmt: skip
    if column == "Квалификационная категория":
        data = csv_bytes(f"Фамилия;Имя;{column}", "Иванова;Анна;", f"Петрова;Ольга;{value}")

    result = plan(data)

    assert actions(result) == [(2, "create"), (3, "reject")]
    assert errors(result)[0][:2] == (3, column)
    assert message in errors(result)[0][2]


def test_formula_cells_in_a_spreadsheet_are_rejected():
    data = xlsx_bytes([["Фамилия", "Имя"], ["Иванова", '=HYPERLINK("http://x","Анна")']])

    result = plan(data, name="list.xlsx")

    assert errors(result) == [(2, "Имя", "формулы не принимаются, введите значение")]


def test_repeated_rows_of_one_file_are_rejected(db):
    data = csv_bytes("Фамилия;Имя;Электронная почта", "Иванова;Анна;a@example.org",
                     "Иванова;Анна;A@example.org")  # fmt: skip

    result = plan(data)

    assert errors(result) == [(3, "Электронная почта", "повторяет строку 2")]


def test_an_existing_member_is_updated_and_the_preview_shows_what_changes(library):
    college = factories.OrganizationFactory(name="ЧЭТК")
    known = factories.MemberFactory(last_name="Иванова", first_name="Анна", email="a@example.org",
                                    organization=college, position="библиотекарь")  # fmt: skip
    data = csv_bytes(HEADER, "Иванова;Анна;;ЧЭТК;заведующий библиотекой;A@example.org;")

    result = plan(data, association=library)

    row = result.rows[0]
    assert (row.action, row.member_id) == ("update", known.pk)
    assert ("Должность", "библиотекарь", "заведующий библиотекой") in row.changes
    assert ("Объединение", "", library.short_name) in row.changes
    known.refresh_from_db()
    assert known.position == "библиотекарь"  # the preview saved nothing


def test_importing_the_same_file_twice_changes_nothing_the_second_time(library):
    data = csv_bytes(HEADER, "Иванова;Анна;;Новый колледж;библиотекарь;a@example.org;",
                     "Петрова;Ольга;;Новый колледж;методист;;")  # fmt: skip

    first = apply_import(data, "list.csv", association=library)
    snapshot = list(Member.objects.values_list("last_name", "organization__name", "updated_at"))
    second = apply_import(data, "list.csv", association=library)

    assert first == {"create": 2, "update": 0, "unchanged": 0, "reject": 0}
    assert second == {"create": 0, "update": 0, "unchanged": 2, "reject": 0}
    assert list(Member.objects.values_list("last_name", "organization__name", "updated_at")) == (
        snapshot
    )
    assert Organization.objects.filter(name="Новый колледж").count() == 1
    assert Membership.objects.filter(association=library).count() == 2


def test_export_then_import_changes_nothing(library, natalia, chair):
    natalia.category, natalia.category_date = "first", None
    natalia.save()
    factories.MembershipFactory(
        member=factories.MemberFactory(last_name="=СУММ(A1)", phone="+7 900 000-00-00",
                                       education="vocational", total_experience=3),
        association=library,
    )  # fmt: skip
    exported = export_members(library)

    result = plan(exported, name="members.xlsx", association=library)

    assert {r.action for r in result.rows} == {"unchanged"}
    assert len(result.rows) == 3


def test_the_export_writes_formula_like_text_as_text(library):
    factories.MembershipFactory(
        member=factories.MemberFactory(last_name="=1+2", position="@SUM(A1)", phone="+7 900"),
        association=library,
    )

    sheet = load_workbook(io.BytesIO(export_members(library)))["Участники"]

    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row if c.value}
    for text in ("=1+2", "@SUM(A1)", "+7 900"):
        assert cells[text].data_type == "s"
        assert cells[text].quotePrefix


def test_a_chair_may_not_change_members_of_another_association(library, philology):
    outsider = factories.MemberFactory(last_name="Иванова", first_name="Анна", email="a@ex.org")
    factories.MembershipFactory(member=outsider, association=philology)
    data = csv_bytes("Фамилия;Имя;Электронная почта;Должность", "Иванова;Анна;a@ex.org;методист")

    result = plan(data, association=library, restricted=True)

    assert errors(result) == [
        (2, "Электронная почта", "участник из другого объединения: его данные меняет сотрудник")
    ]


# Through the pages


def test_upload_preview_confirm_through_the_pages(login, chair, library,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    client = login(chair)
    upload = io.BytesIO(csv_bytes(HEADER, "Новикова;Дарья;;ЧЭТК;библиотекарь;d@example.org;",
                                  "Плохая;Строка;;;;не-почта;"))  # fmt: skip
    upload.name = "list.csv"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:import-create"),
                               {"association": library.pk, "file": upload})  # fmt: skip
    preview = client.get(response.url)

    assert "будет создано" in preview.text
    assert "Строка 3, «Электронная почта»: неверный адрес почты" in preview.text
    assert not Member.objects.filter(last_name="Новикова").exists()
    token = response.url.rstrip("/").rsplit("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import-confirm", args=[token]))
    done = client.get(response.url)
    assert "Загружено" in done.text
    assert Member.objects.of_association(library).filter(last_name="Новикова").exists()


def test_a_file_that_cannot_be_read_says_why_on_the_page(
    login, chair, library, django_capture_on_commit_callbacks
):
    client = login(chair)
    upload = io.BytesIO(csv_bytes("Фамилия;Отчество", "Иванова;Петровна"))
    upload.name = "list.csv"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:import-create"),
                               {"association": library.pk, "file": upload})  # fmt: skip

    assert "Строка 1: нет столбца «Имя»." in client.get(response.url).text


# Commands


def test_import_command_dry_run_changes_nothing(tmp_path, library):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(HEADER, "Новикова;Дарья;;ЧЭТК;библиотекарь;d@example.org;"))
    out = StringIO()

    call_command("import_members", str(path), "--dry-run", stdout=out)
    assert not Member.objects.filter(last_name="Новикова").exists()
    call_command("import_members", str(path), "--association", "library", stdout=out)

    assert "Строка 2: создать Новикова Дарья" in out.getvalue()
    assert "Будет: создано 1" in out.getvalue() and "Итого: создано 1" in out.getvalue()
    assert Member.objects.of_association(library).filter(last_name="Новикова").exists()


def test_export_command_writes_what_import_reads_back(tmp_path, library, natalia):
    path = tmp_path / "members.xlsx"
    call_command("export_members", "library", "-o", str(path), stdout=StringIO())
    out = StringIO()

    call_command("import_members", str(path), "--association", "library", stdout=out)

    assert "создано 0, изменено 0, без изменений 1, отклонено 0" in out.getvalue()


def test_commands_report_bad_input_as_errors(tmp_path, library):
    path = tmp_path / "bad.csv"
    path.write_bytes("Фамилия\nИванова".encode())

    with pytest.raises(CommandError, match="нет столбца «Имя»"):
        call_command("import_members", str(path))
    with pytest.raises(CommandError, match="не найдено"):
        call_command("export_members", "nope", "-o", str(tmp_path / "x.xlsx"))


def test_updates_with_shared_and_individual_values_are_all_written(library):
    college = factories.OrganizationFactory(name="ЧЭТК")
    for n, email in enumerate(["a@ex.org", "b@ex.org", "c@ex.org"]):
        person = factories.MemberFactory(
            last_name=f"Иванова{n}", first_name="Анна", email=email, position="библиотекарь"
        )
        factories.MembershipFactory(association=library, member=person)
    data = csv_bytes("Фамилия;Имя;Электронная почта;Должность;Организация;Общий стаж, лет",
                     "Иванова0;Анна;a@ex.org;методист;ЧЭТК;10",
                     "Иванова1;Анна;b@ex.org;методист;ЧЭТК;10",
                     "Иванова2;Анна;c@ex.org;заведующий;ЧЭТК;3")  # fmt: skip

    counts = apply_import(data, "list.csv", association=library)

    assert counts["update"] == 3
    rows = Member.objects.filter(email__endswith="@ex.org").order_by("email")
    assert [(m.position, m.organization, m.total_experience) for m in rows] == [
        ("методист", college, 10), ("методист", college, 10), ("заведующий", college, 3),
    ]  # fmt: skip
    assert plan(data, association=library).counts["unchanged"] == 3


# Progress of a long import: reading the spreadsheet (size unknown), then deciding rows.


def test_a_long_import_reports_progress_while_reading_and_while_deciding(db):
    rows = [["Фамилия", "Имя"]] + [[f"Фамилия{n}", "Анна"] for n in range(1200)]
    calls = []

    plan(xlsx_bytes(rows), "list.xlsx", progress=lambda done, total: calls.append((done, total)))

    assert calls == [(499, 0), (999, 0), (500, 1200), (1000, 1200)]


def test_the_import_page_shows_rows_read_then_rows_decided(login, chair, library):
    from members.models import ImportBatch

    batch = ImportBatch.objects.create(
        token="progress", association=library, filename="big.xlsx", created_by=chair.user,
        state=ImportBatch.State.ANALYSING, processed_rows=4500, total_rows=0,
    )  # fmt: skip
    client = login(chair)
    url = reverse("members:import-detail", args=[batch.token])

    reading = client.get(url, headers={"HX-Request": "true"})
    batch.processed_rows, batch.total_rows = 3000, 10000
    batch.save(update_fields=["processed_rows", "total_rows"])
    deciding = client.get(url, headers={"HX-Request": "true"})

    assert "файл читается, прочитано строк 4500" in reading.text
    assert 'hx-trigger="every 2s"' in reading.text  # polled until done
    assert "обработано строк 3000 из 10000" in deciding.text
    assert 'value="3000" max="10000"' in deciding.text
