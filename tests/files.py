"""Small real files for upload tests: they pass the content checks of rumo/uploads.py."""

import io
import zipfile

from PIL import Image


def pdf(*objects: bytes, text: str = "Rumo") -> bytes:
    """A one-page PDF with a correct cross-reference table; ``objects`` add catalog entries."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    extra = b"".join(objects)
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    )
    return out.getvalue()


def image(kind: str = "PNG", **info) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, kind, **info)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    return zipped(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", **(extra or {})}
    )


PDF = pdf()
PNG = image("PNG")
JPEG = image("JPEG")
