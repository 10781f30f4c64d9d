"""Static files as production serves them: collected under hashed names listed in a manifest."""

import json

from django.core.management import call_command
from django.templatetags.static import static

from rumo.pdf import StaticFilesFetcher

# Production uses whitenoise's compressing subclass of this storage (rumo/settings.py);
# the compression is left out here for speed, the production smoke check runs it.
MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def test_collectstatic_with_the_manifest_storage_writes_every_file_under_a_hashed_name(
    settings, tmp_path
):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}

    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "css/rumo.css",
        "fonts/LiberationSerif-Regular.ttf",
    ):
        assert manifest[name] != name, name  # hashed: browsers may cache it for ever
        assert (tmp_path / manifest[name]).is_file(), name
        assert static(name) == f"/static/{manifest[name]}"


def test_pdf_fonts_are_found_under_their_hashed_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    call_command("collectstatic", interactive=False, verbosity=0)

    url = settings.SITE_URL + static("fonts/LiberationSerif-Regular.ttf")

    found = StaticFilesFetcher.static_path(url)
    assert found.parent == tmp_path / "fonts"
    assert found.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
