"""The download of a built document: the rights before every answer, a visitor's fast path.

What a visitor may download of a kind with ``cache_visitor_access`` (the plan's
signed text) is remembered per build and content generation (rumo.downloads);
these tests hold it to the same rights and the same file as the full check.
"""

import dataclasses

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from plans import pdf, services
from plans.models import Revision, Section
from rumo import pipeline
from rumo.models import DocumentBuild
from tests.documents import build_of, file_bytes

pytestmark = pytest.mark.django_db


def url(revision, kind="signed"):
    return reverse("plans:pdf-download", args=[revision.pk, kind])


def body(response) -> bytes:
    # Reading it all closes the file (close() again would end the test's connection).
    return b"".join(response.streaming_content)


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request):
    """The tests' own cache, or Redis as in production (rumo.cache: one client per pool)."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def approved(chair, curator, approver, library, on_commit):
    """The library's 2025 plan, approved, its signed PDF built (tasks run inline)."""
    plan = services.create_plan(library, year=2025, by=chair)
    revision = plan.revisions.get()
    sections = {s.kind: s for s in revision.sections.all()}
    services.add_item(sections[Section.Kind.NUMBERED], by=chair, text="Первое направление.")
    with on_commit():
        services.send_for_agreement(revision, by=chair)
        services.agree_revision(revision, by=curator, on=timezone.localdate())
        services.approve_revision(revision, by=approver, on=timezone.localdate())
    revision.refresh_from_db()
    assert build_of("plans.signed", revision).state == DocumentBuild.State.DONE
    return revision


@pytest.fixture
def draft_built(chair, library, on_commit):
    plan = services.create_plan(library, year=2026, by=chair)
    revision = plan.revisions.get()
    with on_commit():
        pipeline.request_build(pdf.DRAFT, revision)
    assert build_of("plans.draft", revision).state == DocumentBuild.State.DONE
    return revision


def rebuild(revision, on_commit) -> DocumentBuild:
    """Build the signed PDF again as if the text had changed, behind the cache's back:
    QuerySet.update() moves no content generation, only the build does."""
    Revision.objects.filter(pk=revision.pk).update(content_version=F("content_version") + 1)
    revision.refresh_from_db()
    with on_commit():
        pipeline.request_build(pdf.SIGNED, revision)
    return build_of("plans.signed", revision)


def test_a_visitor_gets_the_signed_plan_then_without_a_query(
    client, any_cache, approved, django_assert_num_queries
):
    row = build_of("plans.signed", approved)

    first = client.get(url(approved))
    assert first.status_code == 200
    assert body(first) == file_bytes(row)
    with django_assert_num_queries(0):
        again = client.get(url(approved))
        assert body(again) == file_bytes(row)
        not_modified = client.get(url(approved), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] == first["ETag"] == f'"{row.sha256}"'
    assert again["Last-Modified"] == first["Last-Modified"]
    assert again["Cache-Control"] == "private, no-cache"
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert "plan-library-" in again["Content-Disposition"]
    assert not_modified.status_code == 304


def test_after_a_rebuild_the_visitor_gets_the_new_file(client, any_cache, approved, on_commit):
    old = build_of("plans.signed", approved)
    body(client.get(url(approved)))  # remembered
    remembered = client.get(url(approved), HTTP_IF_NONE_MATCH=f'"{old.sha256}"')
    assert remembered.status_code == 304

    new = rebuild(approved, on_commit)
    response = client.get(url(approved))
    with_old_tag = client.get(url(approved), HTTP_IF_NONE_MATCH=f'"{old.sha256}"')

    assert new.sha256 != old.sha256
    assert response["ETag"] == f'"{new.sha256}"'
    assert body(response) == file_bytes(new)
    assert with_old_tag.status_code == 200  # the new file, not a 304
    assert body(with_old_tag) == file_bytes(new)


def test_a_revision_that_stops_being_public_is_refused_at_once(client, any_cache, approved):
    body(client.get(url(approved)))  # remembered
    approved.status = Revision.Status.DRAFT  # saved: the content generation moves
    approved.save(update_fields=["status"])

    response = client.get(url(approved))
    conditional = client.get(url(approved), HTTP_IF_NONE_MATCH='"anything"')

    assert response.status_code == 404  # a draft has no signed PDF
    assert conditional.status_code == 404


def test_visitors_and_members_get_no_draft_even_after_the_chair_did(
    client, chair, member, draft_built
):
    row = build_of("plans.draft", draft_built)
    client.force_login(chair.user)
    assert body(client.get(url(draft_built, "draft"))) == file_bytes(row)

    client.force_login(member.user)
    as_member = client.get(url(draft_built, "draft"))
    as_member_304 = client.get(url(draft_built, "draft"), HTTP_IF_NONE_MATCH=f'"{row.sha256}"')
    client.logout()
    as_visitor = client.get(url(draft_built, "draft"))
    as_visitor_304 = client.get(url(draft_built, "draft"), HTTP_IF_NONE_MATCH=f'"{row.sha256}"')

    assert (as_member.status_code, as_member_304.status_code) == (403, 403)
    assert as_visitor.status_code == as_visitor_304.status_code == 302
    assert as_visitor["Location"].startswith(reverse("login"))


@pytest.fixture
def visitors_only(monkeypatch):
    """A kind a visitor may read and a signed-in user may not, the answer remembered:
    a member must be judged by the rules, never by what a visitor was allowed."""
    kind = dataclasses.replace(
        pdf.SIGNED,
        name="test.visitors_only",
        may_read=lambda user, revision: not user.is_authenticated,
        urls=None,
    )
    monkeypatch.setitem(pipeline.KINDS, kind.name, kind)
    return kind


def test_a_member_is_judged_by_the_rules_not_by_a_visitors_answer(
    client, member, any_cache, approved, visitors_only, django_assert_num_queries
):
    signed = build_of("plans.signed", approved)
    DocumentBuild.objects.create(
        kind=visitors_only.name,
        object_id=approved.pk,
        state=DocumentBuild.State.DONE,
        issued=signed.issued,
        sha256=signed.sha256,
        content_version=signed.content_version,
    )
    file_url = reverse("documents:file", kwargs={"kind": visitors_only.name, "pk": approved.pk})
    assert body(client.get(file_url)) == file_bytes(signed)
    with django_assert_num_queries(0):
        body(client.get(file_url))  # remembered

    client.force_login(member.user)
    response = client.get(file_url)
    conditional = client.get(file_url, HTTP_IF_NONE_MATCH=f'"{signed.sha256}"')

    assert (response.status_code, conditional.status_code) == (403, 403)


def test_a_refusal_is_not_remembered(client, any_cache, approved, monkeypatch):
    opened = {"now": False}
    kind = dataclasses.replace(
        pdf.SIGNED, name="test.opens", may_read=lambda user, r: opened["now"], urls=None
    )
    monkeypatch.setitem(pipeline.KINDS, kind.name, kind)
    signed = build_of("plans.signed", approved)
    DocumentBuild.objects.create(kind=kind.name, object_id=approved.pk, state="done",
                                 issued=signed.issued, sha256=signed.sha256)  # fmt: skip
    file_url = reverse("documents:file", kwargs={"kind": kind.name, "pk": approved.pk})

    assert client.get(file_url).status_code == 302  # to the login page
    opened["now"] = True
    assert body(client.get(file_url)) == file_bytes(signed)


def test_with_redis_down_the_download_is_checked_and_served_in_full(
    client, approved, settings, django_assert_max_num_queries
):
    settings.CACHES = {  # nothing listens on port 9
        "default": {
            "BACKEND": "rumo.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    row = build_of("plans.signed", approved)

    first = client.get(url(approved))
    with django_assert_max_num_queries(10) as second_queries:
        second = client.get(url(approved))

    assert body(first) == body(second) == file_bytes(row)
    assert len(second_queries) > 0  # nothing remembered: the full check


def test_a_remembered_file_that_is_gone_is_looked_up_anew(client, any_cache, approved, settings):
    row = build_of("plans.signed", approved)
    body(client.get(url(approved)))  # remembered
    issued = row.issued
    data = file_bytes(row)
    moved = issued.file.storage.save("documents/moved.pdf", issued.file.open("rb"))
    issued.file.close()
    issued.file.storage.delete(issued.file.name)
    type(issued).objects.filter(pk=issued.pk).update(file=moved)  # no stamp, no generation

    response = client.get(url(approved))

    assert response.status_code == 200
    assert body(response) == data
