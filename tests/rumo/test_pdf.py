"""PDF rendering: Cyrillic text, repeatable bytes, the shared template and its fetcher."""

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest

from rumo import pdf as rumo_pdf
from rumo.pdf import (
    StaticFilesFetcher,
    approval,
    qr_svg,
    render_html,
    render_pdf,
    signature_mark,
)
from rumo.signing import certificate_info
from tests.rumo import (
    create_certificate,
    pages_of,
    pdf_text,
    qr_codes,
    use_certificate,
    use_sample_template,
    word_boxes,
)

JANUARY_15 = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
MM = 72 / 25.4  # PDF points in a millimetre
A4_WIDTH = 210 * MM


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return create_certificate(tmp_path_factory.mktemp("signing"))


@pytest.fixture
def signing(settings, certificate):
    use_certificate(settings, certificate)


@pytest.fixture
def sample(settings, tmp_path):
    return use_sample_template(settings, tmp_path)


def context(**extra):
    return {"title": "План работы РУМО", "number": "Р-2024-0001", "rows": range(1, 4), **extra}


def test_pdf_text_keeps_cyrillic(sample):
    text = pdf_text(render_pdf(sample, context()))

    assert "ПЛАН РАБОТЫ РУМО" in text
    assert "Рег. № Р-2024-0001" in text
    assert "Заседание совета: ёлка, съёмка «Ёжиков»" in " ".join(text.split())


def test_same_input_gives_identical_bytes(sample):
    first = render_pdf(sample, context(created=JANUARY_15))
    second = render_pdf(sample, context(created=JANUARY_15))

    assert first == second


def test_kept_font_configuration_gives_the_bytes_of_a_fresh_one(sample, monkeypatch):
    render_pdf(sample, context(created=JANUARY_15))  # this thread's configuration is made
    made = []
    real = rumo_pdf.FontConfiguration
    monkeypatch.setattr(rumo_pdf, "FontConfiguration", lambda: made.append(1) or real())
    kept = render_pdf(sample, context(created=JANUARY_15))
    with ThreadPoolExecutor(max_workers=1) as pool:  # a new thread makes its own
        fresh = pool.submit(render_pdf, sample, context(created=JANUARY_15)).result()

    assert made == [1]
    assert kept == fresh


def test_document_dates_come_from_the_context(sample, tmp_path):
    path = tmp_path / "dated.pdf"
    path.write_bytes(render_pdf(sample, context(created=JANUARY_15)))
    info = subprocess.run(["pdfinfo", "-isodates", str(path)], capture_output=True, text=True)

    assert "CreationDate:    2024-01-15T12:30:00+03" in info.stdout
    assert "Title:           План работы РУМО" in info.stdout


def test_fonts_are_the_shipped_ones(sample, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(render_pdf(sample, context()))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout

    assert "Rumo-Serif" in fonts
    assert "Rumo-Serif-Bold" in fonts


def test_long_table_repeats_its_header_and_numbers_pages(sample):
    data = render_pdf(sample, context(rows=range(1, 80)))

    page_two = pdf_text(data, 2)
    assert "Мероприятие" in page_two
    # ГОСТ Р 7.0.97: the number at the top centre, from the second page on.
    assert page_two.split()[0] == "2"
    assert pdf_text(data, 3).split()[0] == "3"
    assert pdf_text(data, 1).split()[:2] == ["ПЛАН", "РАБОТЫ"]
    words = word_boxes(data, 2)
    number = next(w for w in words if w["text"] == "2")
    assert number["yMax"] < min(w["yMin"] for w in words if w["text"] == "Мероприятие")
    assert abs((number["xMin"] + number["xMax"]) / 2 - (25 + (210 - 12 - 25) / 2) * MM) < 5


def test_watermark_is_printed_only_when_asked(sample):
    def letters(data):
        return "".join(pdf_text(data).split())

    assert "ПРОЕКТ" in letters(render_pdf(sample, context(watermark="ПРОЕКТ")))
    assert "ПРОЕКТ" not in letters(render_pdf(sample, context()))


def test_signature_mark_states_the_approvals_and_the_certificate(sample, tmp_path, signing):
    url = "http://127.0.0.1:8000/v/7KQ2M9XHRD/"
    mark = signature_mark(
        register_number="Р-2024-0007",
        verify_url=url,
        signed=True,
        approvals=[
            approval("Согласовано", "Л.П. Рудакова", date(2024, 1, 22), on_paper=True, scan=True),
            approval("Утверждено", "С.Н. Лоскутова", date(2024, 1, 25)),
        ],
        signed_on=date(2026, 12, 1),
    )
    data = render_pdf(sample, context(mark=mark))

    text = " ".join(pdf_text(data).split())
    cert = certificate_info()
    assert "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text
    assert f"Сертификат: {cert.serial}" in text
    assert "Владелец: РУМО библиотекарей" in text
    valid = f"с {cert.valid_from:%d.%m.%Y} по {cert.valid_to:%d.%m.%Y}"
    assert f"Действителен: {valid}" in text
    assert "Дата подписания: 01.12.2026" in text
    assert "не квалифицированная электронная подпись (КЭП)" in text
    assert "Согласовано: Л.П. Рудакова, 22.01.2024 — на бумаге, скан хранится" in text
    assert "Утверждено: С.Н. Лоскутова, 25.01.2024 — в портале" in text
    assert "Подписал" not in text
    assert "Рег. № Р-2024-0007" in text
    assert "127.0.0.1:8000/v/7KQ2M9XHRD/" in text
    assert qr_codes(data, tmp_path) == [url]


def test_unsigned_mark_does_not_claim_a_signature(sample):
    mark = signature_mark(
        register_number="Р-2024-0008", verify_url="http://127.0.0.1:8000/v/X/", signed=False
    )
    text = pdf_text(render_pdf(sample, context(mark=mark)))

    assert "ДОКУМЕНТ ЗАРЕГИСТРИРОВАН" in text
    assert "ПОДПИСАН" not in text
    assert "Сертификат" not in text


def test_qr_svg_is_inline_svg():
    svg = qr_svg("http://127.0.0.1:8000/v/7KQ2M9XHRD/")

    assert svg.startswith("<svg")
    assert "<?xml" not in svg


def test_fetcher_serves_static_files_of_the_site():
    response = StaticFilesFetcher().fetch(
        "http://127.0.0.1:8000/static/fonts/LiberationSerif-Regular.ttf"
    )

    assert response.content_type == "font/ttf"
    assert len(response.read()) > 100_000


def test_the_fetcher_loads_no_certificates(monkeypatch, settings):
    """Each document made a fetcher whose default SSL context read the system's
    certificates (~0.1 s a PDF, 40 % of a diploma); it never fetches over HTTPS."""
    import ssl

    def refuse(*args, **kwargs):
        raise AssertionError("certificates loaded")

    monkeypatch.setattr(ssl.SSLContext, "load_default_certs", refuse)
    monkeypatch.setattr(ssl.SSLContext, "set_default_verify_paths", refuse)
    for _ in range(2):
        response = StaticFilesFetcher().fetch(
            settings.SITE_URL + "/static/fonts/LiberationSerif-Regular.ttf"
        )
        assert len(response.read()) > 100_000


def test_fetcher_serves_collected_files_with_hashed_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "LiberationSerif-Regular.0123abcd.ttf").write_bytes(b"font")

    response = StaticFilesFetcher().fetch(
        "http://127.0.0.1:8000/static/fonts/LiberationSerif-Regular.0123abcd.ttf"
    )

    assert response.read() == b"font"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/static/fonts/LiberationSerif-Regular.ttf",
        "http://127.0.0.1:8000/media/documents/secret.pdf",
        "http://127.0.0.1:8000/static/../rumo/settings.py",
        "http://127.0.0.1:8000/static/fonts/../../rumo/settings.py",
        "http://127.0.0.1:8000/static/no-such-file.png",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="Refusing"):
        StaticFilesFetcher().fetch(url)


def test_template_cannot_read_local_files(settings, tmp_path, caplog):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    folder = tmp_path / "templates" / "rumo_test"
    folder.mkdir(parents=True)
    (folder / "leak.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        f'<link rel="stylesheet" href="file://{secret}"><p>Текст</p>'
        "{% endblock content %}"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path / "templates", *engine["DIRS"]]}]

    render_pdf("rumo_test/leak.html", {"title": "Проверка"})

    assert f"Refusing to fetch 'file://{secret}'" in caplog.text


def test_text_is_not_hyphenated_and_keeps_non_breaking_spaces(sample):
    long_title = "Совершенствование библиотечно-информационного обслуживания " * 6
    data = render_pdf(sample, context(title=long_title + "на 2024 год № 1 С.Н. Лоскутова"))
    text = pdf_text(data)

    assert "\u2010" not in text and "\u00ad" not in text
    words = text.split()
    assert words.count("СОВЕРШЕНСТВОВАНИЕ") == words.count("ОБСЛУЖИВАНИЯ") == 6
    html = render_html(sample, context(title="на 2024 год № 1 С.Н. Лоскутова и Лоскутова С.Н."))
    assert "2024\u00a0год №\u00a01 С.Н.\u00a0Лоскутова и Лоскутова\u00a0С.Н." in html


def test_approved_document_is_pdf_a_2b_and_tagged(sample):
    data = render_pdf(sample, context())

    meta = subprocess.run(["pdfinfo", "-meta", "-"], input=data, capture_output=True).stdout
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True).stdout
    assert re.search(rb"pdfaid:part(>|=\")2", meta)
    assert re.search(rb"pdfaid:conformance(>|=\")B", meta)
    assert re.search(rb"Tagged:\s+yes", info)


def test_draft_is_not_claimed_to_be_archival(sample):
    data = render_pdf(sample, context(watermark="ПРОЕКТ"))
    assert (
        b"pdfaid"
        not in subprocess.run(["pdfinfo", "-meta", "-"], input=data, capture_output=True).stdout
    )


@pytest.mark.parametrize("rows", range(26, 35))
def test_signature_mark_never_sits_alone_on_the_last_page(sample, rows):
    mark = signature_mark(register_number="Р-2024-0008", verify_url="http://x/v/X/", signed=False)
    data = render_pdf(sample, context(rows=range(1, rows), mark=mark))

    last = pdf_text(data, pages_of(data))
    assert "ДОКУМЕНТ ЗАРЕГИСТРИРОВАН" in last
    assert "Заседание совета" in last
