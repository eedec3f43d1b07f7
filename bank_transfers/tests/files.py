from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def png_upload(name="bukti.png", size=None):
    content = PNG if size is None else PNG + b"\x00" * (size - len(PNG))
    return SimpleUploadedFile(name, content, content_type="image/png")


def pdf_upload(name="bukti.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf_upload(name="bukti.pdf"):
    """A text file dressed up as a PDF: the browser's content type says PDF, the bytes do not."""
    return SimpleUploadedFile(name, b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
