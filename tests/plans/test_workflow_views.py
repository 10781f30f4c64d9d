"""The plan workflow through the HTTP interface: create, send, sign, return, scans, PDFs."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import Item, Plan, Revision, Section, Stamp
from rumo.models import DocumentBuild
from tests import files
from tests.documents import plan_pdf
from tests.rumo import create_certificate, use_certificate

pytestmark = pytest.mark.django_db
Status = Revision.Status
PDF_BYTES = files.PDF
PNG_BYTES = files.PNG
JPEG_BYTES = files.JPEG


@pytest.fixture
def act(client, django_capture_on_commit_callbacks):
    """Request as a persona; what the services queue after commit runs (tasks are eager)."""

    def request(member, method, url, data=None, **extra):
        client.logout()
        if member is not None:
            client.force_login(member.user)
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client, method)(url, data or {}, **extra)

    return request


def url(name, revision, *args):
    return reverse(f"plans:{name}", args=[revision.pk, *args])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def refresh(revision: Revision) -> Revision:
    revision.refresh_from_db()
    return revision


def sent(revision, chair):
    services.send_for_agreement(revision, by=chair)
    return refresh(revision)


def agreed(revision, chair, curator):
    sent(revision, chair)
    services.agree_revision(revision, by=curator, on=timezone.localdate())
    return refresh(revision)


def approved(revision, chair, curator, approver):
    agreed(revision, chair, curator)
    services.approve_revision(revision, by=approver, on=timezone.localdate())
    return refresh(revision)


@pytest.fixture
def plan_2024(chair, curator, approver, library):
    """The 2024 plan, approved, with an executed item: the source of next year's copy."""
    plan = services.create_plan(library, year=2024, by=chair)
    revision = plan.revisions.get()
    sections = {s.kind: s for s in revision.sections.all()}
    services.add_item(
        sections[Section.Kind.NUMBERED],
        by=chair,
        text="Организация работы членов РУМО по библиотечному направлению на 2024 год.",
    )
    item = services.add_item(
        sections[Section.Kind.ORGWORK],
        by=chair,
        text="Сбор информации для банка данных (характеристика кадров) по РУМО",
        timing="январь – март, 2024",
    )
    revision = approved(refresh(revision), chair, curator, approver)
    services.mark_execution(item, by=chair, execution=Item.Execution.DONE, note="Собрано.")
    return revision


# Creating a plan


def test_chair_creates_an_empty_plan_for_next_year_and_lands_on_its_draft(act, chair, library):
    next_year = timezone.localdate().year + 1

    form = act(chair, "get", reverse("plans:create"))
    assert form.status_code == 200
    assert f'value="{next_year}"' in form.text
    response = act(
        chair,
        "post",
        reverse("plans:create"),
        {"association": library.pk, "year": next_year, "basis": "empty"},
    )

    plan = Plan.objects.get(association=library, year=next_year)
    revision = plan.revisions.get()
    assert response.status_code == 302
    assert response.url == revision.get_absolute_url()
    assert revision.status == Status.DRAFT
    assert revision.copy_notes == []
    assert [s.kind for s in revision.sections.all()][:3] == ["numbered", "numbered", "events"]


def test_copy_of_last_years_plan_moves_years_clears_execution_and_lists_the_changes(
    act, chair, library, plan_2024
):
    response = act(
        chair,
        "post",
        reverse("plans:create"),
        {"association": library.pk, "year": 2025, "basis": plan_2024.plan.pk},
    )

    revision = Revision.objects.get(plan__association=library, plan__year=2025)
    assert response.url == revision.get_absolute_url()
    assert revision.title_lines[-1] == "на 2025 год"
    items = Item.objects.filter(section__revision=revision)
    orgwork = items.get(section__kind=Section.Kind.ORGWORK)
    assert orgwork.timing == "январь – март, 2025"
    assert (orgwork.execution, orgwork.execution_note) == (Item.Execution.PLANNED, "")
    assert items.get(section__kind=Section.Kind.NUMBERED).text.endswith("на 2025 год.")
    changed = {(n["old"], n["new"]) for n in revision.copy_notes}
    assert ("январь – март, 2024", "январь – март, 2025") in changed

    page = act(chair, "get", revision.get_absolute_url())
    assert "При копировании изменены годы" in page.text
    assert "январь – март, 2025" in page.text


def test_copy_notes_disappear_once_the_plan_is_sent(act, chair, library, plan_2024):
    plan = services.create_plan(library, year=2025, by=chair, copy_from=plan_2024)
    revision = sent(plan.revisions.get(), chair)

    page = act(chair, "get", revision.get_absolute_url())

    assert revision.copy_notes
    assert "При копировании изменены годы" not in page.text


def test_second_plan_for_the_same_year_is_a_form_error_with_the_input_kept(
    act, chair, library, plan_2024
):
    response = act(
        chair,
        "post",
        reverse("plans:create"),
        {"association": library.pk, "year": 2024, "basis": "empty"},
    )

    assert response.status_code == 200
    assert "План этого объединения на 2024 год уже есть." in response.text
    assert 'value="2024"' in response.text
    assert Plan.objects.filter(association=library, year=2024).count() == 1


def test_copy_must_come_from_an_earlier_year_of_the_same_association(
    act, chair, library, plan_2024
):
    response = act(
        chair,
        "post",
        reverse("plans:create"),
        {"association": library.pk, "year": 2023, "basis": plan_2024.plan.pk},
    )

    assert response.status_code == 200
    assert "Копировать можно только план прошлых лет." in response.text
    assert not Plan.objects.filter(year=2023).exists()


def test_chair_of_another_association_cannot_create_a_library_plan(
    act, other_chair, library, philology
):
    form = act(other_chair, "get", reverse("plans:create"))
    response = act(
        other_chair,
        "post",
        reverse("plans:create"),
        {"association": library.pk, "year": 2030, "basis": "empty"},
    )

    assert philology.name in form.text and library.name not in form.text
    assert response.status_code == 200
    assert not Plan.objects.filter(association=library).exists()


@pytest.mark.parametrize("persona", ["member", "council", "curator", "approver", "staff"])
def test_only_chairs_open_the_new_plan_form(act, personas, persona):
    assert act(personas[persona], "get", reverse("plans:create")).status_code == 403


def test_visitor_is_sent_to_log_in_before_creating_a_plan(act, db):
    response = act(None, "get", reverse("plans:create"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Sending, agreeing, approving, returning


def test_chair_confirms_and_sends_the_draft_for_agreement(act, chair, draft):
    confirm = act(chair, "get", url("send", draft))
    response = act(chair, "post", url("send", draft))

    assert confirm.status_code == 200
    assert "О.Б. Кузнецова" in confirm.text
    assert response.url == draft.get_absolute_url()
    assert refresh(draft).status == Status.ON_AGREEMENT
    assert "План отправлен на согласование." in messages_of(response)[0]


def test_sending_twice_tells_the_plan_is_already_sent(act, chair, draft):
    act(chair, "post", url("send", draft))
    response = act(chair, "post", url("send", draft))

    assert response.status_code == 302
    assert messages_of(response) == ["План уже отправлен на согласование."]


def test_a_draft_without_stamps_is_not_sent_and_the_chair_is_told_why(act, chair, draft):
    draft.stamps.all().delete()

    response = act(chair, "post", url("send", draft))

    assert response.status_code == 302
    assert refresh(draft).status == Status.DRAFT
    assert "Добавьте гриф" in messages_of(response)[0]


@pytest.mark.parametrize("persona", ["member", "council", "curator", "approver", "other_chair"])
def test_only_the_chair_sends_the_plan(act, personas, draft, persona):
    assert act(personas[persona], "post", url("send", draft)).status_code == 403
    assert refresh(draft).status == Status.DRAFT


def test_curator_agrees_with_todays_date(act, chair, curator, draft):
    sent(draft, chair)

    response = act(curator, "post", url("agree", draft))

    stamp = draft.stamps.get(kind=Stamp.Kind.AGREED)
    assert response.url == draft.get_absolute_url()
    assert refresh(draft).status == Status.AGREED
    assert (stamp.signed_on, stamp.signed_by) == (timezone.localdate(), curator)
    assert messages_of(response) == ["План согласован и отправлен на утверждение."]


def test_approver_cannot_sign_before_the_curator_and_gets_a_message(act, chair, approver, draft):
    sent(draft, chair)

    response = act(approver, "post", url("approve", draft))

    assert response.status_code == 302
    assert refresh(draft).status == Status.ON_AGREEMENT
    assert messages_of(response) == ["Сейчас план ждёт другой подписи."]


def test_approving_twice_gives_one_approval_and_says_so(act, chair, curator, approver, draft):
    agreed(draft, chair, curator)

    first = act(approver, "post", url("approve", draft))
    second = act(approver, "post", url("approve", draft))

    assert refresh(draft).status == Status.APPROVED
    assert messages_of(first) == ["План утверждён. Подписанный PDF формируется."]
    assert messages_of(second) == ["План уже утверждён."]
    assert draft.plan.revisions.filter(status=Status.APPROVED).count() == 1


@pytest.mark.parametrize("persona", ["member", "council", "chair", "curator", "other_chair"])
def test_only_the_approver_approves(act, personas, chair, curator, draft, persona):
    agreed(draft, chair, curator)

    assert act(personas[persona], "post", url("approve", draft)).status_code == 403
    assert refresh(draft).status == Status.AGREED


@pytest.mark.parametrize("persona", ["member", "council", "chair", "approver", "other_chair"])
def test_only_the_curator_agrees(act, personas, chair, draft, persona):
    sent(draft, chair)

    assert act(personas[persona], "post", url("agree", draft)).status_code == 403


def test_signing_needs_a_post(act, chair, curator, draft):
    sent(draft, chair)

    assert act(curator, "get", url("agree", draft)).status_code == 405
    assert refresh(draft).status == Status.ON_AGREEMENT


def test_curator_returns_the_plan_with_a_comment(act, chair, curator, draft):
    sent(draft, chair)

    form = act(curator, "get", url("return", draft))
    response = act(curator, "post", url("return", draft), {"comment": "Уточните сроки конкурса."})

    assert form.status_code == 200
    assert response.url == draft.get_absolute_url()
    assert refresh(draft).status == Status.DRAFT
    assert draft.return_comment == "Уточните сроки конкурса."
    page = act(chair, "get", draft.get_absolute_url())
    assert "Уточните сроки конкурса." in page.text


def test_returning_without_a_comment_is_a_form_error(act, chair, curator, draft):
    sent(draft, chair)

    response = act(curator, "post", url("return", draft), {"comment": "   "})

    assert response.status_code == 200
    assert "Напишите, что нужно исправить." in response.text or "Обязательное поле" in response.text
    assert refresh(draft).status == Status.ON_AGREEMENT


def test_approver_returns_an_agreed_plan_but_not_one_still_with_the_curator(
    act, chair, curator, approver, draft
):
    sent(draft, chair)
    early = act(approver, "post", url("return", draft), {"comment": "Рано."})
    assert refresh(draft).status == Status.ON_AGREEMENT
    assert messages_of(early) == ["Сейчас этот план не ждёт вашей подписи."]

    services.agree_revision(draft, by=curator, on=timezone.localdate())
    act(approver, "post", url("return", draft), {"comment": "Добавьте заседание № 3."})

    assert refresh(draft).status == Status.DRAFT
    assert draft.return_comment == "Добавьте заседание № 3."


@pytest.mark.parametrize("persona", ["member", "council", "chair", "other_chair", "staff"])
def test_only_signers_return_a_plan(act, personas, chair, draft, persona):
    sent(draft, chair)

    assert act(personas[persona], "get", url("return", draft)).status_code == 403


# Paper signatures


def paper_url(revision, kind=Stamp.Kind.AGREED):
    return reverse("plans:paper-sign", args=[revision.stamps.get(kind=kind).pk])


def test_staff_record_a_paper_signature_with_a_scan(act, chair, staff, draft):
    sent(draft, chair)
    scan = SimpleUploadedFile("podpis.png", PNG_BYTES, content_type="image/png")

    form = act(staff, "get", paper_url(draft))
    response = act(
        staff,
        "post",
        paper_url(draft),
        {"person_name": "О.Б. Кузнецова", "signed_on": "2024-01-15", "scan": scan},
    )

    stamp = draft.stamps.get(kind=Stamp.Kind.AGREED)
    assert form.status_code == 200 and 'value="О.Б. Кузнецова"' in form.text
    assert response.url == draft.get_absolute_url()
    assert (stamp.on_paper, stamp.signed_on.isoformat()) == (True, "2024-01-15")
    assert stamp.scan.name.endswith(".png")
    assert refresh(draft).status == Status.AGREED


def test_chair_records_a_paper_signature_without_a_scan(act, chair, curator, draft):
    agreed(draft, chair, curator)

    act(
        chair,
        "post",
        paper_url(draft, Stamp.Kind.APPROVED),
        {"person_name": "Л.П. Рудакова", "signed_on": timezone.localdate().isoformat()},
    )

    assert refresh(draft).status == Status.APPROVED
    assert draft.stamps.get(kind=Stamp.Kind.APPROVED).on_paper


@pytest.mark.parametrize(
    ("name", "content", "content_type", "error"),
    [
        ("podpis.exe", PDF_BYTES, "application/pdf", "Файлы «.exe» не принимаются."),
        ("podpis.pdf", b"MZ not a pdf at all", "application/pdf", "это не PDF"),
        ("podpis.jpg", PNG_BYTES, "image/jpeg", "это не JPEG"),
        # A PDF that is also a web page (a polyglot).
        (
            "podpis.pdf",
            PDF_BYTES + b"<html><script>alert(1)</script>",
            "application/pdf",
            "веб-страницу или сценарий",
        ),
        ("podpis.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), "application/pdf", "больше 10,0"),
    ],
)
def test_a_bad_scan_of_a_paper_signature_is_a_form_error(
    act, chair, staff, draft, name, content, content_type, error
):
    sent(draft, chair)
    scan = SimpleUploadedFile(name, content, content_type=content_type)

    response = act(
        staff,
        "post",
        paper_url(draft),
        {"person_name": "О.Б. Кузнецова", "signed_on": "2024-01-15", "scan": scan},
    )

    assert response.status_code == 200
    assert error in response.text
    assert not draft.stamps.get(kind=Stamp.Kind.AGREED).is_signed


def test_paper_signature_cannot_be_dated_in_the_future(act, chair, staff, draft):
    sent(draft, chair)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = act(
        staff, "post", paper_url(draft), {"person_name": "X", "signed_on": tomorrow.isoformat()}
    )

    assert "Дата подписи не может быть в будущем." in response.text


def test_paper_signature_only_for_the_stamp_the_plan_waits_for(act, chair, staff, draft):
    sent(draft, chair)

    response = act(staff, "get", paper_url(draft, Stamp.Kind.APPROVED))

    assert response.status_code == 302
    assert messages_of(response) == ["Сейчас план не ждёт этой подписи."]


@pytest.mark.parametrize("persona", ["member", "council", "curator", "approver", "other_chair"])
def test_only_staff_and_chair_record_paper_signatures(act, personas, chair, draft, persona):
    sent(draft, chair)

    assert act(personas[persona], "get", paper_url(draft)).status_code == 403


# A new revision of an approved plan


def test_chair_starts_a_new_revision_once(act, chair, curator, approver, draft):
    approved(draft, chair, curator, approver)
    new_revision_url = reverse("plans:new-revision", args=["library", draft.plan.year])

    first = act(chair, "post", new_revision_url)
    second = act(chair, "post", new_revision_url)

    second_revision = draft.plan.revisions.get(number=2)
    assert first.url == second_revision.get_absolute_url()
    assert second_revision.status == Status.DRAFT
    assert second.url == second_revision.get_absolute_url()
    assert messages_of(second) == ["У плана уже есть редакция в работе."]
    assert refresh(draft).status == Status.APPROVED


@pytest.mark.parametrize("persona", ["member", "council", "curator", "approver", "staff"])
def test_only_the_chair_starts_a_new_revision(act, personas, chair, curator, approver, draft,
                                              persona):  # fmt: skip
    approved(draft, chair, curator, approver)
    new_revision_url = reverse("plans:new-revision", args=["library", draft.plan.year])

    assert act(personas[persona], "post", new_revision_url).status_code == 403
    assert draft.plan.revisions.count() == 1


# The scan of the signed paper copy


def test_staff_upload_the_scan_and_insiders_download_it(
    act, chair, curator, approver, staff, member, draft
):
    approved(draft, chair, curator, approver)
    scan = SimpleUploadedFile("plan.pdf", PDF_BYTES, content_type="application/pdf")

    response = act(staff, "post", url("scan-upload", draft), {"scan": scan})
    download = act(member, "get", url("scan-download", draft))

    assert response.url == draft.get_absolute_url()
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="plan-library-2025-r1-scan.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF_BYTES
    download.close()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "error"),
    [
        ("plan.jpg", JPEG_BYTES, "image/jpeg", "Файлы «.jpg» не принимаются. Можно: pdf."),
        ("plan.pdf", JPEG_BYTES, "application/pdf", "это не PDF"),
        ("plan.pdf", PDF_BYTES + b"0" * (20 * 1024 * 1024), "application/pdf", "больше 20,0"),
    ],
)
def test_a_scan_that_is_not_a_small_pdf_is_refused(
    act, chair, curator, approver, staff, draft, name, content, content_type, error
):
    approved(draft, chair, curator, approver)
    scan = SimpleUploadedFile(name, content, content_type=content_type)

    response = act(staff, "post", url("scan-upload", draft), {"scan": scan})

    assert response.status_code == 200
    assert error in response.text
    assert not refresh(draft).paper_scan


def test_scan_is_uploaded_only_for_an_approved_plan(act, staff, draft):
    scan = SimpleUploadedFile("plan.pdf", PDF_BYTES, content_type="application/pdf")

    response = act(staff, "post", url("scan-upload", draft), {"scan": scan})

    assert response.status_code == 302
    assert not refresh(draft).paper_scan


def test_outsiders_do_not_get_the_scan(act, chair, curator, approver, other_chair, draft):
    approved(draft, chair, curator, approver)
    draft.paper_scan = SimpleUploadedFile("plan.pdf", PDF_BYTES)
    draft.save(update_fields=["paper_scan"])

    assert act(other_chair, "get", url("scan-download", draft)).status_code == 403
    anonymous = act(None, "get", url("scan-download", draft))
    assert anonymous.url.startswith(reverse("login"))


# PDFs


def test_chair_requests_the_draft_pdf_then_downloads_it(act, chair, draft):
    response = act(chair, "post", url("pdf-request", draft, "draft"), HTTP_HX_REQUEST="true")
    # The build was queued; the fragment polls until the task has finished.
    assert response.status_code == 200
    assert "формируется…" in response.text
    assert 'hx-trigger="every 2s"' in response.text

    status = act(chair, "get", url("pdf-status", draft, "draft"))
    pdf = plan_pdf(draft, draft=True)
    assert pdf.state == DocumentBuild.State.DONE
    assert url("pdf-download", draft, "draft") in status.text
    assert pdf.sha256 in status.text
    assert 'hx-trigger="every 2s"' not in status.text

    download = act(chair, "get", url("pdf-download", draft, "draft"))
    data = b"".join(download.streaming_content)
    download.close()
    assert download["Content-Type"] == "application/pdf"
    assert (
        download["Content-Disposition"] == 'attachment; filename="plan-library-2025-r1-draft.pdf"'
    )
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == pdf.sha256


def test_without_htmx_the_request_returns_to_the_revision_page(act, staff, draft):
    response = act(staff, "post", url("pdf-request", draft, "draft"))

    assert response.url == draft.get_absolute_url()
    assert plan_pdf(draft, draft=True).state == DocumentBuild.State.DONE


def test_a_pdf_being_built_is_polled_every_two_seconds(act, chair, draft):
    DocumentBuild.objects.create(
        kind="plans.draft", object_id=draft.pk, state=DocumentBuild.State.BUILDING
    )

    response = act(chair, "get", url("pdf-status", draft, "draft"))

    assert "формируется…" in response.text
    assert 'hx-trigger="every 2s"' in response.text
    assert f'hx-get="{url("pdf-status", draft, "draft")}"' in response.text


def test_a_failed_build_shows_the_error_and_a_retry(act, chair, draft):
    DocumentBuild.objects.create(
        kind="plans.draft",
        object_id=draft.pk,
        state=DocumentBuild.State.FAILED,
        error="Шрифт не найден.",
    )

    status = act(chair, "get", url("pdf-status", draft, "draft"))
    retry = act(chair, "post", url("pdf-request", draft, "draft"), HTTP_HX_REQUEST="true")

    assert "Шрифт" in status.text and "Повторить" in status.text
    assert "формируется…" in retry.text
    assert plan_pdf(draft, draft=True).state == DocumentBuild.State.DONE


def test_an_edited_draft_offers_a_fresh_pdf(act, chair, draft):
    act(chair, "post", url("pdf-request", draft, "draft"))
    services.add_item(draft.sections.first(), by=chair, text="Новое направление.")

    status = act(chair, "get", url("pdf-status", draft, "draft"))

    assert "Документ изменился после прошлого PDF" in status.text
    assert url("pdf-request", draft, "draft") in status.text


def test_an_unbuilt_pdf_is_not_found(act, chair, draft):
    assert act(chair, "get", url("pdf-download", draft, "draft")).status_code == 404


# The signers read it too (tests/plans/test_signer_view.py).
@pytest.mark.parametrize("persona", ["member", "council", "other_chair"])
def test_draft_pdf_is_for_staff_the_chair_and_the_signers(act, personas, draft, persona):
    assert act(personas[persona], "post", url("pdf-request", draft, "draft")).status_code == 403
    assert act(personas[persona], "get", url("pdf-status", draft, "draft")).status_code == 403
    assert not DocumentBuild.objects.filter(kind__startswith="plans.", object_id=draft.pk).exists()


def test_signed_pdf_is_built_on_approval_and_public(
    act, settings, tmp_path, chair, curator, approver, draft
):
    use_certificate(settings, create_certificate(tmp_path))
    agreed(draft, chair, curator)
    act(approver, "post", url("approve", draft))
    pdf = plan_pdf(draft, draft=False)
    assert pdf.state == DocumentBuild.State.DONE and pdf.register_number

    status = act(None, "get", url("pdf-status", draft, "signed"))
    download = act(None, "get", url("pdf-download", draft, "signed"))
    data = b"".join(download.streaming_content)
    download.close()

    assert pdf.register_number in status.text
    assert reverse("verify", args=[pdf.document_code]) in status.text
    assert "Файл подписан электронной подписью объединения." in status.text
    assert "это не квалифицированная электронная подпись (ГОСТ)" in status.text
    assert 'filename="plan-library-2025-r1.pdf"' in download["Content-Disposition"]
    assert hashlib.sha256(data).hexdigest() == pdf.sha256


def test_without_a_certificate_the_page_does_not_claim_a_signature(
    act, chair, curator, approver, draft
):
    agreed(draft, chair, curator)
    act(approver, "post", url("approve", draft))

    status = act(None, "get", url("pdf-status", draft, "signed"))

    assert "Электронной подписи в файле нет" in status.text
    assert "Файл подписан" not in status.text
    assert "Скачать подписанный PDF" in status.text


def test_a_ready_signed_pdf_is_not_issued_again(act, chair, curator, approver, staff, draft):
    agreed(draft, chair, curator)
    act(approver, "post", url("approve", draft))
    number = plan_pdf(draft, draft=False).register_number
    assert number

    act(staff, "post", url("pdf-request", draft, "signed"))

    assert plan_pdf(draft, draft=False).register_number == number


def test_there_is_no_draft_pdf_of_an_approved_plan_nor_signed_pdf_of_a_draft(
    act, chair, staff, draft
):
    assert act(staff, "get", url("pdf-status", draft, "signed")).status_code == 404
    assert act(staff, "get", url("pdf-download", draft, "signed")).status_code == 404


def test_the_scan_of_a_paper_signature_is_linked_and_served_to_readers_of_the_plan(
    client, chair, member, staff, other_chair, draft
):
    services.send_for_agreement(draft, by=chair)
    stamp = draft.stamps.get(kind="agreed")
    scan = SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")
    services.record_paper_signature(stamp, by=None, person_name="О.Б. Кузнецова",
                                    on=timezone.localdate(), scan=scan)  # fmt: skip
    url = reverse("plans:stamp-scan", args=[stamp.pk])
    client.force_login(member.user)
    assert url in client.get(draft.get_absolute_url()).text
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(other_chair.user)
    assert client.get(url).status_code == 403


def test_cleared_paper_signatures_leave_no_scan_behind(
    chair, draft, django_capture_on_commit_callbacks
):
    from plans.services.editing import clear_signatures

    services.send_for_agreement(draft, by=chair)
    stamp = draft.stamps.get(kind="agreed")
    scan = SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")
    services.record_paper_signature(stamp, by=None, person_name="О.Б. Кузнецова",
                                    on=timezone.localdate(), scan=scan)  # fmt: skip
    stored = draft.stamps.get(kind="agreed").scan
    assert stored.storage.exists(stored.name)

    with django_capture_on_commit_callbacks(execute=True):
        assert clear_signatures(refresh(draft)) == ["О.Б. Кузнецова"]

    assert not stored.storage.exists(stored.name)
    assert not draft.stamps.get(kind="agreed").scan
