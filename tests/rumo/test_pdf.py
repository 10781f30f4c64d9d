"""PDF rendering: Cyrillic text, repeatable bytes, the shared template and its fetcher."""

import subprocess
from datetime import UTC, date, datetime

import pytest

from rumo.pdf import StaticFilesFetcher, qr_svg, render_pdf, signature_mark
from tests.rumo import pdf_text, qr_codes, use_sample_template

JANUARY_15 = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def sample(settings, tmp_path):
    return use_sample_template(settings, tmp_path)


def context(**extra):
    return {"title": "План работы РУМО", "number": "Р-2024-0001", "rows": range(1, 4), **extra}


def test_pdf_text_keeps_cyrillic(sample):
    text = pdf_text(render_pdf(sample, context()))

    assert "ПЛАН РАБОТЫ РУМО" in text
    assert "Рег. № Р-2024-0001" in text
    assert "Заседание совета: ёлка, съёмка «Ёжиков»" in text


def test_same_input_gives_identical_bytes(sample):
    first = render_pdf(sample, context(created=JANUARY_15))
    second = render_pdf(sample, context(created=JANUARY_15))

    assert first == second


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
    assert page_two.split()[-1] == "2"


def test_watermark_is_printed_only_when_asked(sample):
    def letters(data):
        return "".join(pdf_text(data).split())

    assert "ПРОЕКТ" in letters(render_pdf(sample, context(watermark="ПРОЕКТ")))
    assert "ПРОЕКТ" not in letters(render_pdf(sample, context()))


def test_signature_mark_shows_signer_and_a_readable_qr_code(sample, tmp_path):
    url = "http://127.0.0.1:8000/v/7KQ2M9XHRD/"
    mark = signature_mark(
        register_number="Р-2024-0007",
        verify_url=url,
        signed=True,
        signer="Рудакова Л.П.",
        position="Председатель РУМО педагогических работников",
        signed_on=date(2024, 1, 15),
    )
    data = render_pdf(sample, context(mark=mark))

    text = " ".join(pdf_text(data).split())
    assert "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text
    assert "Подписал: Рудакова Л.П." in text
    assert "Дата подписания: 15.01.2024" in text
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
