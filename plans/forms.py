"""Forms of the plan pages: searching plans and editing a draft in place."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contests.models import Contest
from meetings.models import Meeting
from members.models import Association, Member, Membership

from .models import COLUMNS, Item, Revision, Section, Stamp


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


def optional(form, *names) -> None:
    """Let a form without these fields (an older page, a script) keep the row's value."""
    for name in names:
        if name in form.fields:
            field = form.fields[name]
            field.required = False
            if form.is_bound and not form.data.get(form.add_prefix(name)):
                current = getattr(form.instance, name, None)
                default = form.instance._meta.get_field(name).get_default()
                value = current if form.instance.pk else default
                form.data = form.data.copy()
                form.data[form.add_prefix(name)] = value


class HeaderForm(VersionedForm):
    class Meta:
        model = Revision
        fields = [
            "title", "place", "date_style", "signature_position", "signature_name", "version"
        ]  # fmt: skip
        widgets = {"title": forms.Textarea(attrs={"rows": 4})}
        labels = {"signature_position": _("Должность в подписи в конце плана")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        optional(self, "date_style")


class StampForm(VersionedForm):
    class Meta:
        model = Stamp
        fields = ["kind", "position", "person_name", "basis", "layout", "version"]
        widgets = {
            "position": forms.Textarea(attrs={"rows": 2}),
            "basis": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"position": _("Каждая строка должности — с новой строки.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        optional(self, "layout")

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        revision = self.instance.revision_id or getattr(self, "revision", None)
        others = Stamp.objects.filter(revision=revision, kind=kind)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Такой гриф в плане уже есть."))
        return kind

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("person_name", "").strip() or cleaned.get("basis", "").strip()):
            self.add_error(
                "person_name",
                _("Укажите, кто подписывает гриф, или основание (приказ, протокол)."),
            )
        return cleaned


class StampAddForm(StampForm):
    """A new stamp of a draft, in the free place."""

    version = None

    class Meta(StampForm.Meta):
        fields = ["kind", "side", "position", "person_name", "basis", "layout"]

    def __init__(self, *args, revision: Revision, **kwargs):
        self.revision = revision
        super().__init__(*args, **kwargs)
        taken = set(revision.stamps.values_list("side", flat=True))
        free = [(v, label) for v, label in Stamp.Side.choices if v not in taken]
        self.fields["side"].choices = free
        self.fields["side"].initial = free[0][0] if free else None
        kinds = set(revision.stamps.values_list("kind", flat=True))
        self.fields["kind"].choices = [c for c in Stamp.Kind.choices if c[0] not in kinds]

    def clean_side(self):
        side = self.cleaned_data["side"]
        if self.revision.stamps.filter(side=side).exists():
            raise forms.ValidationError(_("Это место уже занято другим грифом."))
        return side


class SectionAddForm(InPlaceForm):
    class Meta:
        model = Section
        fields = ["kind", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class SectionForm(VersionedForm):
    """A section's heading and text; a table's columns, headers and numbering too.

    Each column of ``COLUMNS`` is a checkbox «показывать» and its header as the
    document prints it; ``changes()`` gives the ``columns`` list the model keeps.
    """

    class Meta:
        model = Section
        fields = ["title", "text", "numbering", "continue_numbering", "version"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        optional(self, "numbering")
        section = self.instance
        self.column_names = []
        if not section.is_table or section.kind == Section.Kind.MEETINGS:
            return
        shown = dict(section.table_columns)
        for key, usual in COLUMNS.items():
            show, label = f"show_{key}", f"label_{key}"
            self.fields[show] = forms.BooleanField(
                label=_("Столбец «%(name)s»") % {"name": usual}, required=False,
                initial=key in shown,
            )  # fmt: skip
            self.fields[label] = forms.CharField(
                label=_("Заголовок столбца «%(name)s»") % {"name": usual}, required=False,
                max_length=100, initial=shown.get(key, str(usual)),
            )  # fmt: skip
            self.column_names.append((key, show, label))

    def clean(self):
        cleaned = super().clean()
        posted = any(self.add_prefix(label) in self.data for _k, _s, label in self.column_names)
        if self.column_names and not posted:
            self.column_names = []  # a form without the column editor keeps the columns
        if self.column_names:
            columns = [
                [key, (cleaned.get(label) or "").strip() or str(COLUMNS[key])]
                for key, show, label in self.column_names
                if cleaned.get(show)
            ]
            if not any(key == "text" for key, _label in columns):
                self.add_error("show_text", _("Таблице нужен столбец с содержанием мероприятия."))
            cleaned["columns"] = columns
        return cleaned

    def changes(self) -> dict:
        fields = {
            name: value
            for name, value in super().changes().items()
            if not name.startswith(("show_", "label_"))
        }
        if not self.column_names:
            fields.pop("columns", None)
        return fields


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


# The cells an item shows only when its table has that column.
COLUMN_FIELDS = ["timing", "time", "place", "form", "responsible", "participants", "result"]


class ItemForm(VersionedForm):
    """An item of ``section``: its links offer the association's people, meetings and contests."""

    class Meta:
        model = Item
        fields = [
            "text",
            "is_group",
            "level",
            "label",
            "timing",
            "time",
            "place",
            "form",
            "responsible",
            "participants",
            "result",
            "responsible_members",
            "meeting",
            "contest",
            "version",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "responsible": forms.Textarea(attrs={"rows": 2}),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "result": forms.Textarea(attrs={"rows": 2}),
            "responsible_members": forms.CheckboxSelectMultiple(attrs={"data-checklist": ""}),
            "level": forms.Select(
                choices=[
                    (0, _("пункт (1.)")),
                    (1, _("подпункт (1.1.)")),
                    (2, _("подпункт второго уровня (1.1.1.)")),
                ]  # fmt: skip
            ),
        }
        labels = {"label": _("Номер как в документе")}
        help_texts = {
            "timing": _("Как в документе: «апрель-май», «в течение года»."),
            "responsible_members": _("Необязательно; можно выбрать нескольких."),
            "label": _("Пусто — номер считается сам; например, «2.1.1.»."),
        }

    def __init__(self, *args, section: Section, **kwargs):
        super().__init__(*args, section=section, **kwargs)
        optional(self, "level")
        plan = section.revision.plan
        wanted = list(ITEM_FIELDS.get(section.kind, ["text"]))
        wanted += ["is_group", "level", "label"]
        if section.is_table:
            columns = section.column_keys
            if section.kind == Section.Kind.MEETINGS:
                columns = set(COLUMN_FIELDS)  # it prints under the table before it
            if "timing" in columns:
                columns = columns | {
                    "place"
                }  # without its own column, the place follows the timing
            wanted = [n for n in wanted if n not in COLUMN_FIELDS or n in columns]
            wanted += [n for n in COLUMN_FIELDS if n in columns and n not in wanted]
            if "responsible" not in columns:
                wanted = [n for n in wanted if n != "responsible_members"]
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
