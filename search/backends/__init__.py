"""Search backends: PostgreSQL/SQLite (search.backends.database) by default, Elasticsearch 8 when
`ELASTICSEARCH_URL` is set. Everything else talks to `get_backend()` through search.backends.base."""

from django.conf import settings

from search.backends.base import SearchBackend


def get_backend() -> SearchBackend:
    if settings.ELASTICSEARCH_URL:
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()
