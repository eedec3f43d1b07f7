"""sorl-thumbnail's cached-db key-value store with a small in-process copy in front of the cache.

A product card asks the store for its thumbnail's entry on every render: 24 cache round trips for a
listing page of 24 cards, most of a rendered page's time on a busy Redis. An entry describes a
thumbnail already made, named after its source and options, so it never changes once written; the
copy keeps it for `LOCAL_SECONDS`, and a deletion through this process drops it at once. A thumbnail
deleted by another process may be served from here for at most that long.
"""

from django.core.cache.backends.locmem import LocMemCache
from sorl.thumbnail.kvstores.cached_db_kvstore import KVStore as CachedDBKVStore

LOCAL_SECONDS = 300
_local = LocMemCache("core.thumbnail_kvstore", {"OPTIONS": {"MAX_ENTRIES": 20_000}})


class KVStore(CachedDBKVStore):
    def _get_raw(self, key):
        value = _local.get(key)
        if value is None:
            value = super()._get_raw(key)
            if value is not None:
                _local.set(key, value, LOCAL_SECONDS)
        return value

    def _set_raw(self, key, value):
        super()._set_raw(key, value)
        _local.set(key, value, LOCAL_SECONDS)

    def _delete_raw(self, *keys):
        super()._delete_raw(*keys)
        for key in keys:
            _local.delete(key)

    def clear(self, delete_thumbnails=False):
        super().clear(delete_thumbnails=delete_thumbnails)
        _local.clear()
