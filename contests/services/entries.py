"""Applications: the window, the files and the consent; the chair accepts or rejects."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import notifications
from ..files import check_upload
from ..models import Application, ApplicationFile, Contest, Nomination

MAX_FILES = 5


def check_window(contest: Contest, today=None) -> None:
    regulation = contest.approved_regulation
    if regulation is None:
        raise ValidationError(_("Положение о конкурсе ещё не утверждено: заявки не принимаются."))
    today = today or timezone.localdate()
    if regulation.application_opens and today < regulation.application_opens:
        raise ValidationError(
            _("Приём заявок начнётся %(date)s.")
            % {"date": date_format(regulation.application_opens, "d.m.Y")}
        )
    if regulation.application_closes and today > regulation.application_closes:
        raise ValidationError(
            _("Приём заявок закончился %(date)s.")
            % {"date": date_format(regulation.application_closes, "d.m.Y")}
        )
    if contest.results_approved_at:
        raise ValidationError(_("Итоги уже подведены: заявки не принимаются."))


def application_errors(regulation, *, nomination, files, consent) -> dict[str, list[str]]:
    """Return every fault of an application at once, by the form field it is about.

    ``nomination`` None or ``files`` None: that part was not readable, it is not judged.
    """
    errors: dict[str, list[str]] = {}
    if nomination is not None and nomination.regulation_id != regulation.pk:
        errors["nomination"] = [_("Такой номинации нет в утверждённом положении.")]
    if regulation.consent_required and not consent:
        errors["consent"] = [_("Без согласия на обработку персональных данных заявку не принять.")]
    if files is None:
        return errors
    if len(files) > MAX_FILES:
        errors["files"] = [_("Не больше %(n)s файлов в заявке.") % {"n": MAX_FILES}]
    elif regulation.required_files and not files:
        errors["files"] = [_("Приложите файлы: %(what)s.") % {"what": regulation.required_files}]
    else:
        for upload in files:
            try:
                check_upload(upload, regulation.extensions())
            except ValidationError as error:
                errors.setdefault("files", []).extend(error.messages)
    return errors


@transaction.atomic
def submit_application(
    contest: Contest,
    applicant,
    *,
    nomination: Nomination,
    files=(),
    consent: bool,
    participant_name: str = "",
    organization=None,
    work_title: str = "",
    today=None,
) -> Application:
    """Check everything first, then save the application and its files together."""
    check_window(contest, today)
    regulation = contest.approved_regulation
    files = list(files)
    errors = application_errors(regulation, nomination=nomination, files=files, consent=consent)
    if errors:
        raise ValidationError(errors)
    application = Application.objects.create(
        contest=contest,
        nomination=nomination,
        applicant=applicant,
        participant_name=participant_name.strip(),
        organization=organization or applicant.organization,
        work_title=work_title.strip(),
        consent_at=timezone.now() if consent else None,
    )
    for upload in files:
        ApplicationFile.objects.create(application=application, file=upload, name=upload.name[:255])
    notifications.send(notifications.application_received(application))
    return application


@transaction.atomic
def decide_application(application: Application, *, accept: bool, reason: str = "") -> Application:
    if application.contest.results_approved_at:
        raise ValidationError(_("Итоги уже утверждены: заявки не меняются."))
    if not accept and not reason.strip():
        raise ValidationError(_("Напишите причину отклонения: её увидит заявитель."))
    application.status = Application.Status.ACCEPTED if accept else Application.Status.REJECTED
    application.reject_reason = "" if accept else reason.strip()
    application.save(update_fields=["status", "reject_reason"])
    notifications.send(notifications.application_decided(application))
    return application
