"""Search backends: the database by default, Elasticsearch 8 when `ELASTICSEARCH_URL` is set."""

from django.conf import settings


class DatabaseBackend:
    name = "database"

    def ping(self) -> bool:
        return True


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str):
        self.url = url

    def ping(self) -> bool:
        from elasticsearch import Elasticsearch

        return bool(Elasticsearch(self.url, request_timeout=2, max_retries=0).ping())


def get_backend():
    if settings.ELASTICSEARCH_URL:
        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    return DatabaseBackend()
