"""The award petition's data: what round two's PDF template will print."""

from datetime import date

import pytest

from members.petitions import award_petition
from tests.members.conftest import CANARY

pytestmark = pytest.mark.django_db


def test_the_petition_lists_the_selected_members_with_awards_and_recent_courses(
    natalia, chair, django_assert_num_queries
):
    with django_assert_num_queries(3):
        rows = award_petition([chair.pk, natalia.pk], on=date(2025, 11, 1))

    assert [(r.number, r.full_name) for r in rows] == [
        (1, "Васильева Наталья Ивановна"), (2, "Лоскутова Светлана Николаевна"),
    ]  # fmt: skip
    assert rows[0].awards == [f"Грамота {CANARY} (2023)"]
    assert rows[0].recent_courses == ["Цифровые сервисы, 36 ч., 2024"]
    assert (rows[0].total_experience, rows[0].library_experience) == (12, 7)


# The petition in use: chairs and staff select members, write merits, print the PDF.

import subprocess  # noqa: E402

from django.urls import reverse  # noqa: E402

from members import services  # noqa: E402
from members.models import AccessLog, AwardNominee, AwardPetition  # noqa: E402
from rumo.models import DocumentBuild, IssuedDocument  # noqa: E402

AWARD = "Почётная грамота Министерства образования Чувашской Республики"
MERITS = "За организацию цикла встреч «Читающий колледж» и подготовку победителей конкурсов."


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)  # fmt: skip
    return result.stdout.decode()


def create(client, library, members, **fields):
    data = {"award": AWARD, "addressee": "Министру образования Чувашской Республики",
            "members": [m.pk for m in members], **fields}  # fmt: skip
    return client.post(reverse("members:petition-create", args=[library.slug]), data)


def test_the_chair_selects_members_and_writes_their_merits(login, chair, natalia, council, library):
    client = login(chair)

    created = create(client, library, [natalia, council])

    petition = AwardPetition.objects.get()
    assert created.status_code == 302 and created.url == petition.get_absolute_url()
    assert (petition.association, petition.award, petition.created_by) == (library, AWARD,
                                                                            chair.user)  # fmt: skip
    assert set(petition.nominees.values_list("member_id", flat=True)) == {natalia.pk, council.pk}

    page = client.get(petition.get_absolute_url())
    assert page.status_code == 200
    assert f"Грамота {CANARY}" in page.text  # the data-bank fields the chair may see
    assert "Не написаны заслуги у 2 участников" in page.text
    saved = client.post(petition.get_absolute_url(),
                        {f"reason_{natalia.pk}": MERITS, f"reason_{council.pk}": ""})  # fmt: skip
    assert saved.status_code == 302
    assert AwardNominee.objects.get(member=natalia).reason == MERITS
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_PETITION).count() == 1


def test_a_kept_petition_page_still_records_every_view_and_shows_new_merits_at_once(
    login, chair, natalia, council, library, django_assert_max_num_queries
):
    client = login(chair)
    create(client, library, [natalia, council])
    petition = AwardPetition.objects.get()
    views = AccessLog.objects.filter(action=AccessLog.Action.VIEW_PETITION, user=chair.user)

    client.get(petition.get_absolute_url())  # shows «сохранён» once: not kept
    client.get(petition.get_absolute_url())
    with django_assert_max_num_queries(6):  # kept: rights, the petition and the log entry
        kept = client.get(petition.get_absolute_url())

    assert "Не написаны заслуги у 2 участников" in kept.text
    assert views.count() == 3
    client.post(petition.get_absolute_url(), {f"reason_{natalia.pk}": MERITS})
    client.get(petition.get_absolute_url())  # «Заслуги сохранены»
    assert "Не написаны заслуги у 1 участника" in client.get(petition.get_absolute_url()).text
    assert views.count() == 5


def test_changing_the_members_keeps_the_merits_of_those_who_stay(
    login, chair, natalia, council, library
):
    client = login(chair)
    create(client, library, [natalia, council])
    petition = AwardPetition.objects.get()
    services.write_merits(petition, {natalia.pk: MERITS, council.pk: "Другое"})

    response = client.post(reverse("members:petition-edit", args=[petition.pk]),
                           {"award": AWARD, "addressee": "", "members": [natalia.pk]})  # fmt: skip

    assert response.status_code == 302
    assert list(petition.nominees.values_list("member_id", "reason")) == [(natalia.pk, MERITS)]
    edit = client.get(reverse("members:petition-edit", args=[petition.pk]))
    assert f'value="{natalia.pk}" ' in edit.text and "checked" in edit.text


def test_bad_input_is_refused_with_the_form_kept_and_nothing_saved(
    login, chair, natalia, other_chair, library
):
    client = login(chair)

    nobody = create(client, library, [])
    outsider = create(client, library, [natalia, other_chair])  # not a member of the library
    no_award = create(client, library, [natalia], award="")

    assert nobody.status_code == 200 and "Отметьте хотя бы одного участника" in nobody.text
    assert outsider.status_code == 200 and "Выберите корректный вариант" in outsider.text
    assert no_award.status_code == 200 and "Обязательное поле" in no_award.text
    assert AWARD in nobody.text  # the typed award is kept
    assert not AwardPetition.objects.exists()

    petition = services.save_petition(library, award=AWARD, addressee="", members=[natalia],
                                      by=chair.user)  # fmt: skip
    too_long = client.post(petition.get_absolute_url(), {f"reason_{natalia.pk}": "я" * 3001})
    assert too_long.status_code == 200
    assert "не более 3000 символов (сейчас 3001)" in too_long.text
    assert "я" * 3001 in too_long.text  # the text is kept for the writer to shorten
    assert AwardNominee.objects.get().reason == ""


def test_only_the_chair_of_the_association_and_staff_prepare_petitions(
    login, client, chair, staff, natalia, council, other_chair, library
):
    petition = services.save_petition(library, award=AWARD, addressee="", members=[natalia],
                                      by=chair.user)  # fmt: skip
    pages = [
        reverse("members:petitions", args=[library.slug]),
        reverse("members:petition-create", args=[library.slug]),
        petition.get_absolute_url(),
        reverse("members:petition-edit", args=[petition.pk]),
        reverse("members:petition-pdf", args=[petition.pk]),
    ]
    for person in (natalia, council, other_chair):
        assert [login(person).get(url).status_code for url in pages] == [403] * len(pages)
        assert CANARY not in login(person).get(petition.get_absolute_url()).text
        assert login(person).post(reverse("members:petition-delete", args=[petition.pk])
                                  ).status_code == 403  # fmt: skip
    client.logout()
    assert all(client.get(url).status_code == 302 for url in pages)
    assert [login(p).get(pages[2]).status_code for p in (chair, staff)] == [200, 200]
    assert login(staff).get(reverse("members:databank")).text.count(pages[0]) == 1

    deleted = login(chair).post(reverse("members:petition-delete", args=[petition.pk]))
    assert deleted.status_code == 302 and not AwardPetition.objects.exists()


def request_pdf(client, petition, capture):
    with capture(execute=True):
        return client.post(reverse("members:petition-pdf-request", args=[petition.pk]))


def test_the_petition_pdf_lists_the_members_with_their_data_and_merits_signed_by_the_chair(
    login, chair, natalia, library, django_capture_on_commit_callbacks
):
    petition = services.save_petition(
        library, award=AWARD, addressee="Министру образования Чувашской Республики",
        members=[natalia], by=chair.user,
    )  # fmt: skip
    services.write_merits(petition, {natalia.pk: MERITS})
    client = login(chair)

    requested = request_pdf(client, petition, django_capture_on_commit_callbacks)
    page = client.get(petition.get_absolute_url())
    response = client.get(reverse("members:petition-pdf-file", args=[petition.pk]))

    assert requested.status_code == 302
    assert "Скачать ходатайство (PDF)" in page.text
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(b"".join(response.streaming_content)).split())  # cells wrap
    assert "ХОДАТАЙСТВО" in text
    assert AWARD in text
    assert "Министру образования Чувашской Республики" in text
    assert "Васильева Наталья Ивановна" in text
    assert natalia.organization.name.split()[0] in text
    assert "12 / 7" in text  # experience: total / library
    assert f"Грамота {CANARY} (2023)" in text
    assert "Читающий колледж" in text
    assert "Председатель РУМО по библиотечному направлению" in text
    assert "С.Н. Лоскутова" in text
    # Personal data: kept off the register, whose file page is public.
    assert not IssuedDocument.objects.exists()
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT_PETITION_PDF).count() == 1


def test_a_petition_without_merits_is_not_printed_and_says_whose_are_missing(
    login, chair, natalia, library, django_capture_on_commit_callbacks
):
    petition = services.save_petition(library, award=AWARD, addressee="", members=[natalia],
                                      by=chair.user)  # fmt: skip
    client = login(chair)

    request_pdf(client, petition, django_capture_on_commit_callbacks)
    panel = client.get(reverse("members:petition-pdf", args=[petition.pk]))

    row = DocumentBuild.objects.get(kind="members.petition")
    assert row.state == DocumentBuild.State.FAILED and not row.file
    assert "Не написаны заслуги: Васильева Наталья Ивановна" in panel.text
    file = client.get(reverse("members:petition-pdf-file", args=[petition.pk]))
    assert file.status_code == 404

    services.write_merits(petition, {natalia.pk: MERITS})
    request_pdf(client, petition, django_capture_on_commit_callbacks)
    assert DocumentBuild.objects.get(kind="members.petition").state == DocumentBuild.State.DONE


def test_deleting_a_petition_or_erasing_a_nominee_deletes_the_petition_pdf(
    chair, natalia, council, library, staff
):
    from members.pdf import PETITION
    from rumo import pipeline

    petition = services.save_petition(library, award=AWARD, addressee="",
                                      members=[natalia, council], by=chair.user)  # fmt: skip
    services.write_merits(petition, {natalia.pk: MERITS, council.pk: MERITS})
    row = pipeline.build_now(PETITION, petition)
    storage, name = row.file.storage, row.file.name
    assert storage.exists(name)

    services.erase_personal_data(natalia, by=staff.user)

    assert list(petition.nominees.values_list("member_id", flat=True)) == [council.pk]
    assert not DocumentBuild.objects.filter(kind=PETITION.name).exists()

    row = pipeline.build_now(PETITION, petition)
    services.delete_petition(petition)
    assert not DocumentBuild.objects.exists() and not AwardPetition.objects.exists()
