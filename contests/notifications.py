"""Who is told what about a contest: each function returns the messages, one per person.

Sending: ``send`` records them in the outbox (rumo/outbox.py) inside the
caller's transaction: saved with the change or not at all, sent by the workers
after the commit, retried when the mail server is down, never twice (the key).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from rumo import outbox

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    kind: str  # e.g. "contests.regulation_sent"
    key: str  # unique per event and person, for the outbox's deduplication
    to: str
    subject: str
    body: str


def url(path: str) -> str:
    return settings.SITE_URL + path


def _council(regulation):
    from .services.council import council_of

    people = {}
    for association in regulation.contest.organizers.all():
        for member in council_of(association):
            people[member.pk] = member
    return [people[pk] for pk in sorted(people)]


def regulation_sent(regulation) -> list[Message]:
    """The council is asked to read the version and vote before the deadline."""
    contest = regulation.contest
    deadline = date_format(timezone.localtime(regulation.vote_deadline), "d.m.Y H:i")
    return [
        Message(
            kind="contests.regulation_sent",
            key=f"regulation-{regulation.pk}-sent-{person.pk}",
            to=person.email,
            subject=f"Положение о конкурсе «{contest.title}» на голосовании совета",
            body=(
                f"{person.first_name} {person.patronymic},\n\n"
                f"Совет рассматривает редакцию {regulation.number} Положения о конкурсе "
                f"«{contest.title}». Прочитайте её и проголосуйте до {deadline}:\n"
                f"{url(regulation.get_absolute_url())}\n"
            ),
        )
        for person in _council(regulation)
        if person.email
    ]


def vote_reminder(regulation, people) -> list[Message]:
    contest = regulation.contest
    deadline = date_format(timezone.localtime(regulation.vote_deadline), "d.m.Y H:i")
    return [
        Message(
            kind="contests.vote_reminder",
            key=f"regulation-{regulation.pk}-reminder-{person.pk}",
            to=person.email,
            subject=f"Напоминание: голосование по положению «{contest.title}»",
            body=(
                f"{person.first_name} {person.patronymic},\n\n"
                f"Вы ещё не проголосовали по Положению о конкурсе «{contest.title}». "
                f"Голосование закончится {deadline}:\n{url(regulation.get_absolute_url())}\n"
            ),
        )
        for person in people
        if person.email
    ]


def regulation_decided(regulation) -> list[Message]:
    """The council and the chairs learn the result with the tally."""
    contest = regulation.contest
    approved = regulation.status == regulation.Status.APPROVED
    outcome = "утверждено" if approved else "возвращено на доработку"
    lines = [a.explanation for a in regulation.approvals.select_related("association")]
    return [
        Message(
            kind="contests.regulation_decided",
            key=f"regulation-{regulation.pk}-decided-{person.pk}",
            to=person.email,
            subject=f"Положение о конкурсе «{contest.title}»: {outcome}",
            body=(
                f"Редакция {regulation.number} Положения о конкурсе «{contest.title}» {outcome}.\n"
                + "\n".join(lines)
                + f"\n{url(regulation.get_absolute_url())}\n"
            ),
        )
        for person in _council(regulation)
        if person.email
    ]


def application_received(application) -> list[Message]:
    person = application.applicant
    if not person.email:
        return []
    return [
        Message(
            kind="contests.application_received",
            key=f"application-{application.pk}-received",
            to=person.email,
            subject=f"Заявка на конкурс «{application.contest.title}» получена",
            body=(
                f"Заявка «{application.display_name}» в номинации «{application.nomination.name}» "
                f"получена. Её статус: {url(application.get_absolute_url())}\n"
            ),
        )
    ]


def application_decided(application) -> list[Message]:
    person = application.applicant
    if not person.email:
        return []
    accepted = application.status == application.Status.ACCEPTED
    reason = "" if accepted else f"\nПричина: {application.reject_reason}\n"
    return [
        Message(
            kind="contests.application_decided",
            key=f"application-{application.pk}-{application.status}",
            to=person.email,
            subject=f"Заявка на конкурс «{application.contest.title}» "
            + ("принята" if accepted else "отклонена"),
            body=(
                f"Заявка «{application.display_name}» "
                f"{'принята' if accepted else 'отклонена'}.{reason}\n"
                f"{url(application.get_absolute_url())}\n"
            ),
        )
    ]


def results_published(contest) -> list[Message]:
    messages = []
    for application in contest.applications.filter(status="accepted").select_related("applicant"):
        person = application.applicant
        if not person.email:
            continue
        messages.append(
            Message(
                kind="contests.results_published",
                key=f"contest-{contest.pk}-results-{application.pk}",
                to=person.email,
                subject=f"Итоги конкурса «{contest.title}»",
                body=(
                    f"Итоги конкурса «{contest.title}» опубликованы. "
                    f"«{application.display_name}»: {application.award}.\n"
                    f"Диплом или сертификат: {url(application.get_absolute_url())}\n"
                ),
            )
        )
    return messages


def send(messages: list[Message]) -> None:
    """Record the messages in the outbox, in the transaction of the change that causes them."""
    outbox.enqueue(
        outbox.Mail(
            key=message.key,
            kind=message.kind,
            subject=message.subject,
            body=message.body,
            to_email=message.to,
        )
        for message in messages
    )
