import pytest

from plans import services
from plans.models import Section


@pytest.fixture
def draft(chair, curator, approver, library):
    """A 2025 draft of the library association with one item in each list."""
    plan = services.create_plan(library, year=2025, by=chair)
    revision = plan.revisions.get()
    sections = {s.kind: s for s in revision.sections.all()}
    services.add_item(sections[Section.Kind.NUMBERED], by=chair, text="Первое направление.")
    services.add_item(
        sections[Section.Kind.EVENTS],
        by=chair,
        text="Конкурс «Лучший библиотекарь СПО».",
        timing="апрель-май",
        responsible="Председатель РУМО, совет РУМО",
    )
    services.add_item(
        sections[Section.Kind.ORGWORK], by=chair, text="Сбор банка данных.",
        timing="январь – март, 2025",
    )  # fmt: skip
    revision.refresh_from_db()
    return revision
