"""Small generated pictures for the demo: logos, banners, product photos and a scanned-looking document.

They are drawn with Pillow's bundled font, so no system font is needed, and kept small because
image encoding is most of the seeding time.
"""

import hashlib
import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

Colour = tuple[int, int, int]

WHITE: Colour = (255, 255, 255)
CREAM: Colour = (250, 244, 230)


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def shade(colour: Colour, factor: float) -> Colour:
    """Darker (factor < 1) or lighter (factor > 1) version of a colour."""
    if factor <= 1:
        return tuple(int(c * factor) for c in colour)
    return tuple(int(c + (255 - c) * (factor - 1)) for c in colour)


def colour_for(text: str, base: Colour) -> Colour:
    """A stable variation of `base` for `text`, so neighbouring items do not look identical."""
    digest = hashlib.sha1(text.encode()).digest()
    return tuple(max(0, min(255, c + (digest[i] % 61) - 30)) for i, c in enumerate(base))


def initials(name: str, skip: tuple[str, ...] = ("Pondok", "Pesantren", "Ponpes")) -> str:
    words = [w for w in name.replace("-", " ").split() if w not in skip and w[0].isalpha()]
    return "".join(w[0].upper() for w in words[:2]) or "PP"


@lru_cache(maxsize=8)
def _gradient_mask(size: tuple[int, int]) -> Image.Image:
    return Image.linear_gradient("L").resize(size)


def _gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    """A vertical two-colour gradient, built from Pillow's 256-step ramp."""
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), _gradient_mask(size))


def _centered_text(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str, font, fill) -> None:
    left, top, right, bottom = draw.multiline_textbbox((0, 0), text, font=font, align="center", spacing=8)
    x = box[0] + (box[2] - box[0] - (right - left)) / 2 - left
    y = box[1] + (box[3] - box[1] - (bottom - top)) / 2 - top
    draw.multiline_text((x, y), text, font=font, fill=fill, align="center", spacing=8)


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def product_image(*, title: str, category: str, maker: str, colour: Colour, size: int = 600) -> bytes:
    """A JPEG 'packshot': gradient background, a label card with the product name, category and maker."""
    image = _gradient((size, size), shade(colour, 1.25), shade(colour, 0.7))
    draw = ImageDraw.Draw(image)
    # Soft decorative circles make the pictures look less flat and give JPEG some texture.
    for index, radius in enumerate((size // 2, size // 3, size // 5)):
        offset = size // 8 * (index + 1)
        draw.ellipse(
            (size - offset - radius, offset - radius, size - offset + radius, offset + radius),
            outline=shade(colour, 1.4),
            width=6,
        )
    margin = size // 10
    draw.rounded_rectangle(
        (margin, size // 3, size - margin, size - margin), radius=28, fill=CREAM, outline=shade(colour, 0.6), width=4
    )
    wrapped = "\n".join(textwrap.wrap(title, width=18)[:4])
    label_box = (margin, size // 3, size - margin, size - margin - 70)
    maker_box = (margin, size - margin - 80, size - margin, size - margin - 10)
    _centered_text(draw, label_box, wrapped, _font(40), shade(colour, 0.45))
    _centered_text(draw, maker_box, maker, _font(20), (90, 90, 90))
    draw.text((margin, margin // 2 + 10), category.upper(), font=_font(26), fill=WHITE)
    return _encode(image, "JPEG", quality=82, optimize=True)


def logo_image(*, name: str, colour: Colour, size: int = 400) -> bytes:
    """A round PNG badge with the pesantren's initials."""
    image = Image.new("RGB", (size, size), WHITE)
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size - 10, size - 10), fill=colour)
    draw.ellipse((34, 34, size - 34, size - 34), outline=shade(colour, 1.5), width=6)
    _centered_text(draw, (0, 0, size, size), initials(name), _font(size // 3), WHITE)
    return _encode(image.quantize(colors=32), "PNG", optimize=True)


def banner_image(*, name: str, tagline: str, colour: Colour, width: int = 1200, height: int = 300) -> bytes:
    """A wide JPEG banner with the pesantren's name and tagline."""
    # A horizontal gradient: a vertical one, drawn on its side and turned.
    image = _gradient((height, width), shade(colour, 1.1), shade(colour, 0.6)).rotate(90, expand=True)
    draw = ImageDraw.Draw(image)
    for step in range(0, width + height, 60):
        draw.line((step, 0, step - height, height), fill=shade(colour, 0.95), width=14)
    _centered_text(draw, (0, 40, width, height - 90), name, _font(58), WHITE)
    _centered_text(draw, (0, height - 110, width, height - 30), tagline, _font(30), shade(colour, 1.7))
    return _encode(image, "JPEG", quality=80, optimize=True)


def document_pdf(*, title: str, lines: list[str]) -> bytes:
    """A one-page PDF that looks like a scanned certificate, for the application's documents."""
    width, height = 827, 585  # A5 landscape at 100 dpi
    image = Image.new("RGB", (width, height), CREAM)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, width - 20, height - 20), outline=(120, 90, 40), width=6)
    _centered_text(draw, (0, 50, width, 130), title, _font(36), (60, 40, 20))
    _centered_text(draw, (60, 150, width - 60, height - 80), "\n".join(lines), _font(22), (40, 40, 40))
    return _encode(image, "PDF", resolution=100)
