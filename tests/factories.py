"""Rows for tests, built with factory_boy."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from members.models import Association, Member, Membership, Organization

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"РУМО № {n}")
    short_name = factory.LazyAttribute(lambda a: a.name)
    slug = factory.Sequence(lambda n: f"assoc-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Колледж № {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    city = "Чебоксары"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    last_name = factory.Sequence(lambda n: f"Фамилия{n}")
    first_name = "Анна"
    patronymic = "Ивановна"
    organization = factory.SubFactory(OrganizationFactory)
    position = "библиотекарь"
    email = factory.Sequence(lambda n: f"member{n}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(MemberFactory)
    association = factory.SubFactory(AssociationFactory)
    role = Membership.Role.MEMBER
    start = date(2024, 1, 1)


def person(username: str, *, last_name: str, first_name: str, patronymic: str = "", **extra):
    """Return a member with a login named ``username``."""
    user = UserFactory(username=username, is_staff=extra.pop("is_staff", False))
    return MemberFactory(
        user=user,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        email=user.email,
        **extra,
    )
