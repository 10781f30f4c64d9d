from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem
from members.models import Association, Member

from .models import (
    Award,
    Clause,
    Contest,
    CouncilVote,
    Criterion,
    ExternalParticipation,
    Nomination,
    Organiser,
    Person,
    Regulation,
    Section,
    Stage,
    Stamp,
)
from .services.entries import application_errors
from .services.regulations import COPIED_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContestForm(forms.Form):
    title = forms.CharField(label=_("Название конкурса"), max_length=500)
    year = forms.IntegerField(label=_("Год"), min_value=2000, max_value=2100)
    organizers = forms.ModelMultipleChoiceField(
        label=_("Организаторы"),
        queryset=Association.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Конкурс, который проводят несколько объединений, утверждает совет каждого."),
    )

    def __init__(self, *args, managed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.managed = managed
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        organizers = data.get("organizers")
        mine = set(self.managed) if self.managed is not None else None
        if organizers is not None and mine is not None and not set(organizers) & mine:
            raise ValidationError(_("Среди организаторов должно быть ваше объединение."))
        title, year = data.get("title"), data.get("year")
        if title and year and Contest.objects.filter(title=title, year=year).exists():
            raise ValidationError(_("Конкурс с таким названием в этом году уже есть."))
        return data


class RegulationForm(forms.ModelForm):
    class Meta:
        model = Regulation
        fields = COPIED_FIELDS
        widgets = {
            "application_opens": DATE,
            "application_closes": DATE,
            "contacts": forms.Textarea(attrs={"rows": 3}),
            "appendix": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("application_opens"), data.get("application_closes")
        if opens and closes and opens > closes:
            raise ValidationError(_("Приём заявок не может закончиться раньше, чем начнётся."))
        return data


class ClauseForm(forms.ModelForm):
    class Meta:
        model = Clause
        fields = ["parent", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "text": _(
                "Номер пункта ставится сам. Строки, начинающиеся с «– » или «- », "
                "станут списком и сохранят свой знак."
            )
        }

    def __init__(self, *args, section=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Clause.objects.filter(section=section)
        if self.instance.pk:
            queryset = queryset.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = queryset
        self.fields["parent"].required = False


def block_form(model, fields, widgets=None):
    return forms.modelform_factory(model, fields=fields, widgets=widgets or {})


BLOCKS = {
    "stamp": (
        Stamp,
        _("Гриф"),
        ["kind", "by_council_decision", "member", "signer_name", "signer_position", "position"],
    ),
    "section": (Section, _("Раздел"), ["title", "position"]),
    "organiser": (Organiser, _("Организатор"), ["name", "role", "association", "position"]),
    "nomination": (Nomination, _("Номинация"), ["name", "category", "position"]),
    "stage": (Stage, _("Этап"), ["what", "starts", "ends", "place", "position"]),
    "criterion": (Criterion, _("Критерий"), ["name", "max_points", "weight", "position"]),
    "person": (
        Person,
        _("Жюри или оргкомитет"),
        ["group", "is_chair", "member", "name", "position_text", "position"],
    ),
    "award": (Award, _("Награда"), ["place", "title", "position"]),
}
BLOCK_FORMS = {
    kind: block_form(model, fields, {"starts": DATE, "ends": DATE})
    for kind, (model, _label, fields) in BLOCKS.items()
}


class SendForm(forms.Form):
    vote_deadline = forms.DateTimeField(
        label=_("Голосование до"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Члены совета получат письмо; за день до срока не проголосовавшим придёт напоминание."
        ),
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Ваш голос"), choices=CouncilVote.Choice, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Комментарий"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    association = forms.ModelChoiceField(
        label=_("Совет какого объединения"), queryset=Association.objects.none()
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Вопрос повестки заседания"), queryset=AgendaItem.objects.none(), required=False
    )
    protocol_date = forms.DateField(label=_("Дата протокола"), required=False, widget=DATE)
    protocol_number = forms.CharField(label=_("Номер протокола"), max_length=20, required=False)

    def __init__(self, *args, contest=None, **kwargs):
        super().__init__(*args, **kwargs)
        organizers = contest.organizers.all()
        self.fields["association"].queryset = organizers
        self.fields["agenda_item"].queryset = (
            AgendaItem.objects.filter(meeting__association__in=organizers)
            .select_related("meeting")
            .order_by("-meeting__year", "-meeting__number", "position")
        )
        self.fields["agenda_item"].label_from_instance = lambda item: (
            f"Заседание № {item.meeting.number} ({item.meeting.year}): {item.title[:90]}"
        )

    def clean(self):
        data = super().clean()
        if not data.get("agenda_item") and not (
            data.get("protocol_date") and data.get("protocol_number")
        ):
            raise ValidationError(_("Выберите вопрос повестки или укажите дату и номер протокола."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.Form):
    nomination = forms.ModelChoiceField(label=_("Номинация"), queryset=Nomination.objects.none())
    participant_name = forms.CharField(
        label=_("Участник (ФИО), если заявка за студента"), required=False, max_length=300
    )
    work_title = forms.CharField(label=_("Название работы"), required=False, max_length=500)
    files = MultipleFileField(label=_("Файлы"), required=False)
    consent = forms.BooleanField(
        label=_("Согласен(на) на обработку персональных данных для проведения конкурса"),
        required=False,
    )

    def __init__(self, *args, regulation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regulation = regulation
        self.fields["nomination"].queryset = regulation.nominations.all()
        self.fields["files"].help_text = _("%(what)s. Типы: %(ext)s; до 10 МБ каждый.") % {
            "what": regulation.required_files or _("По желанию"),
            "ext": regulation.allowed_extensions,
        }

    def clean(self):
        """Judge the nomination, the consent and the files together: every fault at once."""
        data = super().clean()
        errors = application_errors(
            self.regulation,
            nomination=data.get("nomination"),
            files=None if "files" in self.errors else data.get("files", []),
            consent=data.get("consent", False),
        )
        for field, messages in errors.items():
            self.add_error(field, messages)
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отклонения"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class JurorForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Член жюри"),
        queryset=Member.objects.filter(user__isnull=False).select_related("organization"),
        help_text=_("Участник Rumo или внешний эксперт с учётной записью."),
    )
    is_chair = forms.BooleanField(label=_("Председатель жюри"), required=False)


class ExternalForm(forms.ModelForm):
    class Meta:
        model = ExternalParticipation
        fields = [
            "association",
            "contest_title",
            "organiser",
            "level",
            "year",
            "member",
            "participant_name",
            "organization",
            "result",
        ]

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations
        self.fields["member"].queryset = Member.objects.select_related("organization")

    def clean(self):
        data = super().clean()
        if not data.get("member") and not data.get("participant_name"):
            raise ValidationError(_("Выберите участника из Rumo или впишите ФИО студента."))
        return data
