"""Forms of the plan workflow: creating a plan, returning it, paper signatures, scans."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Association, Membership
from rumo.uploads import check_upload

from .models import Plan, Revision

EMPTY = "empty"
MB = 1024 * 1024

SCAN_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


def source_revision(plan: Plan) -> Revision | None:
    """Return the revision a copy starts from: the approved one, else the newest."""
    revisions = sorted(plan.revisions.all(), key=lambda r: r.number, reverse=True)
    approved = [r for r in revisions if r.status == Revision.Status.APPROVED]
    return (approved or revisions or [None])[0]


def chaired_associations(user):
    return Association.objects.filter(
        memberships__in=Membership.objects.active().filter(
            member__user=user, role__in=[Membership.Role.CHAIR, Membership.Role.DEPUTY]
        )
    ).distinct()


def plan_exists_message(year: int, period: str = Plan.Period.YEAR) -> str:
    if period == Plan.Period.ACADEMIC:
        text = _("Такой план этого объединения на %(year)s–%(next)s учебный год уже есть.")
        return text % {"year": year, "next": year + 1}
    if period == Plan.Period.DATES:
        return _("Такой план этого объединения на эти даты уже есть.")
    return _("План этого объединения на %(year)s год уже есть.") % {"year": year}


class PlanCreateForm(forms.Form):
    association = forms.ModelChoiceField(
        label=_("Объединение"), queryset=Association.objects.none(), empty_label=None
    )
    period = forms.ChoiceField(
        label=_("Период"), choices=Plan.Period.choices, initial=Plan.Period.YEAR,
        widget=forms.RadioSelect, required=False,
    )  # fmt: skip
    year = forms.IntegerField(
        label=_("Год плана"), min_value=2000, max_value=2100, required=False,
        help_text=_("Для учебного года — год его начала (2024 для 2024–2025)."),
    )  # fmt: skip
    starts_on = forms.DateField(
        label=_("Начало"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    ends_on = forms.DateField(
        label=_("Окончание"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    name = forms.CharField(
        label=_("Вид плана"), max_length=200, required=False,
        help_text=_("Пусто — годовой план работы; иначе, например, «План летней сессии»."),
    )  # fmt: skip
    basis = forms.ChoiceField(label=_("Основа"), widget=forms.RadioSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        associations = chaired_associations(user)
        self.fields["association"].queryset = associations
        self.fields["year"].initial = timezone.localdate().year + 1
        requested = str(self.initial.get("year", ""))
        year = int(requested) if requested.isdigit() else self.fields["year"].initial
        self.plans = {
            str(plan.pk): plan
            for plan in Plan.objects.filter(association__in=associations)
            .select_related("association")
            .prefetch_related("revisions")
            .order_by("association__name", "-year")
        }
        several = len(associations) > 1
        self.fields["basis"].choices = [(EMPTY, _("Пустой план: разделы по образцу"))] + [
            (key, self.copy_label(plan, several)) for key, plan in self.plans.items()
        ]
        earlier = (key for key, plan in self.plans.items() if plan.year < year)
        self.fields["basis"].initial = next(earlier, EMPTY)
        if len(associations) == 1:
            self.fields["association"].initial = associations[0]

    @staticmethod
    def copy_label(plan: Plan, several: bool) -> str:
        label = _("Копия: %(heading)s") % {"heading": plan.heading}
        return f"{label} — {plan.association.short_name}" if several else label

    def clean(self):
        cleaned = super().clean()
        association, year = cleaned.get("association"), cleaned.get("year")
        period = cleaned["period"] = cleaned.get("period") or Plan.Period.YEAR
        name = cleaned.get("name", "")
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        basis = cleaned.get("basis")
        cleaned["copy_from"] = None
        if period == Plan.Period.DATES:
            if not (starts_on and ends_on):
                self.add_error("starts_on", _("Укажите даты начала и окончания."))
                return cleaned
            if starts_on > ends_on:
                self.add_error("ends_on", _("Окончание не может быть раньше начала."))
                return cleaned
            year = cleaned["year"] = starts_on.year
            if not 2000 <= year <= 2100:
                self.add_error("starts_on", _("Год плана — от 2000 до 2100."))
                return cleaned
        elif not year:
            if "year" not in self.errors:
                self.add_error("year", _("Укажите год плана."))
            return cleaned
        bounds = Plan.period_bounds(period, year, starts_on, ends_on) if year else None
        same = bounds and Plan.objects.filter(
            association=association, name=name, starts_on=bounds[0], ends_on=bounds[1]
        )
        if association and year and same:
            self.add_error("year", plan_exists_message(year, period))
        elif basis and basis != EMPTY and association and year:
            plan = self.plans[basis]
            if plan.association_id != association.pk:
                self.add_error("basis", _("Этот план другого объединения."))
            elif plan.year >= year:
                self.add_error("basis", _("Копировать можно только план прошлых лет."))
            else:
                cleaned["copy_from"] = source_revision(plan)
        return cleaned


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Что нужно исправить"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Председатель увидит эти замечания на странице плана и в письме."),
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Напишите, что нужно исправить."))
        return comment


class PaperSignatureForm(forms.Form):
    person_name = forms.CharField(label=_("Кто подписал (ФИО)"), max_length=200)
    signed_on = forms.DateField(
        label=_("Дата подписи"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    scan = forms.FileField(
        label=_("Скан подписанной страницы"),
        required=False,
        help_text=_("PDF, JPEG или PNG, не больше 10 МБ."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("Дата подписи не может быть в будущем."))
        return signed_on

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan:
            check_upload(scan, extensions=SCAN_EXTENSIONS, max_bytes=10 * MB)
        return scan


class ScanUploadForm(forms.Form):
    scan = forms.FileField(
        label=_("Скан подписанного бумажного экземпляра"),
        help_text=_("PDF, не больше 20 МБ."),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        check_upload(scan, extensions=("pdf",), max_bytes=20 * MB)
        return scan
