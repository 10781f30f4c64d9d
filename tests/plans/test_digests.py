"""The monthly plan digest: the chair and secretary hear once what the plan schedules."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.utils import timezone

from members.models import Membership
from plans import services
from plans.models import Item, Section
from plans.tasks import send_month_digests_task
from rumo import outbox
from rumo.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db
MARCH = date(2030, 3, 2)


@pytest.fixture
def secretary(library):
    """Elena, secretary of the library association."""
    member = factories.person(
        "elena", last_name="Петрова", first_name="Елена", patronymic="Викторовна"
    )
    factories.MembershipFactory(member=member, association=library, role=Membership.Role.SECRETARY)
    return member


@pytest.fixture
def in_force(chair, curator, approver, library):
    """The approved 2030 plan: items for the whole year, March, April, and one done in March."""
    revision = services.create_plan(library, year=2030, by=chair).revisions.get()
    events = revision.sections.get(kind=Section.Kind.EVENTS)
    orgwork = revision.sections.get(kind=Section.Kind.ORGWORK)
    services.add_item(events, by=chair, text="Конкурс «Золотая лира».", timing="март, 2030 г.",
                      responsible="Председатель РУМО")  # fmt: skip
    services.add_item(events, by=chair, text="Семинар всего года.", timing="в течение года",
                      responsible="Совет РУМО", responsible_members=[chair])  # fmt: skip
    services.add_item(events, by=chair, text="Выставка новинок.", timing="март")
    services.add_item(orgwork, by=chair, text="Отчёт за квартал.", timing="апрель")
    services.send_for_agreement(revision, by=chair)
    services.agree_revision(revision, by=curator, on=date(2030, 1, 10))
    services.approve_revision(revision, by=approver, on=date(2030, 1, 20))
    done = Item.objects.get(section__revision=revision, text="Выставка новинок.")
    services.mark_execution(done, by=chair, execution=Item.Execution.DONE)
    outbox.send_due()  # the workflow e-mails: not what these tests count
    mail.outbox.clear()
    return revision


def sweep(today: date) -> int:
    """Record the digests due on ``today`` and send the outbox, as the beat sweep would."""
    recorded = services.send_month_digests(today)
    outbox.send_due()
    return recorded


def delivered() -> dict[str, mail.EmailMessage]:
    assert all(len(message.to) == 1 for message in mail.outbox)
    return {message.to[0]: message for message in mail.outbox}


def test_the_chair_and_secretary_get_one_digest_of_the_months_items(
    in_force, chair, secretary, member, council, curator, approver
):
    mail.outbox.clear()

    assert sweep(MARCH) == 2

    messages = delivered()
    assert sorted(messages) == sorted([chair.email, secretary.email])
    message = messages[chair.email]
    body = message.body
    assert message.subject == "РУМО библиотекарей: план работы на март 2030 г."
    assert body.startswith("Здравствуйте, Светлана Николаевна!")
    assert "в этом месяце (март) запланировано:" in body
    assert "1. Семинар всего года.\n   Сроки: в течение года\n" in body  # earliest start first
    assert "Ответственные: Совет РУМО; С.Н. Лоскутова" in body
    assert "2. Конкурс «Золотая лира».\n   Сроки: март, 2030 г.\n" in body
    assert "Ответственные: Председатель РУМО" in body
    assert "Выставка новинок." not in body  # done
    assert "Отчёт за квартал." not in body  # April
    assert settings.SITE_URL + in_force.plan.get_absolute_url() in body
    assert "&laquo;" not in body and "&quot;" not in body
    assert "Здравствуйте, Елена Викторовна!" in messages[secretary.email].body
    assert OutboxMessage.objects.filter(kind="plan_month_digest", slot="2030-03").count() == 2


def test_a_second_sweep_sends_nothing_new(in_force, chair, secretary):
    sweep(MARCH)
    mail.outbox.clear()

    assert sweep(MARCH) == 0
    assert sweep(date(2030, 3, 3)) == 0

    assert mail.outbox == []
    assert OutboxMessage.objects.filter(kind="plan_month_digest").count() == 2


def test_next_month_brings_the_next_digest(in_force, chair):
    sweep(MARCH)
    mail.outbox.clear()

    assert sweep(date(2030, 4, 1)) == 1

    assert "Отчёт за квартал." in delivered()[chair.email].body


def test_after_the_first_week_no_digest_starts(in_force, chair):
    mail.outbox.clear()
    assert sweep(date(2030, 3, 20)) == 0
    assert mail.outbox == []


def test_a_plan_not_in_force_sends_nothing(draft, chair):
    mail.outbox.clear()
    assert sweep(date(2025, 4, 1)) == 0
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(kind="plan_month_digest").exists()


def test_a_month_with_nothing_planned_sends_nothing(in_force, chair):
    year_long = Item.objects.get(section__revision=in_force, text="Семинар всего года.")
    services.mark_execution(year_long, by=chair, execution=Item.Execution.CANCELLED)
    mail.outbox.clear()

    assert sweep(date(2030, 6, 1)) == 0
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(kind="plan_month_digest").exists()


def test_a_secretary_without_email_is_skipped(in_force, chair, secretary):
    secretary.email = ""
    secretary.save(update_fields=["email"])
    mail.outbox.clear()

    assert sweep(MARCH) == 1

    assert list(delivered()) == [chair.email]
    digests = OutboxMessage.objects.filter(kind="plan_month_digest")
    assert not digests.filter(recipient_id=secretary.pk).exists()


def test_a_failed_hand_off_is_retried_by_the_next_sweep(in_force, chair, monkeypatch):
    def refuse(self, messages):
        raise ConnectionRefusedError

    monkeypatch.setattr(LocmemBackend, "send_messages", refuse)
    assert sweep(MARCH) == 1  # recorded, not sent
    [row] = OutboxMessage.objects.filter(kind="plan_month_digest")
    assert row.state == OutboxMessage.State.PENDING and "ConnectionRefusedError" in row.error

    monkeypatch.undo()
    mail.outbox.clear()
    assert services.send_month_digests(MARCH) == 0  # the digest is recorded once
    outbox.send_due(timezone.now() + outbox.MAX_BACKOFF)  # its retry is due
    assert list(delivered()) == [chair.email]


def test_the_task_sweeps_the_current_month(chair):
    assert send_month_digests_task.delay().get() == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_digest_once(in_force, chair, secretary, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks of concurrent inserts need PostgreSQL")
    send = LocmemBackend.send_messages

    def slow_send(self, messages):
        time.sleep(0.3)  # the other sweep reaches the same row meanwhile
        return send(self, messages)

    monkeypatch.setattr(LocmemBackend, "send_messages", slow_send)
    mail.outbox.clear()

    def run():
        try:
            return sweep(MARCH)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(lambda _: run(), range(2)))

    assert sum(counts) == 2
    assert sorted(delivered()) == sorted([chair.email, secretary.email])
