"""E-mails of the plan workflow, driven through the pages people click."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from members.models import Membership
from plans.models import Revision
from rumo.models import DocumentBuild
from tests import factories
from tests.documents import plan_pdf

pytestmark = pytest.mark.django_db
Status = Revision.Status


@pytest.fixture
def act(client, django_capture_on_commit_callbacks):
    """Post as a persona; the mail and PDF tasks queued after commit run inline."""

    def post(member, name, revision, data=None):
        client.force_login(member.user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse(f"plans:{name}", args=[revision.pk]), data or {})
        assert response.status_code == 302, response
        revision.refresh_from_db()
        return response

    return post


def delivered(since: int = 0) -> dict[str, mail.EmailMessage]:
    """Return the messages sent after the first ``since``, by their one recipient."""
    messages = mail.outbox[since:]
    assert all(len(message.to) == 1 for message in messages)
    return {message.to[0]: message for message in messages}


def link(revision) -> str:
    return settings.SITE_URL + revision.get_absolute_url()


def test_each_signer_is_asked_in_turn_and_the_chair_hears_of_the_approval(
    act, draft, chair, curator, approver, member
):
    secretary = factories.MembershipFactory(
        association=draft.plan.association, role=Membership.Role.SECRETARY
    ).member

    act(chair, "send", draft)
    to_curator = delivered()
    act(curator, "agree", draft)
    to_approver = delivered(1)
    act(approver, "approve", draft)
    on_approval = delivered(2)

    assert draft.status == Status.APPROVED
    assert list(to_curator) == [curator.email]
    message = to_curator[curator.email]
    assert message.subject == "План работы на 2025 год ждёт согласования"
    assert message.body.startswith("Здравствуйте, Ольга Борисовна!")
    assert "на согласование план работы на 2025 год (редакция 1)" in message.body
    assert link(draft) in message.body

    assert list(to_approver) == [approver.email]
    assert to_approver[approver.email].subject == "План работы на 2025 год ждёт утверждения"
    assert "Здравствуйте, Людмила Петровна!" in to_approver[approver.email].body
    assert link(draft) in to_approver[approver.email].body

    assert set(on_approval) == {chair.email, secretary.email}
    for person in (chair, secretary):
        body = on_approval[person.email].body
        assert f"Здравствуйте, {person.first_name} {person.patronymic}!" in body
        assert link(draft) in body
    assert on_approval[chair.email].subject == "План работы на 2025 год утверждён"
    assert member.email not in on_approval
    assert plan_pdf(draft, draft=False).state == DocumentBuild.State.DONE


def test_returned_plan_tells_the_chair_the_comment(act, draft, chair, curator):
    act(chair, "send", draft)
    act(curator, "return", draft, {"comment": "Добавьте конкурс «Золотая лира»."})

    to_chair = delivered(1)

    assert draft.status == Status.DRAFT
    message = to_chair[chair.email]
    assert message.subject == "План работы на 2025 год возвращён на доработку"
    assert "Добавьте конкурс «Золотая лира»." in message.body
    assert link(draft) in message.body


def test_a_signer_without_an_email_is_skipped_and_the_rest_are_told(
    act, draft, chair, curator, library
):
    silent = factories.MembershipFactory(
        association=library, role=Membership.Role.CURATOR, member__email=""
    ).member

    act(chair, "send", draft)

    assert draft.status == Status.ON_AGREEMENT
    assert list(delivered()) == [curator.email]
    assert silent.email == ""


def test_an_outsider_gets_no_mail(act, draft, chair, curator, philology):
    outsider = factories.MemberFactory(email="curator-of-philology@example.org")
    factories.MembershipFactory(member=outsider, association=philology, role="curator")
    act(chair, "send", draft)

    assert curator.email in delivered()
    assert outsider.email not in delivered()


def test_a_plan_sent_again_after_a_return_tells_the_signer_where_the_changes_are(
    act, draft, chair, curator
):
    act(chair, "send", draft)
    act(curator, "return", draft, {"comment": "Уточните сроки."})
    since = len(mail.outbox)

    act(chair, "send", draft)

    body = delivered(since)[curator.email].body
    assert "Это исправленный план: О.Б. Кузнецова вернул(а) его на доработку" in body
    assert "Что изменилось с возврата, показано на странице плана." in body
    assert link(draft) in body
