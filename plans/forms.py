"""Forms of the plan pages: searching plans and editing a draft in place."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.models import Contest
from meetings.models import Meeting
from members.models import Association, Member, Membership

from .models import Item, Revision, Section, Stamp


class PlanSearchForm(forms.Form):
    association = forms.ModelChoiceField(
        label=_("Объединение"),
        queryset=Association.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Все объединения"),
    )
    year = forms.IntegerField(label=_("Год"), required=False, min_value=2000, max_value=2100)


class DiffForm(forms.Form):
    a = forms.IntegerField(required=False, min_value=1)
    b = forms.IntegerField(required=False, min_value=1)


class MoveForm(forms.Form):
    index = forms.IntegerField(min_value=0, max_value=10_000)


class DeleteForm(forms.Form):
    """The confirmation of a delete: carries the version of the row the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, data=None, *, row):
        super().__init__(data, initial={"version": row.version})
        self.auto_id = f"id_delete_{row._meta.model_name}{row.pk}_%s"


class InPlaceForm(forms.ModelForm):
    """A form opened inside the page: ids unique to its row, focus on its first field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        section = getattr(self, "section", None)
        row = self.instance.pk or (f"new{section.pk}" if section else "new")
        self.auto_id = f"id_{self._meta.model._meta.model_name}{row}_%s"
        first = next((f for f in self.fields.values() if not f.widget.is_hidden), None)
        if first is not None:
            first.widget.attrs["autofocus"] = True


class VersionedForm(InPlaceForm):
    """A form over a row that carries the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def with_version(self, version: int) -> "VersionedForm":
        """Return the same input bound to ``version``: saving again overwrites deliberately."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        return type(self)(data, instance=self.instance, **self.extra)

    def __init__(self, *args, **kwargs):
        self.extra = {k: kwargs.pop(k) for k in list(kwargs) if k in ("section",)}
        self.section = self.extra.get("section")
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class HeaderForm(VersionedForm):
    class Meta:
        model = Revision
        fields = ["title", "place", "signature_position", "signature_name", "version"]
        widgets = {"title": forms.Textarea(attrs={"rows": 4})}
        labels = {"signature_position": _("Должность в подписи в конце плана")}


class StampForm(VersionedForm):
    class Meta:
        model = Stamp
        fields = ["kind", "position", "person_name", "version"]
        widgets = {"position": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"position": _("Каждая строка должности — с новой строки.")}

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        others = Stamp.objects.filter(revision=self.instance.revision_id, kind=kind)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Такой гриф в плане уже есть."))
        return kind


class SectionAddForm(InPlaceForm):
    class Meta:
        model = Section
        fields = ["kind", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class SectionForm(VersionedForm):
    class Meta:
        model = Section
        fields = ["title", "text", "version"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


# Which fields an item has in each kind of section: a numbered list is text only.
ITEM_FIELDS = {
    Section.Kind.NUMBERED: ["text"],
    Section.Kind.EVENTS: [
        "text",
        "timing",
        "place",
        "responsible",
        "responsible_members",
        "meeting",
        "contest",
    ],
    Section.Kind.MEETINGS: [
        "text",
        "timing",
        "place",
        "responsible",
        "responsible_members",
        "meeting",
        "contest",
    ],
    Section.Kind.ORGWORK: ["text", "timing", "place", "meeting", "contest"],
}


class ItemForm(VersionedForm):
    """An item of ``section``: its links offer the association's people, meetings and contests."""

    class Meta:
        model = Item
        fields = [
            "text",
            "timing",
            "place",
            "responsible",
            "responsible_members",
            "meeting",
            "contest",
            "version",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "responsible": forms.Textarea(attrs={"rows": 2}),
            "responsible_members": forms.CheckboxSelectMultiple(attrs={"data-checklist": ""}),
        }
        help_texts = {
            "timing": _("Как в документе: «апрель-май», «в течение года»."),
            "responsible_members": _("Необязательно; можно выбрать нескольких."),
        }

    def __init__(self, *args, section: Section, **kwargs):
        super().__init__(*args, section=section, **kwargs)
        plan = section.revision.plan
        wanted = ITEM_FIELDS.get(section.kind, ["text"])
        for name in [n for n in self.fields if n not in wanted and n != "version"]:
            del self.fields[name]
        if "responsible_members" in self.fields:
            linked = self.instance.pk and self.instance.responsible_members.all()
            in_association = Membership.objects.active().filter(association=plan.association_id)
            self.fields["responsible_members"].queryset = Member.objects.filter(
                Q(pk__in=in_association.values("member")) | Q(pk__in=linked or [])
            ).order_by("last_name", "first_name")
        if "meeting" in self.fields:
            meetings = Meeting.objects.of_year(plan.association_id, plan.year)
            self.fields["meeting"].queryset = meetings
            self.fields["meeting"].help_text = _("Текст пункта заменят номер и повестка заседания.")
        if "contest" in self.fields:
            self.fields["contest"].queryset = Contest.objects.filter(year=plan.year)

    def changes(self) -> dict:
        fields = super().changes()
        if "responsible_members" in fields:
            fields["responsible_members"] = list(fields["responsible_members"])
        return fields


class AddItemForm(ItemForm):
    """A new item: no version yet."""

    version = None

    class Meta(ItemForm.Meta):
        fields = [name for name in ItemForm.Meta.fields if name != "version"]


class ExecutionForm(InPlaceForm):
    class Meta:
        model = Item
        fields = ["execution", "execution_note"]
        labels = {"execution_note": _("Примечание")}
