from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import page_cache

# (URL name, label, permission or None for every signed-in user). The person's
# own links (profile, password, administration, sign out) are in the user menu
# of templates/includes/navbar.html, so the bar fits one line at 1280 px.
NAVIGATION = [
    ("home", _("Главная"), None),
    ("plans:list", _("Планы работы"), None),
    ("meetings:list", _("Заседания"), None),
    ("contests:list", _("Конкурсы"), None),
    ("notices:calendar", _("Календарь"), None),
    ("members:people", _("Люди и роли"), "members.manage_people"),
    ("members:directory", _("Справочник"), "members.view_directory"),
    ("members:databank", _("Банк данных"), "members.open_databank"),
]


def navigation(request):
    """Return the menu entries the current user may open.

    Which entries a user may open is worked out once per user and content
    generation (roles change with memberships, which move it on) and cached;
    only the active entry is marked per request.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    allowed = page_cache.cached(("navigation", user.pk), lambda: allowed_entries(user), 600)
    entries = [
        {"url": url, "label": label, "active": request.path == url} for url, label in allowed
    ]
    return {"navigation": entries}


def allowed_entries(user) -> list[tuple[str, str]]:
    return [
        (reverse(name), str(label))
        for name, label, perm in NAVIGATION
        if not perm or user.has_perm(perm)
    ]
