from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from members.models import Association
from rumo.uploads import check_upload

from . import services
from .models import AgendaItem, Meeting, Response
from .pdf import speaker_text

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024
DOCUMENT_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "odt",
    "rtf",
    "txt",
    "ppt",
    "pptx",
    "odp",
    "xls",
    "xlsx",
    "ods",
    "jpg",
    "jpeg",
    "png",
    "zip",
]
MONTH_CHOICES = [("", _("— не выбран —"))] + [(number, MONTHS[number]) for number in range(1, 13)]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def moscow_time(day, at) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), ZoneInfo(settings.TIME_ZONE))


class ServiceErrors:
    """Show a services.MeetingError on the form, next to the field it is about."""

    FIELD_FOR = {"starts_at": "date"}

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = self.FIELD_FOR.get(name, name)
            self.add_error(field if field in self.fields else None, errors)


class ScheduleFields(ServiceErrors, forms.Form):
    """Date and time (Moscow), format and place; ``starts_at`` is built from them."""

    date = forms.DateField(label=_("Дата"), required=False, widget=DATE_INPUT)
    time = forms.TimeField(label=_("Время (московское)"), required=False, widget=TIME_INPUT)
    format = forms.ChoiceField(
        label=_("Формат"), choices=Meeting.Format.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label=_("Место"),
        max_length=500,
        required=False,
        help_text=_("Для очного заседания: организация, адрес, аудитория."),
    )
    link = forms.URLField(
        label=_("Ссылка на трансляцию"),
        required=False,
        assume_scheme="https",
        help_text=_("Для онлайн-заседания."),
    )

    # Fields whose own errors keep the schedule from being judged (they already say what is
    # wrong); errors of other fields (a long topic) do not: every error shows at once.
    SCHEDULE = {"date", "time"}

    def schedule_is_readable(self) -> bool:
        return not self.SCHEDULE & set(self.errors)

    def clean(self):
        data = super().clean()
        day, at = data.get("date"), data.get("time")
        if not {"date", "time"} & set(self.errors):  # else «Введите правильную дату» is enough
            if day and not at:
                self.add_error("time", _("Укажите время начала."))
            elif at and not day:
                self.add_error("date", _("Укажите дату."))
        data["starts_at"] = moscow_time(day, at) if day and at else None
        return data


class MeetingForm(ScheduleFields):
    association = forms.ModelChoiceField(
        label=_("Объединение"), queryset=Association.objects.none()
    )
    year = forms.TypedChoiceField(label=_("Год"), coerce=int)
    planned_month = forms.TypedChoiceField(
        label=_("Планируемый месяц"),
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Если точная дата ещё не известна."),
    )
    topic = forms.CharField(label=_("Тема"), max_length=500, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Продолжительность, мин"), min_value=15, max_value=600, initial=120
    )
    field_order = [
        "association",
        "year",
        "planned_month",
        "date",
        "time",
        "format",
        "place",
        "link",
        "topic",
        "duration_minutes",
    ]

    def __init__(self, *args, associations=None, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in (year, year + 1)]
        if meeting is None:
            self.fields["association"].queryset = associations
            if associations is not None and len(associations) == 1:
                self.fields["association"].initial = associations[0]
            return
        del self.fields["association"]
        self.fields["year"].choices = [(meeting.year, meeting.year)]
        self.fields["year"].disabled = True
        if meeting.is_announced:
            # An announced meeting moves by services.reschedule_meeting (members are told).
            for name in ("planned_month", "date", "time", "format", "place", "link"):
                self.fields[name].disabled = True

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        local = timezone.localtime(meeting.starts_at) if meeting.starts_at else None
        return {
            "year": meeting.year,
            "planned_month": meeting.planned_month,
            "date": local.date() if local else None,
            "time": local.time() if local else None,
            "format": meeting.format,
            "place": meeting.place,
            "link": meeting.link,
            "topic": meeting.topic,
            "duration_minutes": meeting.duration_minutes,
        }

    SCHEDULE = {"date", "time", "planned_month", "year"}

    def clean(self):
        data = super().clean()
        if not self.schedule_is_readable():
            return data
        if not data["starts_at"] and not data.get("planned_month"):
            self.add_error("planned_month", _("Укажите месяц или точные дату и время."))
            return data
        if self.meeting is None or {"date", "time", "planned_month"} & set(self.changed_data):
            year = data["year"]
            if self.meeting is None and data["starts_at"]:
                year = timezone.localtime(data["starts_at"]).year
            try:
                services.check_schedule(
                    year=year,
                    starts_at=data["starts_at"],
                    planned_month=data.get("planned_month"),
                    moving=self.meeting is not None,
                )
            except ValidationError as error:
                self.add_service_error(error)
        return data

    def details(self) -> dict:
        """Return the meeting's fields as the services take them."""
        data = self.cleaned_data
        names = ["format", "place", "link", "topic", "duration_minutes", "starts_at"]
        details = {name: data[name] for name in names}
        details["planned_month"] = data.get("planned_month")
        return details


class RescheduleForm(ScheduleFields):
    note = forms.CharField(
        label=_("Что изменилось и почему"),
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Этот текст увидят участники в уведомлении о переносе."),
    )

    def clean(self):
        data = super().clean()
        if self.schedule_is_readable() and not data["starts_at"]:
            self.add_error("date", _("Укажите новые дату и время."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отмены"),
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Её увидят участники в уведомлении об отмене."),
    )


class SpeakerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return speaker_text(obj)


class AgendaItemForm(forms.ModelForm):
    speaker_members = SpeakerChoice(
        label=_("Докладчики — члены объединения"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple({"data-checklist": ""}),
        help_text=_("Отметьте одного или нескольких; поиск по фамилии сужает список."),
    )
    document = forms.FileField(
        label=_("Материалы (до 20 МБ)"),
        required=False,
        widget=forms.ClearableFileInput(
            {"accept": ",".join(f".{extension}" for extension in DOCUMENT_EXTENSIONS)}
        ),
    )
    clear_document = forms.BooleanField(label=_("Удалить приложенный файл"), required=False)

    class Meta:
        model = AgendaItem
        fields = ["title", "speakers", "speaker_members"]
        widgets = {"title": forms.Textarea({"rows": 2})}
        labels = {"speakers": _("Докладчики (текстом)")}
        help_texts = {"speakers": _("Например: «Опыт работы библиотеки ЧПК им. Н.В. Никольского»")}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = services.association_members(meeting.association)
        if self.instance.pk:  # a speaker who has left still shows on the old question
            members = members | self.instance.speaker_members.all()
        self.fields["speaker_members"].queryset = (
            members.distinct().select_related("organization").order_by("last_name", "first_name")
        )
        if not (self.instance.pk and self.instance.document):
            del self.fields["clear_document"]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            check_upload(document, extensions=DOCUMENT_EXTENSIONS, max_bytes=MAX_DOCUMENT_SIZE)
        return document

    def item_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "speakers": data["speakers"],
            "speaker_members": data["speaker_members"],
            "document": data.get("document"),
        }


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Присутствовали"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple({"class": "attendance-choice"}),
    )
    invited_count = forms.IntegerField(
        label=_("Приглашённые гости"), min_value=0, max_value=1000, initial=0
    )
    invited_names = forms.CharField(
        label=_("Кто приглашён"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("По одному на строку, как в протоколе: «Е.В. Петрова, ЧРИО»."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = services.association_members(
            meeting.association, on=services.meeting_day(meeting)
        )
        field = self.fields["present"]
        field.queryset = members.select_related("organization").order_by("last_name", "first_name")
        field.label_from_instance = speaker_text


class MinutesForm(forms.Form):
    chair_name = forms.CharField(
        label=_("Председатель заседания"),
        max_length=200,
        help_text=_("Как в подписи: «С.Н. Лоскутова»."),
    )
    secretary_name = forms.CharField(
        label=_("Секретарь заседания"),
        max_length=200,
        help_text=_("Как в подписи: «И.Г. Николаева»."),
    )


class ItemMinutesForm(ServiceErrors, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["heard", "spoke", "decided", "votes_for", "votes_against", "votes_abstained"]
        labels = {"heard": _("СЛУШАЛИ"), "spoke": _("ВЫСТУПИЛИ"), "decided": _("РЕШИЛИ")}
        widgets = {
            "heard": forms.Textarea({"rows": 3}),
            "spoke": forms.Textarea({"rows": 2}),
            "decided": forms.Textarea({"rows": 3}),
            "votes_for": forms.NumberInput({"min": 0, "inputmode": "numeric"}),
            "votes_against": forms.NumberInput({"min": 0, "inputmode": "numeric"}),
            "votes_abstained": forms.NumberInput({"min": 0, "inputmode": "numeric"}),
        }

    def __init__(self, *args, limit: int, **kwargs):
        kwargs.setdefault("prefix", f"item-{kwargs['instance'].pk}")
        super().__init__(*args, **kwargs)
        self.limit = limit

    def clean(self):
        data = super().clean()
        votes = [data.get(n) for n in ("votes_for", "votes_against", "votes_abstained")]
        try:
            services.check_votes(self.limit, *votes)
        except ValidationError as error:
            self.add_error(None, error)
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=Response.Answer.choices)


class MeetingFilterForm(forms.Form):
    association = forms.ModelChoiceField(
        label=_("Объединение"),
        queryset=Association.objects.none(),
        required=False,
        empty_label=_("Все мои объединения"),
    )

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations
