"""Search backends: PostgreSQL/SQLite (search.backends.database) or Elasticsearch 8
(search.backends.elasticsearch), as MARKETPLACE_SEARCH_BACKEND says. Everything else talks to
`get_backend()` through search.backends.base."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from search.backends.base import SearchBackend

DATABASE = "database"
ELASTICSEARCH = "elasticsearch"
BACKENDS = (DATABASE, ELASTICSEARCH)


def selected_backend() -> str:
    """The value of MARKETPLACE_SEARCH_BACKEND; ImproperlyConfigured if it names no backend or lacks its URL.

    Checked when the app loads (search.apps), so a typo stops every process at start-up instead of
    surfacing as a failed search.
    """
    name = settings.MARKETPLACE_SEARCH_BACKEND
    if name not in BACKENDS:
        raise ImproperlyConfigured(f"MARKETPLACE_SEARCH_BACKEND is {name!r}; expected one of {', '.join(BACKENDS)}")
    if name == ELASTICSEARCH and not settings.ELASTICSEARCH_URL:
        raise ImproperlyConfigured("MARKETPLACE_SEARCH_BACKEND is 'elasticsearch' but ELASTICSEARCH_URL is not set")
    return name


def get_backend() -> SearchBackend:
    if selected_backend() == ELASTICSEARCH:
        from search.backends.elasticsearch import ElasticsearchBackend

        # Cheap: the backend borrows the process's one client (search.es.client).
        return ElasticsearchBackend()
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()
