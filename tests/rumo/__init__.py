"""Helpers for the tests of the shared document infrastructure."""

import re
import subprocess
from html import unescape
from io import StringIO
from pathlib import Path

from django.core.management import call_command

SAMPLE_TEMPLATE = """{% extends "pdf/base.html" %}
{% block content %}
<h1>{{ title }}</h1>
<p class="center">Рег. № {{ number }}</p>
<table class="grid">
  <thead><tr><th>№</th><th>Мероприятие</th><th>Срок</th></tr></thead>
  <tbody>{% for row in rows %}<tr>
    <td>{{ row }}</td><td>Заседание совета: ёлка, съёмка «Ёжиков»</td><td>январь</td>
  </tr>{% endfor %}</tbody>
</table>
{% if mark %}{% include "pdf/signature_mark.html" %}{% endif %}
{% endblock content %}
"""


def use_sample_template(settings, directory: Path) -> str:
    """Make ``rumo_test/sample.html`` loadable and return its name."""
    folder = directory / "templates" / "rumo_test"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sample.html").write_text(SAMPLE_TEMPLATE, encoding="utf-8")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [directory / "templates", *engine["DIRS"]]}]
    return "rumo_test/sample.html"


def create_certificate(directory: Path, *, cn: str = "РУМО библиотекарей") -> Path:
    """Create a signing key and certificate in ``directory``; return the directory."""
    key, cert = directory / "key.pem", directory / "cert.pem"
    call_command(
        "create_signing_certificate",
        cn=cn,
        bits=2048,
        key=str(key),
        cert=str(cert),
        stdout=StringIO(),
    )
    return directory


def use_certificate(settings, directory: Path) -> None:
    """Sign with the certificate that create_certificate() made in ``directory``."""
    settings.RUMO_SIGNING_KEY_FILE = str(directory / "key.pem")
    settings.RUMO_SIGNING_CERT_FILE = str(directory / "cert.pem")


def pdf_text(data: bytes, *pages: int) -> str:
    """Return the text pdftotext extracts from a PDF (optionally pages first..last)."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    result = subprocess.run([*args, "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def qr_codes(data: bytes, directory: Path) -> list[str]:
    """Return what zbarimg reads from the QR codes of a PDF rendered at 150 dpi."""
    pdf = directory / "qr.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(directory / "page")], check=True)
    found = []
    for image in sorted(directory.glob("page*.png")):
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
            capture_output=True,
            text=True,
        )
        found += result.stdout.split()
    return found


def pages_of(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    return int(info.stdout.split(b"Pages:")[1].split()[0])


def word_boxes(data: bytes, page: int) -> list[dict]:
    """Return the words of a page with their boxes in PDF points (pdftotext -bbox)."""
    args = ["pdftotext", "-bbox", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-", "-"]
    html = subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()
    words = []
    for match in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html,
    ):
        box = dict(
            zip(("xMin", "yMin", "xMax", "yMax"), map(float, match.groups()[:4]), strict=True)
        )
        words.append({**box, "text": unescape(match.group(5))})
    return words
