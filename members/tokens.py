"""The personal campaign link: a signed token naming the campaign and the member it was made for."""

from django.core import signing
from django.urls import reverse

SALT = "members.campaign-link"


def campaign_token(campaign_id: int, member_id: int) -> str:
    return signing.dumps([campaign_id, member_id], salt=SALT)


def read_campaign_token(token: str) -> tuple[int, int] | None:
    """Return (campaign id, member id), or None for a token that was not made here."""
    try:
        campaign_id, member_id = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(campaign_id, int) or not isinstance(member_id, int):
        return None
    return campaign_id, member_id


def campaign_path(campaign_id: int, member_id: int) -> str:
    return reverse("members:campaign-link", args=[campaign_token(campaign_id, member_id)])
