"""Oscar's sorl thumbnailer, with the thumbnails a process has made remembered by source and options.

A listing card asks for its photo's thumbnail on every render; even with the key-value store's
in-process copy (core/thumbnail_kvstore.py) sorl builds the key, reads and decodes the entry and a
new image object each time: about a fifth of a cold listing's time. A thumbnail is named after its
source file and options and never changes once made, so the object is kept for `LOCAL_SECONDS`
(at most `MAX_ENTRIES` of them); deleting a source's thumbnails through this process forgets them.
"""

import time

from oscar.core.thumbnails import SorlThumbnail

LOCAL_SECONDS = 300
MAX_ENTRIES = 20_000
_made: dict = {}


class RememberingSorlThumbnail(SorlThumbnail):
    def generate_thumbnail(self, source, **opts):
        name = getattr(source, "name", None)
        if not name:
            return super().generate_thumbnail(source, **opts)
        key = (name, tuple(sorted((option, repr(value)) for option, value in opts.items())))
        now = time.monotonic()
        entry = _made.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        thumbnail = super().generate_thumbnail(source, **opts)
        if len(_made) >= MAX_ENTRIES:
            _made.clear()
        _made[key] = (now + LOCAL_SECONDS, thumbnail)
        return thumbnail

    def delete_thumbnails(self, source):
        name = getattr(source, "name", None)
        for key in [key for key in list(_made) if key[0] == name]:
            _made.pop(key, None)
        super().delete_thumbnails(source)
