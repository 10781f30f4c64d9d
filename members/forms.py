from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Association, Member, Membership


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Поиск"), required=False, max_length=100)
    association = forms.ModelChoiceField(
        label=_("Объединение"),
        queryset=Association.objects.all(),
        required=False,
        empty_label=_("Все объединения"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "organization",
            "position",
            "email",
            "phone",
        ]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["association", "role", "title", "start", "end", "note"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        duplicate = Membership.objects.filter(
            member_id=self.instance.member_id,
            association=cleaned.get("association"),
            role=cleaned.get("role"),
            start=cleaned.get("start"),
        ).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(_("Такая роль с этой даты уже записана."))
        return cleaned


class LoginCreateForm(forms.Form):
    username = forms.CharField(label=_("Имя для входа"), max_length=150)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Это имя для входа уже занято."))
        return username
