"""The consent to personal-data processing (Federal Law 152-FZ) members give before Rumo stores it.

The text lives in ``templates/members/consent_text.html``. Changing what it
says means raising ``CONSENT_VERSION``: every member is then asked again
before their profile can be edited.
"""

CONSENT_VERSION = "2025-01"
