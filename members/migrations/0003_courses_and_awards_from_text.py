"""Turn the old one-per-line text of courses and awards into rows.

A course line read «Название, 72 ч., 2023»: the hours and the year are taken
where they can be found; a line without them keeps its text as the title, with
1 hour and the year the member row was last changed, for the member to correct. Awards become one row per line with the year found in it.
"""

import re

from django.db import migrations

HOURS = re.compile(r"(\d{1,4})\s*(?:ч\.?|час)", re.IGNORECASE)
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def split_course(line: str, fallback_year: int) -> dict:
    hours = HOURS.search(line)
    year = YEAR.search(line)
    title = line
    for match in (hours, year):
        if match:
            title = title.replace(match.group(0), "")
    title = re.sub(r"[,\s.]+$", "", re.sub(r"(,\s*)+", ", ", title)).strip(" ,") or line
    return {
        "title": title[:500],
        "hours": max(int(hours.group(1)), 1) if hours else 1,
        "year": int(year.group(1)) if year else fallback_year,
    }


def forwards(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Course = apps.get_model("members", "Course")
    Award = apps.get_model("members", "Award")
    rows = Member.objects.exclude(legacy_courses="", legacy_awards="")
    for member_id, courses, awards, updated in rows.values_list(
        "pk", "legacy_courses", "legacy_awards", "updated_at"
    ):
        for line in filter(None, (part.strip() for part in courses.splitlines())):
            Course.objects.create(member_id=member_id, **split_course(line, updated.year))
        for line in filter(None, (part.strip() for part in awards.splitlines())):
            year = YEAR.search(line)
            Award.objects.create(
                member_id=member_id, title=line[:500], year=int(year.group(1)) if year else updated.year
            )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_databank")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
