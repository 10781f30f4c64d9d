"""Who is told what about a contest: each function returns outbox mails, one per person.

``send`` records them in the outbox (rumo/outbox.py) inside the caller's
transaction: saved with the change or not at all, sent by the workers after the
commit, retried when the mail server is down, never twice (the key). A person
without an e-mail address gets a row too («нет адреса»), so the one responsible
sees who was not told.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumo import outbox


def url(path: str) -> str:
    return settings.SITE_URL + path


def mail(kind: str, key: str, person, about, subject: str, body: str) -> outbox.Mail:
    return outbox.Mail(
        key=f"contests:{key}",
        kind=f"contests.{kind}",
        about=about,
        recipient_id=person.pk,
        to_email=person.email or "",
        to_name=person.full_name,
        subject=subject,
        body=body,
    )


def deadline_of(regulation) -> str:
    return date_format(timezone.localtime(regulation.vote_deadline), "d.m.Y H:i")


def _council(regulation):
    from .services.council import council_of

    people = {}
    for association in regulation.contest.organizers.all():
        for member in council_of(association):
            people[member.pk] = member
    return [people[pk] for pk in sorted(people)]


def regulation_sent(regulation) -> list[outbox.Mail]:
    """The council is asked to read the version and vote before the deadline."""
    values = {
        "title": regulation.contest.title,
        "number": regulation.number,
        "deadline": deadline_of(regulation),
        "url": url(regulation.get_absolute_url()),
    }
    return [
        mail(
            "regulation_sent",
            f"regulation-{regulation.pk}-sent-{person.pk}",
            person,
            regulation,
            _("Положение о конкурсе «%(title)s» на голосовании совета") % values,
            _(
                "%(name)s,\n\nСовет рассматривает редакцию %(number)s Положения о конкурсе "
                "«%(title)s». Прочитайте её и проголосуйте до %(deadline)s:\n%(url)s\n"
            )
            % {**values, "name": f"{person.first_name} {person.patronymic}"},
        )
        for person in _council(regulation)
    ]


def vote_reminder(regulation, people) -> list[outbox.Mail]:
    values = {
        "title": regulation.contest.title,
        "deadline": deadline_of(regulation),
        "url": url(regulation.get_absolute_url()),
    }
    return [
        mail(
            "vote_reminder",
            f"regulation-{regulation.pk}-reminder-{person.pk}",
            person,
            regulation,
            _("Напоминание: голосование по положению «%(title)s»") % values,
            _(
                "%(name)s,\n\nВы ещё не проголосовали по Положению о конкурсе «%(title)s». "
                "Голосование закончится %(deadline)s:\n%(url)s\n"
            )
            % {**values, "name": f"{person.first_name} {person.patronymic}"},
        )
        for person in people
    ]


def regulation_decided(regulation) -> list[outbox.Mail]:
    """The council and the chairs learn the result with the tally."""
    approved = regulation.status == regulation.Status.APPROVED
    values = {
        "title": regulation.contest.title,
        "number": regulation.number,
        "outcome": _("утверждено") if approved else _("возвращено на доработку"),
        "tally": "\n".join(
            a.explanation for a in regulation.approvals.select_related("association")
        ),
        "url": url(regulation.get_absolute_url()),
    }
    subject = _("Положение о конкурсе «%(title)s»: %(outcome)s") % values
    body = _(
        "Редакция %(number)s Положения о конкурсе «%(title)s» %(outcome)s.\n%(tally)s\n%(url)s\n"
    )
    return [
        mail(
            "regulation_decided",
            f"regulation-{regulation.pk}-decided-{person.pk}",
            person,
            regulation,
            subject,
            body % values,
        )
        for person in _council(regulation)
    ]


def application_received(application) -> list[outbox.Mail]:
    values = {
        "title": application.contest.title,
        "name": application.display_name,
        "nomination": application.nomination.name,
        "url": url(application.get_absolute_url()),
    }
    return [
        mail(
            "application_received",
            f"application-{application.pk}-received",
            application.applicant,
            application,
            _("Заявка на конкурс «%(title)s» получена") % values,
            _("Заявка «%(name)s» в номинации «%(nomination)s» получена. Её статус: %(url)s\n")
            % values,
        )
    ]


def application_decided(application) -> list[outbox.Mail]:
    accepted = application.status == application.Status.ACCEPTED
    values = {
        "title": application.contest.title,
        "name": application.display_name,
        "url": url(application.get_absolute_url()),
        "reason": application.reject_reason,
    }
    if accepted:
        subject = _("Заявка на конкурс «%(title)s» принята") % values
        body = _("Заявка «%(name)s» принята.\n%(url)s\n") % values
    else:
        subject = _("Заявка на конкурс «%(title)s» отклонена") % values
        body = _("Заявка «%(name)s» отклонена.\nПричина: %(reason)s\n%(url)s\n") % values
    return [
        mail(
            "application_decided",
            f"application-{application.pk}-{application.status}",
            application.applicant,
            application,
            subject,
            body,
        )
    ]


def results_published(contest) -> list[outbox.Mail]:
    accepted = contest.applications.filter(status="accepted").select_related("applicant")
    return [
        mail(
            "results_published",
            f"contest-{contest.pk}-results-{application.pk}",
            application.applicant,
            contest,
            _("Итоги конкурса «%(title)s»") % {"title": contest.title},
            _(
                "Итоги конкурса «%(title)s» опубликованы. «%(name)s»: %(award)s.\n"
                "Диплом или сертификат: %(url)s\n"
            )
            % {
                "title": contest.title,
                "name": application.display_name,
                "award": application.award,
                "url": url(application.get_absolute_url()),
            },
        )
        for application in accepted
    ]


def send(mails: list[outbox.Mail]) -> None:
    """Record the mails in the outbox, in the transaction of the change that causes them."""
    outbox.enqueue(mails)


# What each kind of contest e-mail is, for the contest's deliveries page.
KINDS = {
    "contests.regulation_sent": gettext_lazy("Положение на голосовании совета"),
    "contests.vote_reminder": gettext_lazy("Напоминание о голосовании"),
    "contests.regulation_decided": gettext_lazy("Решение по положению"),
    "contests.application_received": gettext_lazy("Заявка получена"),
    "contests.application_decided": gettext_lazy("Решение по заявке"),
    "contests.results_published": gettext_lazy("Итоги опубликованы"),
}


def about_contest(contest):
    """The outbox rows about a contest, any of its regulation versions or its applications."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from rumo.models import OutboxMessage

    from .models import Application, Contest, Regulation

    types = ContentType.objects.get_for_models(Contest, Regulation, Application)
    return OutboxMessage.objects.filter(
        Q(content_type=types[Contest], object_id=contest.pk)
        | Q(
            content_type=types[Regulation],
            object_id__in=Regulation.objects.filter(contest=contest).values("pk"),
        )
        | Q(
            content_type=types[Application],
            object_id__in=Application.objects.filter(contest=contest).values("pk"),
        )
    )
