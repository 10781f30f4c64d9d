"""The three contest documents, built by the document pipeline, checked by their text."""

import re

import pytest

from contests import pdf, services
from contests.models import Application
from rumo import pipeline
from rumo.models import IssuedDocument
from tests.contests import approve, pdf_upload
from tests.rumo import pdf_text, qr_codes

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def built(kind, obj) -> tuple[IssuedDocument, bytes]:
    """Build the object's document as the worker does; return its register row and file."""
    row = pipeline.build_now(kind, kind.load(obj.pk))
    assert row.state == row.State.DONE, row.error
    return row.issued, pipeline.read_file(row)


def test_the_regulation_pdf_has_stamps_title_numbered_clauses_and_typed_blocks(contest, library):
    draft = pipeline.build_now(pdf.REGULATION, services.newest(contest))
    assert draft.state == draft.State.FAILED and "не утверждено" in draft.error

    contest = approve(contest, library)
    issued, data = built(pdf.REGULATION, contest.approved_regulation)
    text = squash(pdf_text(data))

    assert issued.kind == IssuedDocument.Kind.REGULATION and not issued.is_draft
    assert issued.document_date == contest.approved_regulation.approved_at.date()
    assert f"Рег. № {issued.register_number}" in text
    assert "ДОКУМЕНТ ЗАРЕГИСТРИРОВАН" in text.upper()
    assert (
        f"Утверждено решением Совета {library.name} (протокол от 18.01.2024 № 1), "
        "18.01.2024 — на бумаге" in text
    )

    assert "СОГЛАСОВАНО" in text and "Е.А. Павлова" in text and "Директор ЧРИО" in text
    assert "УТВЕРЖДЕНО решением Совета РУМО библиотекарей (протокол от 18.01.2024 № 1)" in text
    assert (
        "ПОЛОЖЕНИЕ о проведении республиканского конкурса «Лучший библиотекарь СПО» "
        "среди библиотекарей ПОО Чувашии" in text
    )
    assert "(далее – Конкурс)" in text
    assert "I. Общие положения" in text and "II. Цели и задачи Конкурса" in text
    assert "2.1. Задачи Конкурса:" in text and "– выявление лучших практик;" in text
    assert "- поддержка инициативы." in text and "2.1.1. Вложенный пункт задач." in text
    assert "Актуальность 0–10 1,5" in text
    assert "Председатель жюри: Андреева Ольга Петровна – актриса ТЮЗа" in text
    assert "Приём заявок и видео" in text and "ПРОЕКТ" not in text.replace(" ", "")


def scored_contest(running, chair, juror, applicant):
    application = services.submit_application(
        running, applicant, nomination=running.approved_regulation.nominations.first(),
        files=[pdf_upload()], consent=True,
    )  # fmt: skip
    services.decide_application(application, accept=True)
    criteria = list(running.approved_regulation.criteria.all())
    for member, points in ((chair, ("8", "4")), (juror, ("10", "5"))):
        seat = services.appoint_juror(running, member, is_chair=member == chair)
        services.save_scores(
            seat, application, {criteria[0].pk: points[0], criteria[1].pk: points[1]}
        )
        services.submit_scores(seat)
    running.approved_regulation.awards.create(place=1, title="Диплом I степени")
    services.approve_results(running)
    return Application.objects.get(pk=application.pk)


def test_the_jury_protocol_lists_each_jurors_points_and_the_statistics(
    running, chair, juror, applicant
):
    scored_contest(running, chair, juror, applicant)
    running.refresh_from_db()

    issued, data = built(pdf.JURY_PROTOCOL, running)
    text = squash(pdf_text(data))

    assert not issued.is_draft and issued.document_date == running.results_approved_at.date()
    assert f"Рег. № {issued.register_number}" in text and "ПРОЕКТ" not in text.replace(" ", "")
    assert "Оценки отправлены: С.Н. Лоскутова" in text
    assert "Итоги конкурса утверждены" in text
    assert "ПРОТОКОЛ ЗАСЕДАНИЯ ЖЮРИ" in text
    assert "Лоскутова Светлана Николаевна (председатель)" in text
    assert "Номинация «Лучший библиотекарь»" in text
    # 8*1.5+4 = 16, 10*1.5+5 = 20: sum 36, mean 18, median 18, spread 4
    assert "Фёдорова Галина Аркадьевна" in text and "ЧПК" in text
    assert "16,00 20,00 36,00 18,00 18,00 4,00" in text
    assert "Председатель жюри" in text


def test_the_diploma_names_the_winner_with_register_number_and_qr(
    running, chair, juror, applicant, tmp_path
):
    application = scored_contest(running, chair, juror, applicant)

    issued, data = built(pdf.DIPLOMA, application)
    text = squash(pdf_text(data))

    assert "ДИПЛОМ" in text and "I степени" in text
    assert "Фёдорова Галина Аркадьевна" in text
    assert "за 1 место в номинации «Лучший библиотекарь»" in text
    assert issued.kind == IssuedDocument.Kind.DIPLOMA
    assert f"Рег. № {issued.register_number}" in text and f"№ {application.register_number}" in text
    assert any(code.endswith(f"/v/{issued.code}/") for code in qr_codes(data, tmp_path))


def test_a_draft_jury_protocol_is_watermarked_and_registered_as_a_draft(running, chair, juror):
    services.appoint_juror(running, juror, is_chair=True)
    issued, data = built(pdf.JURY_PROTOCOL, running)
    text = squash(pdf_text(data))
    assert issued.is_draft and not issued.signed
    assert "Рег. №" not in text and "утверждены" not in text  # no mark on a draft
