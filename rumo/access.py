"""Who may see what, in one place: a visitor goes to the login page, anyone else gets 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def deny(request):
    """Send an anonymous visitor to the login page; refuse anyone else (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def member_of(user):
    """Return the Member of a signed-in user, or None (a visitor, or staff without one)."""
    return getattr(user, "member", None)


def permission_required(perm: str, fn=None):
    """Require ``perm`` on the object returned by ``fn(request, **kwargs)``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = fn(request, *args, **kwargs) if fn else None
            if request.user.has_perm(perm, obj):
                return view(request, *args, **kwargs)
            return deny(request)

        return wrapped

    return decorator
