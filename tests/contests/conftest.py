"""Contest personas beyond the shared ones: an outside juror and an applicant."""

import pytest

from members.models import Membership
from tests import factories
from tests.conftest import holding
from tests.contests import approve, college, draft_contest

Role = Membership.Role


@pytest.fixture
def juror(db):
    """Olga Andreeva: an outside juror with a login and no role in any association."""
    member = factories.person(
        "olga-juror", last_name="Андреева", first_name="Ольга", patronymic="Петровна"
    )
    member.organization = college("Чувашский ТЮЗ")
    member.save()
    return member


@pytest.fixture
def applicant(library):
    """Galina, a librarian of the Cheboksary college who applies."""
    member = factories.person(
        "galina", last_name="Фёдорова", first_name="Галина", patronymic="Аркадьевна"
    )
    member.organization = college("ЧПК")
    member.email = "galina@example.org"
    member.save()
    return holding(member, library, Role.MEMBER)


@pytest.fixture
def contest(library, chair, council):
    return draft_contest(library)


@pytest.fixture
def running(contest, library):
    """The contest with its regulations approved: applications are open."""
    return approve(contest, library)
