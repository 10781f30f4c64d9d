"""Who may open which URL: every URL pattern of the project declares it here.

An expectation maps each persona to the outcome of a request: an HTTP status
code, or LOGIN for a redirect to the login page. ``access()`` builds the usual
shapes; ``Route`` says how to build the URL's arguments from the test world.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import PERSONAS

LOGIN = "login"
REDIRECT = "redirect"


def access(*allowed: str, ok: Any = 200, denied: Any = 403, anonymous: Any = LOGIN) -> dict:
    """Return expectations: ``allowed`` personas get ``ok``, other signed-in ones ``denied``."""
    expected = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            expected[persona] = ok if "anonymous" in allowed else anonymous
        else:
            expected[persona] = ok if persona in allowed else denied
    return expected


SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")
EVERYONE = PERSONAS
# Insiders of the library association and staff read its announced meetings; its
# chair (or secretary) and staff manage them.
MEETING_READERS = ("member", "council", "chair", "curator", "approver", "staff")
MEETING_MANAGERS = ("chair", "staff")
# A plan's draft PDF: its chair, staff, and the signers asked to sign it.
DRAFT_READERS = ("chair", "staff", "curator", "approver")


# The data bank: staff and chairs open it (the philologists' chair too, for her
# own association); the library association's pages are its chair's and staff's.
DATABANK_OPENERS = ("chair", "staff", "other_chair")
DATABANK_MANAGERS = ("chair", "staff")

# Contests (world rows "ct_*"): the library's chair and staff manage them; its council
# (chair, Marina) reads drafts and votes; the public reads approved regulations; Marina
# is a juror of the running contest, Natalia applied to it.
CONTEST_MANAGERS = ("chair", "staff")
CONTEST_CREATORS = ("chair", "staff", "other_chair")
CONTEST_COUNCIL = ("chair", "council", "staff")


def library_slug(world: dict) -> dict:
    return {"slug": world["library"].slug}


def import_batch(world: dict) -> dict:
    return {"token": world["db_batch"].token}


def pk_of(key: str) -> Callable[[dict], dict]:
    return lambda world: {"pk": world[key].pk}


def meeting(key: str) -> Callable[[dict], dict]:
    """Return URL kwargs {"pk": …} of the world row ``key``."""
    return lambda world: {"pk": world[key].pk}


@dataclass
class Route:
    expect: dict
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[dict], dict] = field(default=lambda world: {})


ROUTES: dict[str, Route] = {
    # rumo
    "home": Route(access(*EVERYONE)),
    "healthz": Route(access(*EVERYONE)),
    "login": Route(access("anonymous", denied=REDIRECT)),
    "logout": Route(access(*EVERYONE, ok=REDIRECT), method="post"),
    "password_reset": Route(access(*EVERYONE)),
    "password_reset_done": Route(access(*EVERYONE)),
    "password_reset_confirm": Route(
        access(*EVERYONE), kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}
    ),
    "password_reset_complete": Route(access(*EVERYONE)),
    "password_change": Route(access(*SIGNED_IN)),
    "password_change_done": Route(access(*SIGNED_IN)),
    "admin:index": Route(access("staff", denied=REDIRECT, anonymous=REDIRECT)),
    "public-association": Route(access(*EVERYONE), kwargs=library_slug),
    "public-schedule": Route(access(*EVERYONE)),
    "verify-lookup": Route(access(*EVERYONE)),
    "verify": Route(access(*EVERYONE), kwargs=lambda w: {"code": w["document"].code}),
    "verify-file": Route(access(*EVERYONE), kwargs=lambda w: {"code": w["document"].code}),
    # members
    "members:people": Route(access("staff")),
    "members:member-create": Route(access("staff")),
    "members:member-detail": Route(access("staff"), kwargs=lambda w: {"pk": w["member"].pk}),
    "members:role-add": Route(
        access("staff", ok=302),
        kwargs=lambda w: {"pk": w["member"].pk},
        method="post",
        data=lambda w: {"association": w["library"].pk, "role": "council"},
    ),
    "members:login-create": Route(
        access("staff", ok=302),
        kwargs=lambda w: {"pk": w["loginless"].pk},
        method="post",
        data=lambda w: {"username": "new-login"},
    ),
    "members:login-unlock": Route(
        access("staff", ok=302),
        kwargs=lambda w: {"pk": w["member"].pk},
        method="post",
    ),
    "members:role-end": Route(
        access("staff"), kwargs=lambda w: {"pk": w["member"].memberships.first().pk}
    ),
    "members:association-detail": Route(
        access(*SIGNED_IN), kwargs=lambda w: {"slug": w["library"].slug}
    ),
    # members: the data bank (world rows "db_*" in tests/world.py); Natalia ("member")
    # has consented, the others are sent to the consent step first.
    "members:me": Route(access(*SIGNED_IN, ok=REDIRECT) | {"member": 200}),
    "members:consent": Route(access(*SIGNED_IN)),
    "members:confirm": Route(access(*SIGNED_IN, ok=REDIRECT), method="post"),
    "members:course-add": Route(
        access(*SIGNED_IN, ok=REDIRECT),
        method="post",
        data=lambda w: {"title": "Курс", "hours": 16, "year": 2024},
    ),
    "members:course-delete": Route(
        access("member", denied=404), kwargs=lambda w: {"pk": w["db_course"].pk}
    ),
    "members:award-add": Route(
        access(*SIGNED_IN, ok=REDIRECT),
        method="post",
        data=lambda w: {"title": "Грамота", "year": 2024},
    ),
    "members:award-delete": Route(
        access("member", denied=404), kwargs=lambda w: {"pk": w["db_award"].pk}
    ),
    "members:my-data": Route(access(*SIGNED_IN)),
    # Only Natalia's own data PDF is built in the world: the others have no file yet.
    "members:my-data-pdf": Route(access(*SIGNED_IN)),
    "members:my-data-pdf-request": Route(access(*SIGNED_IN, ok=302), method="post"),
    "members:my-data-pdf-file": Route(access(*SIGNED_IN, ok=404) | {"member": 200}),
    "members:deletion-request": Route(access(*SIGNED_IN)),
    "members:directory": Route(access(*SIGNED_IN)),
    "members:profile": Route(access(*SIGNED_IN), kwargs=lambda w: {"pk": w["member"].pk}),
    "members:colleges": Route(access(*SIGNED_IN)),
    "members:certificate": Route(
        access("member", "chair", "staff"), kwargs=lambda w: {"pk": w["db_course"].pk}
    ),
    "members:databank": Route(access(*DATABANK_OPENERS)),
    "members:report": Route(access(*DATABANK_MANAGERS), kwargs=library_slug),
    "members:report-xlsx": Route(access(*DATABANK_MANAGERS), kwargs=library_slug),
    "members:report-pdf": Route(access(*DATABANK_MANAGERS), kwargs=library_slug),
    "members:report-pdf-request": Route(
        access(*DATABANK_MANAGERS, ok=302), kwargs=library_slug, method="post"
    ),
    "members:report-pdf-file": Route(access(*DATABANK_MANAGERS), kwargs=library_slug),
    "members:export": Route(access(*DATABANK_MANAGERS), kwargs=library_slug),
    "members:council": Route(access(*SIGNED_IN), kwargs=library_slug),
    "members:council-create": Route(access(*DATABANK_MANAGERS), kwargs=library_slug),
    "members:petitions": Route(access(*DATABANK_MANAGERS), kwargs=library_slug),
    "members:petition-create": Route(access(*DATABANK_MANAGERS), kwargs=library_slug),
    "members:petition-detail": Route(access(*DATABANK_MANAGERS), kwargs=pk_of("db_petition")),
    "members:petition-edit": Route(access(*DATABANK_MANAGERS), kwargs=pk_of("db_petition")),
    "members:petition-delete": Route(
        access(*DATABANK_MANAGERS, ok=REDIRECT), kwargs=pk_of("db_petition"), method="post"
    ),
    "members:petition-pdf": Route(access(*DATABANK_MANAGERS), kwargs=pk_of("db_petition")),
    "members:petition-pdf-request": Route(
        access(*DATABANK_MANAGERS, ok=302), kwargs=pk_of("db_petition"), method="post"
    ),
    "members:petition-pdf-file": Route(access(*DATABANK_MANAGERS), kwargs=pk_of("db_petition")),
    "members:campaign-create": Route(access(*DATABANK_OPENERS)),
    "members:campaign-detail": Route(
        access(*DATABANK_MANAGERS), kwargs=lambda w: {"pk": w["db_campaign"].pk}
    ),
    "members:campaign-close": Route(
        access(*DATABANK_MANAGERS), kwargs=lambda w: {"pk": w["db_campaign"].pk}
    ),
    "members:campaign-link": Route(access("member"), kwargs=lambda w: {"token": w["db_link"]}),
    "members:import-create": Route(access(*DATABANK_OPENERS)),
    "members:import-detail": Route(
        access(*DATABANK_MANAGERS) | {"other_chair": 404}, kwargs=import_batch
    ),
    "members:import-confirm": Route(
        access(*DATABANK_MANAGERS, ok=REDIRECT) | {"other_chair": 404},
        kwargs=import_batch,
        method="post",
    ),
    "members:import-cancel": Route(
        access(*DATABANK_MANAGERS, ok=REDIRECT) | {"other_chair": 404},
        kwargs=import_batch,
        method="post",
    ),
    "members:import-retry": Route(
        access(*DATABANK_MANAGERS, ok=REDIRECT) | {"other_chair": 404},
        kwargs=import_batch,
        method="post",
    ),
    "members:access-log": Route(access("staff")),
    "members:deletion-requests": Route(access("staff")),
    "members:erase": Route(access("staff"), kwargs=lambda w: {"pk": w["council"].pk}),
    # plans: reading and editing in place (world rows "plan", "draft*", "approved*")
    "plans:list": Route(access(*EVERYONE)),
    "plans:detail": Route(access(*EVERYONE), kwargs=lambda w: {"slug": "library", "key": "2030"}),
    "plans:revision": Route(
        access("member", "council", "chair", "curator", "approver", "staff"),
        kwargs=lambda w: {"slug": "library", "key": "2030", "number": w["draft"].number},
    ),
    "plans:diff": Route(access(*EVERYONE), kwargs=lambda w: {"slug": "library", "key": "2030"}),
    "plans:header-edit": Route(access("chair"), kwargs=lambda w: {"pk": w["draft"].pk}),
    "plans:stamp-edit": Route(access("chair"), kwargs=lambda w: {"pk": w["draft_stamp"].pk}),
    # GET shows the confirmation and the form: the matrix's draft keeps its stamps.
    "plans:stamp-delete": Route(access("chair"), kwargs=lambda w: {"pk": w["draft_stamp"].pk}),
    "plans:stamp-add": Route(access("chair"), kwargs=lambda w: {"pk": w["draft"].pk}),
    "plans:section-add": Route(
        access("chair", ok=302),
        kwargs=lambda w: {"pk": w["draft"].pk},
        method="post",
        data=lambda w: {"kind": "text", "title": "Дополнение"},
    ),
    "plans:section-edit": Route(access("chair"), kwargs=lambda w: {"pk": w["draft_section"].pk}),
    "plans:section-delete": Route(
        access("chair", ok=302), kwargs=lambda w: {"pk": w["draft_section"].pk}, method="post"
    ),
    "plans:section-move": Route(
        access("chair", ok=302),
        kwargs=lambda w: {"pk": w["draft_section"].pk},
        method="post",
        data=lambda w: {"index": 0},
    ),
    "plans:item-add": Route(
        access("chair", ok=302),
        kwargs=lambda w: {"pk": w["draft_section"].pk},
        method="post",
        data=lambda w: {"text": "Новый пункт", "timing": "май"},
    ),
    "plans:item-edit": Route(access("chair"), kwargs=lambda w: {"pk": w["draft_item"].pk}),
    "plans:item-delete": Route(
        access("chair", ok=302), kwargs=lambda w: {"pk": w["draft_item"].pk}, method="post"
    ),
    "plans:item-move": Route(
        access("chair", ok=302),
        kwargs=lambda w: {"pk": w["draft_item"].pk},
        method="post",
        data=lambda w: {"index": 0},
    ),
    "plans:item-execution": Route(
        access("chair", ok=302),
        kwargs=lambda w: {"pk": w["approved_item"].pk},
        method="post",
        data=lambda w: {"execution": "done", "execution_note": ""},
    ),
    # plans: workflow and documents (world rows "wf_*" in tests/world.py)
    "plans:create": Route(access("chair", "other_chair")),
    "plans:send": Route(
        access("chair", ok=302), kwargs=lambda w: {"pk": w["wf_draft"].pk}, method="post"
    ),
    "plans:agree": Route(
        access("curator", ok=302), kwargs=lambda w: {"pk": w["wf_waiting"].pk}, method="post"
    ),
    "plans:approve": Route(
        access("approver", ok=302), kwargs=lambda w: {"pk": w["wf_agreed"].pk}, method="post"
    ),
    # The approver may return a plan, but this one waits for the curator: a message, not a form.
    "plans:return": Route(
        access("curator") | {"approver": REDIRECT}, kwargs=lambda w: {"pk": w["wf_waiting"].pk}
    ),
    "plans:paper-sign": Route(
        access("chair", "staff"),
        kwargs=lambda w: {"pk": w["wf_waiting"].stamps.get(kind="agreed").pk},
    ),
    "plans:new-revision": Route(
        access("chair", ok=302),
        kwargs=lambda w: {"slug": "library", "key": w["wf_approved"].plan.key},
        method="post",
    ),
    "plans:scan-upload": Route(access("staff"), kwargs=lambda w: {"pk": w["wf_approved"].pk}),
    "plans:scan-download": Route(
        access("staff", "member", "council", "chair", "curator", "approver"),
        kwargs=lambda w: {"pk": w["wf_approved"].pk},
    ),
    "plans:stamp-scan": Route(
        access("staff", "member", "council", "chair", "curator", "approver"),
        kwargs=lambda w: {"pk": w["wf_paper_stamp"].pk},
    ),
    "plans:pdf-request": Route(
        access(*DRAFT_READERS, ok=302),
        kwargs=lambda w: {"pk": w["wf_draft"].pk, "kind": "draft"},
        method="post",
    ),
    "plans:pdf-status": Route(
        access(*EVERYONE), kwargs=lambda w: {"pk": w["wf_approved"].pk, "kind": "signed"}
    ),
    "plans:pdf-download": Route(
        access(*DRAFT_READERS), kwargs=lambda w: {"pk": w["wf_draft"].pk, "kind": "draft"}
    ),
    # plans: import from Word (a chair of some association) and export to Word (its readers)
    "plans:import": Route(access("chair", "other_chair")),
    "plans:import-preview": Route(
        access("chair", "other_chair", ok=REDIRECT), kwargs=lambda w: {"token": "expired"}
    ),
    "plans:docx": Route(
        access("member", "council", "chair", "curator", "approver", "staff"),
        kwargs=lambda w: {"pk": w["wf_draft"].pk},
    ),
    # The document pipeline's own URLs (rumo/document_urls.py), any kind by name
    "documents:status": Route(
        access(*DRAFT_READERS), kwargs=lambda w: {"pk": w["wf_draft"].pk, "kind": "plans.draft"}
    ),
    "documents:request": Route(
        access(*DRAFT_READERS, ok=302),
        kwargs=lambda w: {"pk": w["wf_draft"].pk, "kind": "plans.draft"},
        method="post",
    ),
    "documents:file": Route(
        access(*DRAFT_READERS), kwargs=lambda w: {"pk": w["wf_draft"].pk, "kind": "plans.draft"}
    ),
    # meetings: notices and calendars (world rows "nt_*" in tests/world.py)
    "notices:announce": Route(
        access("chair", "staff"), kwargs=lambda w: {"pk": w["nt_meeting"].pk}
    ),
    "notices:deliveries": Route(
        access("chair", "staff"), kwargs=lambda w: {"pk": w["nt_meeting"].pk}
    ),
    "notices:meeting-ics": Route(
        access("member", "council", "chair", "curator", "approver", "staff"),
        kwargs=lambda w: {"pk": w["nt_meeting"].pk},
    ),
    "notices:calendar": Route(access(*SIGNED_IN)),
    "notices:calendar-renew": Route(access(*SIGNED_IN, ok=REDIRECT), method="post"),
    "notices:public-feed": Route(access(*EVERYONE)),
    "notices:feed": Route(access(*EVERYONE), kwargs=lambda w: {"token": w["nt_feed"].token}),
    # meetings: pages, agenda, minutes, PDFs (world rows "mt_*" in tests/world.py)
    "meetings:list": Route(access(*SIGNED_IN)),
    "meetings:detail": Route(access(*MEETING_READERS), kwargs=meeting("mt_meeting")),
    "meetings:answer": Route(
        access("member", "council", "chair", ok=302),
        kwargs=meeting("mt_meeting"),
        method="post",
        data=lambda w: {"answer": "yes"},
    ),
    "meetings:agenda-file": Route(access(*MEETING_READERS), kwargs=meeting("mt_item")),
    "meetings:create": Route(access("chair", "staff", "other_chair")),
    "meetings:edit": Route(access(*MEETING_MANAGERS), kwargs=meeting("mt_meeting")),
    "meetings:reschedule": Route(access(*MEETING_MANAGERS), kwargs=meeting("mt_meeting")),
    "meetings:cancel": Route(access(*MEETING_MANAGERS), kwargs=meeting("mt_meeting")),
    "meetings:agenda-add": Route(
        access(*MEETING_MANAGERS, ok=302),
        kwargs=meeting("mt_meeting"),
        method="post",
        data=lambda w: {"title": "Разное"},
    ),
    "meetings:agenda-edit": Route(access(*MEETING_MANAGERS), kwargs=meeting("mt_item")),
    "meetings:agenda-delete": Route(
        access(*MEETING_MANAGERS, ok=302), kwargs=meeting("mt_item"), method="post"
    ),
    "meetings:agenda-move": Route(
        access(*MEETING_MANAGERS, ok=302),
        kwargs=meeting("mt_item"),
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    "meetings:attendance": Route(access(*MEETING_MANAGERS), kwargs=meeting("mt_held")),
    "meetings:minutes": Route(access(*MEETING_MANAGERS), kwargs=meeting("mt_held")),
    "meetings:item-minutes": Route(
        access(*MEETING_MANAGERS, ok=302),
        kwargs=meeting("mt_held_item"),
        method="post",
        data=lambda w: {f"item-{w['mt_held_item'].pk}-decided": "Принять к сведению."},
    ),
    "meetings:minutes-approve": Route(access(*MEETING_MANAGERS), kwargs=meeting("mt_held")),
    "meetings:document": Route(
        access(*MEETING_READERS), kwargs=lambda w: {"pk": w["mt_meeting"].pk, "kind": "agenda"}
    ),
    "meetings:document-request": Route(
        access(*MEETING_READERS, ok=302),
        kwargs=lambda w: {"pk": w["mt_meeting"].pk, "kind": "agenda"},
        method="post",
    ),
    "meetings:document-file": Route(
        access(*MEETING_READERS), kwargs=lambda w: {"pk": w["mt_meeting"].pk, "kind": "agenda"}
    ),
    "meetings:extract": Route(access(*MEETING_READERS), kwargs=meeting("mt_approved_item")),
    "meetings:extract-request": Route(
        access(*MEETING_READERS, ok=302), kwargs=meeting("mt_approved_item"), method="post"
    ),
    "meetings:extract-file": Route(access(*MEETING_READERS), kwargs=meeting("mt_approved_item")),
    # contests (world rows "ct_*" in tests/world.py)
    "contests:list": Route(access(*SIGNED_IN)),
    "contests:create": Route(access(*CONTEST_CREATORS)),
    "contests:external": Route(access(*SIGNED_IN)),
    "contests:external-add": Route(access(*CONTEST_CREATORS)),
    "contests:detail": Route(access(*EVERYONE), kwargs=pk_of("ct_running")),
    "contests:apply": Route(access(*SIGNED_IN), kwargs=pk_of("ct_running")),
    "contests:applications": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_running")),
    "contests:jury": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_running")),
    "contests:scoring": Route(access("council"), kwargs=pk_of("ct_running")),
    "contests:scoring-submit": Route(
        access("council", ok=302), kwargs=pk_of("ct_running"), method="post"
    ),
    "contests:results": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_running")),
    "contests:results-approve": Route(
        access(*CONTEST_MANAGERS, ok=302), kwargs=pk_of("ct_running"), method="post"
    ),
    "contests:results-publish": Route(
        access(*CONTEST_MANAGERS, ok=302), kwargs=pk_of("ct_running"), method="post"
    ),
    # The contest documents (contests/pdf.py) on the pipeline's views: the jury reads the
    # protocol, the public the approved regulation, the applicant her published diploma.
    "contests:protocol-pdf": Route(
        access("council", *CONTEST_MANAGERS), kwargs=pk_of("ct_running")
    ),
    "contests:protocol-pdf-status": Route(
        access("council", *CONTEST_MANAGERS), kwargs=pk_of("ct_running")
    ),
    "contests:protocol-pdf-request": Route(
        access(*CONTEST_MANAGERS, ok=302), kwargs=pk_of("ct_running"), method="post"
    ),
    "contests:regulation": Route(access(*CONTEST_COUNCIL), kwargs=pk_of("ct_draft")),
    "contests:regulation-edit": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_draft")),
    "contests:regulation-send": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_draft")),
    "contests:regulation-vote": Route(
        access("chair", "council", ok=302),
        kwargs=pk_of("ct_draft"),
        method="post",
        data=lambda w: {"choice": "for"},
    ),
    "contests:regulation-close": Route(
        access(*CONTEST_MANAGERS, ok=302), kwargs=pk_of("ct_draft"), method="post"
    ),
    "contests:regulation-decision": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_draft")),
    "contests:regulation-new-version": Route(
        access(*CONTEST_MANAGERS, ok=302), kwargs=pk_of("ct_draft"), method="post"
    ),
    "contests:regulation-compare": Route(access(*CONTEST_COUNCIL), kwargs=pk_of("ct_draft")),
    "contests:regulation-pdf": Route(access(*EVERYONE), kwargs=pk_of("ct_regulation")),
    "contests:regulation-pdf-status": Route(access(*EVERYONE), kwargs=pk_of("ct_regulation")),
    "contests:regulation-pdf-request": Route(
        access(*EVERYONE, ok=302), kwargs=pk_of("ct_regulation"), method="post"
    ),
    "contests:block-add": Route(
        access(*CONTEST_MANAGERS), kwargs=lambda w: {"pk": w["ct_draft"].pk, "kind": "criterion"}
    ),
    "contests:block-edit": Route(
        access(*CONTEST_MANAGERS),
        kwargs=lambda w: {"pk": w["ct_criterion"].pk, "kind": "criterion"},
    ),
    "contests:block-delete": Route(
        access(*CONTEST_MANAGERS),
        kwargs=lambda w: {"pk": w["ct_criterion"].pk, "kind": "criterion"},
    ),
    "contests:application": Route(
        access("member", "council", *CONTEST_MANAGERS), kwargs=pk_of("ct_application")
    ),
    "contests:application-decide": Route(
        access(*CONTEST_MANAGERS, ok=302),
        kwargs=pk_of("ct_application"),
        method="post",
        data=lambda w: {"decision": "accept"},
    ),
    "contests:application-file": Route(
        access("member", "council", *CONTEST_MANAGERS),
        kwargs=lambda w: {"pk": w["ct_application"].pk, "file_pk": w["ct_file"].pk},
    ),
    "contests:diploma": Route(access("member", *CONTEST_MANAGERS), kwargs=pk_of("ct_finished")),
    "contests:diploma-status": Route(
        access("member", *CONTEST_MANAGERS), kwargs=pk_of("ct_finished")
    ),
    "contests:diploma-request": Route(
        access(*CONTEST_MANAGERS, ok=302), kwargs=pk_of("ct_finished"), method="post"
    ),
    "contests:deliveries": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_running")),
    # All diplomas of a contest (contests/diplomas.py): progress, a new request, the ZIP.
    "contests:diplomas": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_done")),
    "contests:diplomas-request": Route(
        access(*CONTEST_MANAGERS, ok=302), kwargs=pk_of("ct_done"), method="post"
    ),
    "contests:diplomas-zip": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_done")),
    "contests:juror-remove": Route(access(*CONTEST_MANAGERS), kwargs=pk_of("ct_seat")),
}

# Admin pages other than the index are Django's own and guarded by the admin site.
IGNORED_PREFIXES = ("admin:",)
