"""A fake Elasticsearch server for tests: a transport node that records requests and answers them.

Machines without Elasticsearch still exercise the real client, the bulk helper and the dsl's
response parsing; only the HTTP hop is replaced. Answers come from `routes`, a list of
(method, path predicate, response) tried in order; anything unmatched gets `{"acknowledged": true}`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse  # not re-exported at the top level
from elasticsearch import Elasticsearch

Response = tuple[int, Any]
Responder = Callable[["RecordedRequest"], Response]


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]
    body: Any  # parsed JSON, a list of parsed lines for NDJSON (bulk, msearch), or None

    @property
    def bulk_actions(self) -> list[tuple[str, dict]]:
        """(operation, metadata) of each action in a bulk body."""
        actions = []
        lines = iter(self.body or [])
        for line in lines:
            ((operation, meta),) = line.items()
            if operation != "delete":
                next(lines)  # the document source
            actions.append((operation, meta))
        return actions


@dataclass
class FakeElasticsearch:
    routes: list[tuple[str, Callable[[str], bool], Response | Responder]] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self):
        self.client = Elasticsearch("http://elasticsearch.invalid:9200", node_class=self._node_class(), max_retries=0)

    def on(self, method: str, path: str | Callable[[str], bool], response: Response | Responder) -> "FakeElasticsearch":
        matcher = path if callable(path) else (lambda actual, expected=path: actual == expected)
        self.routes.append((method, matcher, response))
        return self

    def calls(self) -> list[tuple[str, str]]:
        return [(request.method, request.path) for request in self.requests]

    def _answer(self, request: RecordedRequest) -> Response:
        for method, matches, response in self.routes:
            if method == request.method and matches(request.path):
                return response(request) if callable(response) else response
        if request.path.endswith("/_bulk"):
            return 200, _bulk_ok(request)
        return 200, {"acknowledged": True}

    def _node_class(self) -> type[BaseNode]:
        fake = self

        class RecordingNode(BaseNode):
            def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
                url = urlsplit(target)
                request = RecordedRequest(
                    method,
                    url.path,
                    dict(parse_qsl(url.query)),
                    _parse_body(body, ndjson=url.path.endswith(("/_bulk", "/_msearch"))),
                )
                fake.requests.append(request)
                status, payload = fake._answer(request)
                meta = ApiResponseMeta(
                    status=status,
                    http_version="1.1",
                    headers=HttpHeaders({"x-elastic-product": "Elasticsearch", "content-type": "application/json"}),
                    duration=0.0,
                    node=self.config,
                )
                raw = b"" if method == "HEAD" else json.dumps(payload).encode()
                return NodeApiResponse(meta, raw)

        return RecordingNode


def _parse_body(body: bytes | None, *, ndjson: bool) -> Any:
    if not body:
        return None
    text = body.decode()
    if ndjson:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def _bulk_ok(request: RecordedRequest) -> dict:
    items = [
        {operation: {"_index": meta.get("_index"), "_id": meta.get("_id"), "status": 200, "result": "ok"}}
        for operation, meta in request.bulk_actions
    ]
    return {"took": 1, "errors": False, "items": items}
