"""A meeting's PDFs: agenda, minutes and extract read as the usual Russian documents."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from meetings import pdf, services
from meetings.models import Meeting
from members.models import Membership
from rumo import pipeline
from rumo.models import DocumentBuild, IssuedDocument
from tests import factories
from tests.documents import build_of
from tests.meetings import announced, held, minuted, pdf_text, planned, squash

pytestmark = pytest.mark.django_db
State = DocumentBuild.State
MOSCOW = ZoneInfo("Europe/Moscow")
Role = Membership.Role
EVIL = '<script>alert("x")</script> <b>жирный</b> & «кавычки»'


@pytest.fixture
def build(django_capture_on_commit_callbacks):
    """Request a document as the page does; the queued task runs inline after the commit."""

    def request(meeting, kind, item=None) -> DocumentBuild:
        with django_capture_on_commit_callbacks(execute=True):
            services.request_document(meeting, kind=kind, item=item)
        return build_of(f"meetings.{kind}", item or meeting)

    return request


def file_bytes(document: DocumentBuild) -> bytes:
    with document.issued.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def approved(library, chair, council, member, django_capture_on_commit_callbacks):
    """Meeting № 1 held on 18 January at 14:00 with three present, minutes approved."""
    agenda = ("Выборы Совета РУМО", "Положение о конкурсе «Лучший библиотекарь СПО»")
    meeting = held(library, [chair, council, member], invited_count=1, agenda=agenda)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=datetime(meeting.year, 1, 18, 14, 0, tzinfo=MOSCOW)
    )
    minuted(meeting, decided="Избрать Совет РУМО в составе трёх человек.", votes=(3, 0, 1))
    second = meeting.agenda_items.get(position=2)
    services.record_item_minutes(second, heard="Петрову Е.В. — о проекте Положения.",
                                 spoke="Васильева Н.И.", decided="Утвердить Положение.",
                                 votes_for=4, votes_against=0, votes_abstained=0)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the minutes PDF is built
        return services.approve_minutes(meeting)


def test_agenda_lists_time_place_questions_and_speakers(library, chair, build):
    meeting = announced(library, format=Meeting.Format.IN_PERSON, place="ЧПК им. Н.В. Никольского",
                        agenda=("Опыт работы библиотеки",))  # fmt: skip
    item = meeting.agenda_items.get()
    services.update_agenda_item(item, title=item.title, speakers="гость из ЧРИО",
                                speaker_members=[chair])  # fmt: skip

    document = build(meeting, "agenda")

    assert document.state == State.DONE
    text = pdf_text(file_bytes(document))
    local = meeting.starts_at.astimezone(MOSCOW)
    for line in (
        "ПОВЕСТКА",
        f"заседания № {meeting.number}",
        f"{local:%H:%M} (московское время)",
        "Место: ЧПК им. Н.В. Никольского",
        "1. Опыт работы библиотеки",
        "Докладчик: С.Н. Лоскутова (Колледж",
        "гость из ЧРИО",
        "РУМО по библиотечному направлению",
    ):
        assert line in text, line
    assert "ПРОЕКТ" not in text
    assert document.issued.kind == IssuedDocument.Kind.AGENDA
    assert not document.issued.is_draft


def test_agenda_of_a_meeting_not_yet_announced_is_a_draft(library, build):
    document = build(planned(library), "agenda")

    assert "ПРОЕКТ" in squash(pdf_text(file_bytes(document)))  # the watermark
    assert document.issued.is_draft


def test_minutes_read_as_a_protocol(approved, build):
    document = build(approved, "minutes")

    text = pdf_text(file_bytes(document))
    flat = squash(text)
    for line in (
        f"ПРОТОКОЛ № {approved.number}",
        f"18.01.{approved.year}",
        "в режиме онлайн",
        "Председатель: С.Н. Лоскутова",
        "Секретарь: И.Г. Николаева",
        "Присутствовали: 3 чел. (всего членов объединения — 3): "
        "Н.И. Васильева, М.А. Иванова, С.Н. Лоскутова.",
        "Приглашённые: 1 чел.",
        "Кворум имеется.",
        "ПОВЕСТКА ДНЯ:",
        "1. СЛУШАЛИ: Доклад: Выборы Совета РУМО",
        "РЕШИЛИ: Избрать Совет РУМО в составе трёх человек.",
        "Голосовали: «за» — 3, «против» — 0, «воздержались» — 1.",
        "2. СЛУШАЛИ: Петрову Е.В. — о проекте Положения.",
        "ВЫСТУПИЛИ: Васильева Н.И.",
        "Голосовали: «за» — 4, «против» — 0, «воздержались» — 0.",
    ):
        assert squash(line) in flat, line
    text = text.replace("\u00a0", " ")
    assert text.index("Председатель С.Н. Лоскутова") > text.index("РЕШИЛИ: Утвердить")
    assert "Секретарь И.Г. Николаева" in text
    assert "Приложение" not in text
    assert document.issued.kind == IssuedDocument.Kind.MINUTES
    assert [s["name"] for s in document.issued.signers] == ["С.Н. Лоскутова", "И.Г. Николаева"]


def test_an_extract_carries_one_decision(approved, build):
    item = approved.agenda_items.get(position=2)

    document = build(approved, "extract", item)

    text = pdf_text(file_bytes(document))
    flat = squash(text)
    for line in (
        "ВЫПИСКА",
        f"из протокола № {approved.number}",
        "Вопрос 2. Положение о конкурсе «Лучший библиотекарь СПО»",
        "2. СЛУШАЛИ: Петрову Е.В. — о проекте Положения.",
        "РЕШИЛИ: Утвердить Положение.",
    ):
        assert squash(line) in flat, line
    assert "Избрать Совет" not in text
    # The extract is certified («Верно»), not signed again as the minutes were.
    today = timezone.localdate().strftime("%d.%m.%Y")
    certified = flat[flat.index("Верно") :]
    for line in ("Секретарь заседания", "И.Г. Николаева", "(подпись)", today):
        assert squash(line) in certified, line
    assert "Председатель С.Н." not in text.replace("\u00a0", " ").replace("Председатель: ", "")
    assert document.issued.kind == IssuedDocument.Kind.EXTRACT


def test_html_and_script_in_texts_are_printed_as_text(library, member, build):
    meeting = minuted(held(library, [member], agenda=(EVIL,)), decided=EVIL)

    for kind in ("agenda", "minutes"):  # the minutes as a draft: the same template
        text = pdf_text(file_bytes(build(meeting, kind)))
        assert squash(EVIL) in squash(text), kind


def test_a_document_is_built_once_and_again_after_a_change(library, build):
    meeting = announced(library)

    first = build(meeting, "agenda")
    again = build(meeting, "agenda")
    assert again.issued_id == first.issued_id

    services.add_agenda_item(meeting, title="Разное")
    assert not pipeline.is_current(again, pdf.AGENDA, pdf.load_meeting(meeting.pk))
    rebuilt = build(meeting, "agenda")

    assert rebuilt.issued_id != first.issued_id
    assert "2. Разное" in pdf_text(file_bytes(rebuilt))


def test_a_failed_build_is_recorded_and_can_be_retried(library, build, monkeypatch):
    meeting = announced(library)
    monkeypatch.setattr(pipeline, "render_pdf", lambda *args, **kwargs: 1 / 0)

    failed = build(meeting, "agenda")

    assert failed.state == State.FAILED
    assert "Не удалось сформировать PDF" in failed.error
    assert not IssuedDocument.objects.issued().exists()
    (reserved,) = IssuedDocument.objects.all()  # its number waits for the retry
    monkeypatch.undo()
    retried = build(meeting, "agenda")
    assert retried.state == State.DONE
    assert IssuedDocument.objects.get().register_number == reserved.register_number


def test_no_extract_from_minutes_not_yet_approved(library, member, build):
    meeting = minuted(held(library, [member]))

    document = build(meeting, "extract", meeting.agenda_items.get())

    assert document.state == State.FAILED
    assert document.error == "Выписку можно сделать только из утверждённого протокола."


def test_more_than_fifteen_present_go_to_an_appendix(
    library, chair, build, django_capture_on_commit_callbacks
):
    people = [chair]
    for n in range(16):
        person = factories.person(f"p{n:02d}", last_name=f"Участникова{n:02d}", first_name="Анна",
                                  patronymic="Петровна")  # fmt: skip
        factories.MembershipFactory(member=person, association=library, role=Role.MEMBER)
        people.append(person)
    meeting = minuted(held(library, people, agenda=("Отчёт",)))
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_minutes(meeting)

    text = pdf_text(file_bytes(build(meeting, "minutes")))
    flat = squash(text)

    assert squash("Присутствовали: 17 чел.") in flat
    assert squash("список прилагается (приложение к протоколу)") in flat
    appendix = flat[flat.index(squash(f"Приложение к протоколу № {meeting.number}")) :]
    assert squash("Список присутствовавших") in appendix
    assert squash("17. А.П. Участникова15") in appendix
    assert "Участникова00" not in flat[: flat.index(squash("Приложение к протоколу №"))]


def test_the_invited_are_named_in_the_minutes(library, chair, member, build):
    meeting = held(library, [chair, member], agenda=("Отчёт",))
    services.record_attendance(meeting, present=[chair, member], invited_count=2,
                               invited_names="Е.В. Петрова, ЧРИО\nА.А. Гостева")  # fmt: skip
    minuted(meeting)

    text = squash(pdf_text(file_bytes(build(meeting, "minutes"))))

    assert squash("Приглашённые: Е.В. Петрова, ЧРИО; А.А. Гостева (всего 2 чел.).") in text
