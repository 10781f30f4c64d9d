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


@dataclass
class Route:
    expect: dict
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[dict], dict] = field(default=lambda world: {})


ROUTES: dict[str, Route] = {
    # rumo
    "home": Route(access(*EVERYONE)),
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
    "members:role-end": Route(
        access("staff"), kwargs=lambda w: {"pk": w["member"].memberships.first().pk}
    ),
    "members:association-detail": Route(
        access(*SIGNED_IN), kwargs=lambda w: {"slug": w["library"].slug}
    ),
}

# Admin pages other than the index are Django's own and guarded by the admin site.
IGNORED_PREFIXES = ("admin:",)
