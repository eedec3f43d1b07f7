"""The thumbnailer remembers the thumbnails it made (core/thumbnails.py)."""

from types import SimpleNamespace

from oscar.core.thumbnails import SorlThumbnail

from core import thumbnails


def test_a_thumbnail_is_made_once_per_source_and_options_and_forgotten_when_deleted(monkeypatch):
    made = []
    monkeypatch.setattr(thumbnails, "_made", {})
    monkeypatch.setattr(SorlThumbnail, "generate_thumbnail", lambda self, source, **opts: made.append(opts) or object())
    monkeypatch.setattr(SorlThumbnail, "delete_thumbnails", lambda self, source: None)
    thumbnailer = thumbnails.RememberingSorlThumbnail()
    photo, other = SimpleNamespace(name="images/products/a.jpg"), SimpleNamespace(name="images/products/b.jpg")

    first = thumbnailer.generate_thumbnail(photo, size="440x400", upscale=False)
    again = thumbnailer.generate_thumbnail(photo, upscale=False, size="440x400")
    smaller = thumbnailer.generate_thumbnail(photo, size="160x160", upscale=False)
    thumbnailer.generate_thumbnail(other, size="440x400", upscale=False)
    thumbnailer.delete_thumbnails(photo)
    remade = thumbnailer.generate_thumbnail(photo, size="440x400", upscale=False)

    assert first is again and smaller is not first
    assert remade is not first
    assert len(made) == 4
