from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from . import outbox
from .accounts import login_wait
from .documents import normalize_code
from .models import IssuedDocument

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class PdfUploadForm(forms.Form):
    """A PDF to check against the register; ``cleaned_data["file"]`` is its bytes."""

    file = forms.FileField(
        label=_("PDF-файл документа"),
        help_text=_("Файл, который вы получили, размером до 20 МБ."),
        error_messages={
            "required": _("Выберите PDF-файл."),
            "empty": _("Файл пуст."),
            "invalid": _("Не удалось прочитать файл. Выберите PDF-файл ещё раз."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Файл больше 20 МБ: это не документ портала."))
        data = upload.read()
        if not data:
            raise forms.ValidationError(_("Файл пуст."))
        # The PDF header may follow a few bytes of junk, within the first kilobyte.
        if b"%PDF-" not in data[:1024]:
            raise forms.ValidationError(_("Это не PDF-файл."))
        return data


class CodeForm(forms.Form):
    """A verification code typed from paper, or the whole link pasted."""

    code = forms.CharField(
        label=_("Код проверки"),
        max_length=200,
        help_text=_("Код напечатан под QR-кодом документа, например 7KQ2M9XHRD."),
        error_messages={"required": _("Введите код проверки.")},
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        document = IssuedDocument.objects.issued().filter(code=code).first() if code else None
        if document is None:
            raise forms.ValidationError(_("Документ с таким кодом не найден. Проверьте код."))
        self.cleaned_data["document"] = document
        return code


class LoginForm(AuthenticationForm):
    """The login form; after repeated failures the password is not even checked for a while."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            wait = login_wait(username, self.request.META.get("REMOTE_ADDR"))
            if wait:
                raise forms.ValidationError(
                    _(
                        "Слишком много неудачных попыток входа в эту учётную запись. "
                        "Пароль не проверялся: повторите попытку через %(seconds)d с."
                    )
                    % {"seconds": wait},
                    code="throttled",
                )
        return super().clean()


class OutboxPasswordResetForm(PasswordResetForm):
    """The password reset form, its e-mail recorded in the outbox and sent in the background."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        body = loader.render_to_string(email_template_name, context)
        user = context["user"]
        with transaction.atomic():
            outbox.enqueue(
                [
                    outbox.Mail(
                        key=f"password_reset:{user.pk}:{context['token']}",
                        kind="password_reset",
                        about=user,
                        to_email=to_email,
                        to_name=user.get_full_name(),
                        subject=subject,
                        body=body,
                    )
                ]
            )
