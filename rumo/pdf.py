"""PDF rendering: Django templates laid out by WeasyPrint, fonts from static/."""

import functools
import hashlib
import posixpath
import re
import ssl
import threading
import warnings
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .signing import certificate_info

CONTENT_TYPES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


@functools.cache
def bare_ssl_context() -> ssl.SSLContext:
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class StaticFilesFetcher(URLFetcher):
    """Serve /static/... from the staticfiles finders and refuse every other URL.

    A PDF template must never read local files or reach the network: what is
    printed depends only on the template, its context and the static files.
    """

    def __init__(self, **kwargs):
        # URLFetcher builds an HTTPS handler, and with it a default SSL context that
        # loads the system's certificates (~0.1 s a document). Nothing here is ever
        # fetched over HTTPS: give it one bare context for the process.
        super().__init__(ssl_context=bare_ssl_context(), **kwargs)

    def fetch(self, url, headers=None):
        path = self.static_path(url)
        if path is None:
            raise ValueError(f"Refusing to fetch {url!r}: only {settings.STATIC_URL} is served")
        return URLFetcherResponse(
            url,
            path.read_bytes(),
            {"Content-Type": CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")},
        )

    @staticmethod
    def static_path(url: str) -> Path | None:
        """Return the file behind a static URL of this site, or None."""
        site = urlsplit(settings.SITE_URL)
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None
        prefix = urlsplit(settings.STATIC_URL).path
        if not parts.path.startswith(prefix):
            return None
        relative = unquote(parts.path.removeprefix(prefix))
        if posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
            return None
        found = finders.find(relative)
        if isinstance(found, str):
            return Path(found)
        # With the manifest storage {% static %} gives hashed names, which
        # exist only in STATIC_ROOT after collectstatic.
        collected = Path(settings.STATIC_ROOT) / relative
        return collected if collected.is_file() else None


_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """Return this thread's WeasyPrint font configuration, made once.

    A new FontConfiguration per document loads Fontconfig's configuration and
    registers the four @font-face files of pdf/base.html anew (~20 ms of a
    plan's ~200 ms render, issue 7); kept, it finds them registered and Pango
    keeps its font caches. Every PDF template declares the same faces
    (pdf/base.html) and the bytes are the same either way (tests/rumo/test_pdf.py).
    One per thread: a Pango font map is not to be shared between threads.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


NBSP = "\u00a0"
# Spaces a line must not break at (ГОСТ Р 7.0.97): «№ 1», «2024 год», «С.Н. Лоскутова».
NBSP_RULES = [
    (re.compile(r"(№|§)[ \t]+(?=\S)"), rf"\1{NBSP}"),
    (re.compile(r"(\d)[ \t]+(?=(?:год|года|году|годом|гг?\.|г\b))"), rf"\1{NBSP}"),
    (
        re.compile(r"\b([А-ЯЁA-Z]\.)([ \t]?)([А-ЯЁA-Z]\.)[ \t]+(?=[А-ЯЁA-Z][а-яёa-z])"),
        lambda m: m[1] + (NBSP if m[2] else "") + m[3] + NBSP,
    ),
    (re.compile(r"([А-ЯЁA-Z][а-яёa-z-]+)[ \t]+(?=[А-ЯЁA-Z]\.[ \t]?[А-ЯЁA-Z]\.)"), rf"\1{NBSP}"),
]
TEXT_NODE = re.compile(r">([^<]+)<")


def nbsp(text: str) -> str:
    """Return ``text`` with non-breaking spaces where Russian typography wants them."""
    for pattern, replacement in NBSP_RULES:
        text = pattern.sub(replacement, text)
    return text


def typeset(html: str) -> str:
    """Apply nbsp() to the text of the document's body (never to tags or styles)."""
    head, body_tag, body = html.partition("<body")
    if not body_tag:
        return html
    return head + body_tag + TEXT_NODE.sub(lambda m: f">{nbsp(m.group(1))}<", body)


def render_html(template_name: str, context: dict) -> str:
    """Render a PDF template to HTML with the defaults pdf/base.html expects."""
    html = render_to_string(template_name, {"created": None, "watermark": "", **context})
    return typeset(html)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template extending pdf/base.html to PDF bytes.

    The same template and context give the same bytes: the document dates
    come from ``context["created"]`` (absent means no date is written).
    A document that is not a draft (no watermark) is archival: PDF/A-2b, tagged.
    """
    html = render_html(template_name, context)
    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=StaticFilesFetcher())
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile for PDF/A without closing it.
        warnings.simplefilter("ignore", ResourceWarning)
        data = document.write_pdf(
            font_config=font_configuration(),
            pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode(),
            **archival_options(draft=bool(context.get("watermark"))),
        )
    return data


def archival_options(*, draft: bool) -> dict:
    """Return the WeasyPrint options of an archival (PDF/A-2b, tagged) document."""
    if draft:
        return {}
    return {"pdf_variant": "pdf/a-2b", "pdf_tags": True}


def qr_svg(url: str) -> SafeString:
    """Return ``url`` as a QR code in inline SVG, sized by the CSS of its container."""
    code = segno.make(url, error="m")
    return mark_safe(code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr"))


def short_url(url: str) -> str:
    """Return ``url`` without its scheme, as printed under a QR code."""
    return url.split("://", 1)[-1]


def approval(
    what: str, name: str, on: date | None, *, on_paper: bool = False, scan: bool = False
) -> dict:
    """Return one approval as the mark lists it: what, who, when, and how it was given."""
    return {"what": what, "name": name, "date": on, "on_paper": on_paper, "scan": scan}


def signature_mark(
    *,
    register_number: str,
    verify_url: str,
    signed: bool,
    approvals: Iterable[dict] = (),
    signed_on: date | None = None,
) -> dict:
    """Return the context of templates/pdf/signature_mark.html.

    The mark states what happened: the approvals of the record (made with
    approval(): in the portal, or on paper with a kept scan) and, when the
    file is signed, the certificate of the portal's PAdES signature (owner,
    serial number, validity) and the day it is applied, ``signed_on`` (today).
    """
    certificate = certificate_info() if signed else None
    return {
        "register_number": register_number,
        "verify_url": verify_url,
        "short_url": short_url(verify_url),
        "qr": qr_svg(verify_url),
        "signed": signed,
        "approvals": list(approvals),
        "certificate": certificate,
        "signed_on": (signed_on or timezone.localdate()) if signed else None,
        "timestamped": bool(signed and settings.RUMO_TSA_URL),
    }
