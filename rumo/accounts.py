"""Login throttling on top of django-axes: lock by account and address, slow by either alone.

- A login is **locked** after ``AXES_FAILURE_LIMIT`` failures from one client
  address (axes, ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``):
  someone who knows the chair's login cannot lock the chair out from elsewhere.
- Failures on one account from any address, or from one address over any
  accounts, **slow down** further attempts: each must wait a little longer
  (doubling, at most a minute) since the last failure. The password is not
  even checked while the wait lasts, so guesses spread over many addresses or
  many accounts gain nothing, and nobody is locked out for good.
- Staff see current locks on a person's page and can lift them.

Password reset requests are counted in the cache, per address and per client
address (``reset_allowed``): past the limits the visitor sees the same page,
but no more e-mails go out.
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

WINDOW = timedelta(minutes=15)
# Failures allowed before attempts are slowed down, per account and per address.
FREE_FAILURES_PER_ACCOUNT = 3
FREE_FAILURES_PER_ADDRESS = 10
MAX_WAIT_SECONDS = 60

# Password reset: e-mails per address an hour, requests per client address in WINDOW.
RESET_WINDOW_PER_ADDRESS = timedelta(hours=1)
RESET_MAILS_PER_ADDRESS = 3
RESET_REQUESTS_PER_CLIENT = 10


def wait_seconds(failures: int, free: int, last: datetime | None, now: datetime) -> int:
    if last is None or failures < free:
        return 0
    wait = min(2 ** (failures - free), MAX_WAIT_SECONDS)
    return max(0, int(wait - (now - last).total_seconds() + 0.999))


def login_wait(username: str, address: str | None) -> int:
    """Seconds to wait before this login may be tried again (0: try now)."""
    now = timezone.now()
    recent = AccessFailureLog.objects.filter(attempt_time__gte=now - WINDOW)
    account = recent.filter(username=username).aggregate(n=Count("pk"), last=Max("attempt_time"))
    waits = [wait_seconds(account["n"], FREE_FAILURES_PER_ACCOUNT, account["last"], now)]
    if address:
        client = recent.filter(ip_address=address).aggregate(
            n=Count("pk"), last=Max("attempt_time")
        )
        waits.append(wait_seconds(client["n"], FREE_FAILURES_PER_ADDRESS, client["last"], now))
    return max(waits)


@dataclass(frozen=True)
class Lock:
    ip_address: str | None
    failures: int
    until: datetime


def locks_of(username: str) -> list[Lock]:
    """The client addresses from which ``username`` is locked out right now."""
    cooloff = timedelta(hours=settings.AXES_COOLOFF_TIME)
    now = timezone.now()
    attempts = AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    locks = []
    for attempt in attempts:
        expiry = getattr(attempt, "expiration", None)
        until = expiry.expires_at if expiry else attempt.attempt_time + cooloff
        if until > now:
            locks.append(Lock(attempt.ip_address, attempt.failures_since_start, until))
    return locks


def lift_locks(username: str) -> int:
    """Lift every lock and slow-down of ``username``; return how many locks there were."""
    count = len(locks_of(username))
    reset(username=username)
    AccessFailureLog.objects.filter(username=username).delete()
    return count


def count_within(key: str, window: timedelta) -> int:
    """Count one more event under ``key`` and return how many happened in this window.

    Windows are fixed slices of time (the hour from 10:00, say); the count
    expires with its window. Atomic in Redis, the cache all web processes share.
    """
    seconds = int(window.total_seconds())
    now = time.time()
    slot = int(now // seconds)
    key = f"{key}:{slot}"
    remaining = int((slot + 1) * seconds - now) + 1
    if cache.add(key, 1, timeout=remaining):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=remaining)
        return 1
    cache.touch(key, remaining)  # the file cache's incr() sets the default expiry
    return count


def reset_allowed(email: str, client_address: str | None) -> bool:
    """Count a password reset request; return whether its e-mail may be sent.

    A client over its limit counts against no address. Addresses are kept in
    the cache only as hashes.
    """
    if client_address:
        requests = count_within(f"reset:client:{client_address}", WINDOW)
        if requests > RESET_REQUESTS_PER_CLIENT:
            return False
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    mails = count_within(f"reset:address:{digest}", RESET_WINDOW_PER_ADDRESS)
    return mails <= RESET_MAILS_PER_ADDRESS
