"""Forms of the import from Word: the file or pasted text, then the plan's period."""

import zipfile
from io import BytesIO

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Association
from rumo.uploads import check_upload

from .forms_workflow import chaired_associations

MB = 1024 * 1024
MAX_DOCX_BYTES = 20 * MB
MAX_TEXT_CHARS = 500_000
PERIODS = [
    ("year", _("Календарный год")),
    ("academic", _("Учебный год")),
    ("dates", _("Даты")),
]


class ImportForm(forms.Form):
    association = forms.ModelChoiceField(
        label=_("Объединение"), queryset=Association.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Файл Word (.docx)"),
        required=False,
        help_text=_("Документ .docx, не больше 20 МБ. Файлы .doc сначала сохраните как .docx."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document"
            }
        ),
    )
    text = forms.CharField(
        label=_("…или вставьте текст плана"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        strip=False,
        help_text=_(
            "Текст из PDF или письма. Строки таблиц — с табуляцией между столбцами "
            "(так их копирует Word)."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        associations = chaired_associations(user)
        self.fields["association"].queryset = associations
        if len(associations) == 1:
            self.fields["association"].initial = associations[0]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        check_upload(upload, extensions=("docx",), max_bytes=MAX_DOCX_BYTES)
        upload.seek(0)
        try:
            with zipfile.ZipFile(BytesIO(upload.read())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        upload.seek(0)
        if "word/document.xml" not in names:
            raise forms.ValidationError(
                _("Это не документ Word: в файле нет текста документа (word/document.xml)."),
                code="not_docx",
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("text", "").strip():
            raise forms.ValidationError(
                _("Выберите файл .docx или вставьте текст плана."), code="empty"
            )
        return cleaned


class PreviewForm(forms.Form):
    """What the chair may change before the draft is created: whose plan, which period."""

    association = forms.ModelChoiceField(
        label=_("Объединение"), queryset=Association.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label=_("Вид плана"),
        required=False,
        max_length=200,
        help_text=_("Пусто — годовой план работы; иначе, например, «План летней сессии»."),
    )
    period = forms.ChoiceField(label=_("Период"), choices=PERIODS)
    year = forms.IntegerField(
        label=_("Год (первый год учебного)"), min_value=2000, max_value=2100, required=False
    )
    starts_on = forms.DateField(
        label=_("С"),
        required=False,
        help_text=_("Даты — только для периода «Даты»."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=_("По"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = chaired_associations(user)

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period in ("year", "academic") and not cleaned.get("year"):
            self.add_error("year", _("Укажите год плана."))
        if period == "dates":
            starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
            if not starts_on or not ends_on:
                self.add_error("starts_on", _("Укажите даты начала и окончания."))
            elif starts_on > ends_on:
                self.add_error("ends_on", _("Дата окончания раньше даты начала."))
            elif not 2000 <= starts_on.year <= 2100:
                self.add_error("starts_on", _("Год плана — от 2000 до 2100."))
            else:
                cleaned["year"] = starts_on.year
        return cleaned

    def apply(self, spec) -> None:
        """Write the chosen period and kind into the spec."""
        data = self.cleaned_data
        spec.name = data["name"].strip()
        spec.period = data["period"]
        spec.year = data["year"]
        dates = spec.period == "dates"
        spec.starts_on = data["starts_on"] if dates else None
        spec.ends_on = data["ends_on"] if dates else None
