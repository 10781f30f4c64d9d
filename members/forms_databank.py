"""Forms of the data bank: profile, consent, courses, awards, campaigns, import, council,
award petitions."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .files import check_certificate
from .models import (
    Association,
    Award,
    AwardNominee,
    AwardPetition,
    Campaign,
    Course,
    Member,
    Membership,
    Organization,
)
from .services.profile import PROFILE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = list(PROFILE_FIELDS)
        widgets = {"category_date": DATE, "phone": forms.TextInput(attrs={"type": "tel"})}
        help_texts = {"phone": _("Например: +7 (8352) 12-34-56")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("short_name")
        for name in ("total_experience", "library_experience"):
            self.fields[name].widget.attrs.update(min=0, max=70)


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("Я прочитал(а) текст и даю согласие на обработку моих персональных данных"),
        error_messages={"required": _("Без согласия Rumo не может хранить ваш профиль.")},
    )


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "organizer", "hours", "year", "certificate"]
        widgets = {
            "certificate": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})
        }

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if upload and hasattr(upload, "content_type"):
            check_certificate(upload)
        return upload


class AwardForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ["title", "year", "issued_by"]


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Комментарий (необязательно)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    understood = forms.BooleanField(
        label=_("Я понимаю, что будет удалено, а что останется в документах объединения")
    )


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["association", "title", "due_date", "reminder_interval_days"]
        widgets = {"due_date": DATE}

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations
        self.fields["association"].empty_label = None

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Срок не может быть в прошлом."))
        return due


class DirectoryForm(forms.Form):
    """The directory's search and filters. The lists of associations and organizations
    to choose from are cached with the page (members.views.directory), so the form only
    checks that an id is a number: an unknown one finds nobody."""

    q = forms.CharField(label=_("Поиск"), required=False, max_length=100)
    association = forms.IntegerField(label=_("Объединение"), required=False, min_value=1)
    organization = forms.IntegerField(label=_("Организация"), required=False, min_value=1)

    def filters(self) -> tuple[str, int | None, int | None]:
        """Return (search text, association id, organization id); nothing when invalid."""
        if not self.is_valid():
            return "", None, None
        data = self.cleaned_data
        return " ".join(data["q"].split()), data["association"], data["organization"]


class ImportForm(forms.Form):
    association = forms.ModelChoiceField(
        label=_("Объединение"), queryset=Association.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Файл XLSX или CSV"),
        help_text=_(
            "Первая строка — заголовки: Фамилия, Имя, Отчество, Организация, Должность, "
            "Электронная почта, Телефон и поля банка данных, в любом порядке. "
            "CSV — в кодировке UTF-8 или Windows-1251, разделитель «;» или «,»."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Загрузите файл XLSX или CSV."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Файл больше 20 МБ; разделите его на части."))
        return upload


class CouncilElectionForm(forms.Form):
    year = forms.IntegerField(label=_("Год"), min_value=2000, max_value=2100)
    elected_on = forms.DateField(label=_("Дата выборов (заседание № 1)"), widget=DATE)
    term_start = forms.DateField(label=_("Полномочия с"), widget=DATE)
    term_end = forms.DateField(label=_("Полномочия по"), widget=DATE)
    basis = forms.CharField(
        label=_("Основание"), max_length=255,
        help_text=_("Например: «протокол заседания № 1 от 25.01.2024, вопрос 3»."),
    )  # fmt: skip
    chair = forms.ModelChoiceField(label=_("Председатель"), queryset=Member.objects.none())
    deputy = forms.ModelChoiceField(
        label=_("Заместитель председателя"), queryset=Member.objects.none(), required=False
    )
    secretary = forms.ModelChoiceField(
        label=_("Секретарь"), queryset=Member.objects.none(), required=False
    )
    council = forms.ModelMultipleChoiceField(
        label=_("Члены совета"), queryset=Member.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-checklist": ""}),
    )  # fmt: skip

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone who has belonged to the association: past councils are recorded too.
        belonged = Membership.objects.filter(member=OuterRef("pk"), association=association)
        people = Member.objects.filter(Exists(belonged)).select_related("organization")
        for name in ("chair", "deputy", "secretary", "council"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda m: (
                f"{m.full_name} ({m.organization or '—'})"
            )

    def clean(self):
        cleaned = super().clean()
        start, end, elected = (cleaned.get(k) for k in ("term_start", "term_end", "elected_on"))
        if start and end and end < start:
            self.add_error("term_end", _("Окончание полномочий раньше начала."))
        if elected and elected > timezone.localdate():
            self.add_error("elected_on", _("Дата выборов не может быть в будущем."))
        return cleaned

    def seats(self) -> list[tuple[Member, str]]:
        Role = Membership.Role
        data = self.cleaned_data
        seats = [(data[k], role) for k, role in
                 (("chair", Role.CHAIR), ("deputy", Role.DEPUTY), ("secretary", Role.SECRETARY))
                 if data.get(k)]  # fmt: skip
        return seats + [(m, Role.COUNCIL) for m in data.get("council", [])]


MERITS_MAX = AwardNominee._meta.get_field("reason").max_length


class PetitionForm(forms.ModelForm):
    """The award, the addressee and whom to put forward: the association's current members.

    The nominees are chosen with the picker of members.nominees (the template draws it);
    this form only checks the chosen ids, in one query.
    """

    members = forms.ModelMultipleChoiceField(
        label=_("Кого представить к награде"),
        queryset=Member.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Отметьте хотя бы одного участника.")},
    )

    class Meta:
        model = AwardPetition
        fields = ["award", "addressee"]

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:  # only checking needs them (building the query is not free)
            self.fields["members"].queryset = Member.objects.of_association(association)


class MeritsForm(forms.Form):
    """One text per nominee: the merits the petition states for them (blank while drafting)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.member_ids = [row.member_id for row in rows]
        for row in rows:
            self.fields[f"reason_{row.member_id}"] = forms.CharField(
                label=_("Заслуги: %(name)s") % {"name": row.full_name},
                required=False,
                max_length=MERITS_MAX,
                initial=row.reason,
                widget=forms.Textarea(attrs={"rows": 4, "maxlength": MERITS_MAX}),
            )

    def reasons(self) -> dict[int, str]:
        return {pk: self.cleaned_data[f"reason_{pk}"] for pk in self.member_ids}

    def field_of(self, member_id: int):
        return self[f"reason_{member_id}"]
