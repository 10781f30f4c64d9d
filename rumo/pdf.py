"""PDF rendering: Django templates laid out by WeasyPrint, fonts from static/."""

import hashlib
import posixpath
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

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


class StaticFilesFetcher(URLFetcher):
    """Serve /static/... from the staticfiles finders and refuse every other URL.

    A PDF template must never read local files or reach the network: what is
    printed depends only on the template, its context and the static files.
    """

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


def render_html(template_name: str, context: dict) -> str:
    """Render a PDF template to HTML with the defaults pdf/base.html expects."""
    return render_to_string(template_name, {"created": None, "watermark": "", **context})


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template extending pdf/base.html to PDF bytes.

    The same template and context give the same bytes: the document dates
    come from ``context["created"]`` (absent means no date is written).
    """
    html = render_html(template_name, context)
    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=StaticFilesFetcher())
    return document.write_pdf(
        font_config=FontConfiguration(),
        pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode(),
    )


def qr_svg(url: str) -> SafeString:
    """Return ``url`` as a QR code in inline SVG, sized by the CSS of its container."""
    code = segno.make(url, error="m")
    return mark_safe(code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr"))


def short_url(url: str) -> str:
    """Return ``url`` without its scheme, as printed under a QR code."""
    return url.split("://", 1)[-1]


def signature_mark(
    *,
    register_number: str,
    verify_url: str,
    signed: bool,
    signer: str = "",
    position: str = "",
    signed_on: date | None = None,
) -> dict:
    """Return the context of templates/pdf/signature_mark.html."""
    return {
        "register_number": register_number,
        "verify_url": verify_url,
        "short_url": short_url(verify_url),
        "qr": qr_svg(verify_url),
        "signed": signed,
        "signer": signer,
        "position": position,
        "signed_on": signed_on,
    }
