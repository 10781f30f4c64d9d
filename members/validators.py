"""Checks on what people type into the data bank; messages name what is wrong."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

PHONE_ALLOWED = re.compile(r"^\+?[\d\s()\-]+$")
MAX_EXPERIENCE_YEARS = 70


def validate_phone(value: str) -> None:
    digits = re.sub(r"\D", "", value)
    if not PHONE_ALLOWED.match(value) or not 6 <= len(digits) <= 15:
        raise ValidationError(
            _("Номер телефона: только цифры, пробелы, скобки, дефис и «+», от 6 до 15 цифр."),
            code="phone",
        )


def validate_not_future(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("Дата не может быть в будущем."), code="future")


def validate_year_not_future(value) -> None:
    if value is not None and value > timezone.localdate().year:
        raise ValidationError(_("Год не может быть в будущем."), code="future")
