"""Hostile input over every form, path converter, query parameter, CSV column and API field: never a 5xx.

Nothing here is listed by hand that the project can enumerate: the pages come from walking the site
as each kind of user (consumer, pesantren owner, company approver and buyer, programme and finance
staff, anonymous) from every named URL without parameters, following links; the forms come from
those pages' HTML; the path patterns from the URLconf; the API fields from the OpenAPI schema; the
CSV columns from the importer. Each POST runs in a savepoint that is rolled back, so one form's
hostile submission (a delete, a cancellation) cannot starve the forms after it of their objects.

A failure lists every request that answered 5xx or raised, with the exception, so one run shows
every finding.
"""

import csv
import io
import json
import re
import time
import traceback
from collections import deque
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from oscar.core.loading import get_model

from api.services import api_token_create
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")

NUL = "\x00"
FORTY_DIGITS = "9" * 40
LONG_TEXT = "x" * 10_000
UNICODE = "\u202eعربي\u202c 🙂👍🏽 e\u0301\u0301 ﷽"
# The table of hostile values. NUL is answered by one middleware for every field, so it is cheap.
TEXT_VALUES = [NUL, f"a{NUL}b", LONG_TEXT, UNICODE, ""]
NUMBER_VALUES = [FORTY_DIGITS, "-1", "NaN", "Infinity", "1e309", "-" + FORTY_DIGITS, "0.0000001"]
HOSTILE = [*TEXT_VALUES, *NUMBER_VALUES]
# Wrong JSON types where the API expects a string or a number.
JSON_VALUES = [f"a{NUL}b", LONG_TEXT, FORTY_DIGITS, UNICODE, "NaN", "", None, True, [], {"a": 1}, 10**40, -1, 1e308]

NUMBER_NAME_RE = re.compile(r"amount|price|quantity|qty|stock|threshold|limit|days|grams|weight|moq|rate|num|count")
# Never followed while walking: they end the session, switch language or belong to Django's admin.
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout", "/dashboard/logout", "/i18n/", "/static/", "/media/")
SKIPPED_VIEW_NAMES = {"customer:logout", "dashboard:logout", "payments:stripe-webhook", "api:schema"}


# --- the world ------------------------------------------------------------------------------


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = False
    regions = make_region_tree()
    seller = make_seller(regions=regions, bank_name="BSI", bank_account_number="7001234567", bank_account_holder="PP")
    category = Category.add_root(name="Makanan")
    product = make_seller_product(seller, title="Keripik Singkong", price="25000", stock=50)
    ProductCategory.objects.create(product=product, category=category)
    record = product.stockrecords.get()
    record.partner_sku = "KRP-1"
    record.save()

    consumer = make_user(email="konsumen@example.com")
    order = place_order(items=[(product, 1)], shipping_address=make_shipping_address(regions=regions), user=consumer)

    approver, buyer = make_user(email="penyetuju@example.com"), make_user(email="pembeli@example.com")
    company = make_company(members=[(approver, "approver"), (buyer, "buyer")], credit_limit=50_000_000)
    _token, secret = api_token_create(company=company, created_by=approver, name="ERP")

    staff = make_user(email="program@example.com", is_staff=True, is_superuser=True)
    staff.user_permissions.add(*Permission.objects.all())
    return {
        "regions": regions,
        "seller": seller,
        "product": product,
        "record": record,
        "category": category,
        "order": order,
        "company": company,
        "secret": secret,
        "users": {
            "pesantren": seller.owner,
            "staff": staff,
            "approver": approver,
            "buyer": buyer,
            "consumer": consumer,
            "anonymous": None,
        },
    }


def client_as(user) -> Client:
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    return client


class Findings:
    """Every request that answered 5xx or raised, kept to report them all at once."""

    def __init__(self):
        self.items: list[str] = []
        self.requests = 0

    def request(self, client: Client, method: str, url: str, **kwargs):
        self.requests += 1
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, **kwargs)
                # A hostile submission must not change the world the next ones are sent into.
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - each raised exception is a finding to report
            self.items.append(f"{method.upper()} {url[:160]} {_describe(kwargs)}: {describe_error(error)}")
            return None
        if response.status_code >= 500:
            self.items.append(f"{method.upper()} {url[:160]} {_describe(kwargs)}: {response.status_code}")
        return response

    def assert_none(self):
        unique = list(dict.fromkeys(self.items))
        assert not unique, f"{len(unique)} server errors in {self.requests} requests:\n" + "\n".join(unique[:80])


def describe_error(error: Exception) -> str:
    """The exception, where it was raised, and the deepest frame of the project's own code above it."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "site-packages" not in frame.filename and "/tests/" not in frame.filename]
    where = [frames[-1], *ours[-1:]]
    places = " via ".join(f"{frame.filename.rpartition('/')[2]}:{frame.lineno}" for frame in where)
    return f"{type(error).__name__}: {str(error)[:200]} at {places}"


def _describe(kwargs) -> str:
    data = kwargs.get("data")
    if not data:
        return ""
    text = repr(
        {
            key: (value[:20] + "…" if isinstance(value, str) and len(value) > 20 else value)
            for key, value in (data.items() if isinstance(data, dict) else [])
        }
    )
    return text[:300]


# --- reading pages --------------------------------------------------------------------------


class PageParser(HTMLParser):
    """Links and forms of a page: enough of a browser to fill in and submit each form."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
                "buttons": [],
                "multipart": "multipart" in (attrs.get("enctype") or ""),
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "image", "button"):
                self._form["buttons"].append((attrs["name"], attrs.get("value") or ""))
            elif kind in ("checkbox", "radio"):
                self._form["fields"].append(
                    {"name": attrs["name"], "kind": kind, "value": attrs.get("value") or "on", "on": "checked" in attrs}
                )
            else:
                self._form["fields"].append({"name": attrs["name"], "kind": kind, "value": attrs.get("value") or ""})
        elif tag == "button" and attrs.get("name"):
            self._form["buttons"].append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "kind": "select", "value": None, "options": []}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value")
            if value:
                self._select["options"].append(value)
                if "selected" in attrs or self._select["value"] is None:
                    self._select["value"] = value
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = {"name": attrs["name"], "kind": "textarea", "value": ""}
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(response) -> PageParser:
    parser = PageParser()
    if "html" in response.get("Content-Type", "") and not getattr(response, "streaming", False):
        parser.feed(response.content.decode("utf-8", "replace"))
    return parser


def plausible(field: dict, world) -> str | None:
    """What a user would type into a field the page left empty, so the other fields reach the save."""
    if field["kind"] in ("checkbox", "radio"):
        return field["value"] if field["on"] else None
    if field["value"]:
        return field["value"]
    name = field["name"].rsplit("-", 1)[-1]
    kind = field["kind"]
    if kind == "email" or "email" in name:
        return "uji@example.com"
    if kind == "date" or name.endswith(("_on", "date", "due", "until", "expiry")):
        return "2030-01-31"
    if kind == "number" or NUMBER_NAME_RE.search(name):
        return "3"
    if kind == "file":
        return None
    if "phone" in name or "whatsapp" in name:
        return "081234567890"
    if "npwp" in name:
        return "01.234.567.4-901.000"
    return "Teks uji"


def form_baseline(form: dict, world) -> dict:
    data = {}
    for field in form["fields"]:
        value = plausible(field, world)
        if value is not None:
            data.setdefault(field["name"], value)
    return data


# --- walking the site -----------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def url_patterns() -> list[tuple[str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


def parameterless_paths() -> list[str]:
    """Every page of the URLconf that takes no parameters, as a path."""
    paths = []
    for route, _pattern in url_patterns():
        if "<" in route or "(" in route or "[" in route:
            continue
        path = "/" + route.replace("^", "").replace("$", "").replace("\\", "")
        if not path.startswith(SKIPPED_PREFIXES):
            paths.append(path)
    return list(dict.fromkeys(paths))


def view_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.func.__qualname__


# Who opens which part of the site first; the others follow when the first is refused.
ROLE_ORDER = {
    "/dashboard/": ["pesantren", "staff"],
    "/offtaker/": ["approver", "buyer"],
    "/api/": ["approver"],
}
DEFAULT_ROLE_ORDER = ["consumer", "anonymous"]


def roles_for(path: str) -> list[str]:
    for prefix, roles in ROLE_ORDER.items():
        if path.startswith(prefix):
            return roles
    return DEFAULT_ROLE_ORDER


class QueryParameterRecorder:
    """Which query parameters each page reads: the names its view asks request.GET for."""

    def __init__(self, monkeypatch):
        self.names: set[str] = set()
        recorder = self
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, method)

            def recording(self, key, *args, _original=original, **kwargs):
                if isinstance(key, str):
                    recorder.names.add(key)
                return _original(self, key, *args, **kwargs)

            monkeypatch.setattr(QueryDict, method, recording)

    def take(self) -> set[str]:
        names, self.names = self.names, set()
        return names


def walk_site(world, clients, recorder: QueryParameterRecorder) -> list[dict]:
    """Each page the users reach (one per URL name), with its forms and the query parameters it reads."""
    # Something in the consumer's basket, so basket and checkout pages show their forms.
    clients["consumer"].post(f"/basket/add/{world['product'].pk}/", {"quantity": 1})
    pages = []
    seen: set = set()
    queue = deque((path, roles_for(path)[0]) for path in parameterless_paths())
    queue.extend(
        [
            (f"/accounts/orders/{world['order'].number}/", "consumer"),
            (world["product"].get_absolute_url(), "consumer"),
        ]
    )
    while queue:
        path, role = queue.popleft()
        path = urlsplit(path).path
        name = view_name(path)
        if name is None or name in SKIPPED_VIEW_NAMES or path.startswith(SKIPPED_PREFIXES):
            continue
        # A page is read once: by the first of its roles that may open it (the next when refused).
        if (name, role) in seen or (name in seen and role not in roles_for(path)) or (name, "ok") in seen:
            continue
        seen.update({(name, role), name})
        recorder.take()
        try:
            response = clients[role].get(path)
        except Exception as error:  # noqa: BLE001 - each raised exception is a finding to report
            pages.append({"path": path, "role": role, "error": describe_error(error), "forms": [], "reads": set()})
            continue
        reads = recorder.take() - {"csrfmiddlewaretoken"}
        roles = roles_for(path)
        if response.status_code == 200:
            seen.add((name, "ok"))
        if response.status_code in (302, 403, 404) and role in roles and roles.index(role) + 1 < len(roles):
            queue.appendleft((path, roles[roles.index(role) + 1]))
        parsed = parse_page(response) if response.status_code == 200 else PageParser()
        pages.append(
            {"path": path, "role": role, "status": response.status_code, "forms": parsed.forms, "reads": reads}
        )
        for link in parsed.links:
            parts = urlsplit(link)
            if not (parts.scheme or parts.netloc) and parts.path.startswith("/"):
                queue.append((parts.path, role))
    return pages


def submit_target(page: dict, form: dict) -> str:
    action = form["action"]
    if not action:
        return page["path"]
    parts = urlsplit(action)
    if parts.netloc:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def is_number_field(field: dict) -> bool:
    return field["kind"] == "number" or bool(NUMBER_NAME_RE.search(field["name"].rsplit("-", 1)[-1]))


# Each submission sets every field of a kind to one hostile value and leaves the others as a user
# typed them, so a value that passes its field's validation reaches the save. (That no number field
# lacks an upper bound, which a bounded neighbour would mask here, is checked by test_input_bounds.)
NUMBER_FIELD_VALUES = [FORTY_DIGITS, "-1", "1e309"]
TEXT_FIELD_VALUES = [LONG_TEXT, UNICODE]
# Every field at once: a value each field refuses, so this reaches only each field's validation. (NUL
# in any field is refused by one middleware before any view runs: marketplace/tests/test_bad_input.py.)
WHOLE_FORM_VALUES = ["NaN"]
QUERY_VALUES = [FORTY_DIGITS, "NaN", "-1", LONG_TEXT[:3000] + UNICODE]


def form_submissions(form: dict, world):
    fields = [field for field in form["fields"] if field["kind"] not in ("hidden", "file")]
    numbers = [field["name"] for field in fields if is_number_field(field)]
    texts = [field["name"] for field in fields if not is_number_field(field) and field["kind"] != "select"]
    for button in form["buttons"][:2] or [None]:
        data = dict(form_baseline(form, world), **({button[0]: button[1]} if button else {}))
        yield data
        for value in NUMBER_FIELD_VALUES if numbers else []:
            yield {**data, **dict.fromkeys(numbers, value)}
        for value in TEXT_FIELD_VALUES if texts else []:
            yield {**data, **dict.fromkeys(texts, value)}
        for value in WHOLE_FORM_VALUES:
            yield {**data, **{field["name"]: value for field in fields}}


def test_every_page_form_and_query_parameter_refuses_hostile_values_without_a_server_error(world, monkeypatch):
    """Walk the site as each kind of user, then send hostile values into every form and query parameter."""
    clients = {role: client_as(user) for role, user in world["users"].items()}
    recorder = QueryParameterRecorder(monkeypatch)
    started = time.monotonic()
    pages = walk_site(world, clients, recorder)
    print(f"walk: {len(pages)} pages in {time.monotonic() - started:.0f} s")
    findings = Findings()
    findings.items += [f"GET {page['path']} as {page['role']}: {page['error']}" for page in pages if "error" in page]
    findings.items += [
        f"GET {page['path']} as {page['role']}: {page['status']}" for page in pages if page.get("status", 0) >= 500
    ]
    reached = [page for page in pages if page.get("status") == 200]
    # A walk that stopped early would make the rest vacuous.
    assert len(reached) > 100, len(reached)

    fuzzed = set()
    for page in reached:
        for form in page["forms"]:
            target = submit_target(page, form)
            if not target or target.startswith(SKIPPED_PREFIXES):
                continue
            names = tuple(field["name"] for field in form["fields"] if field["kind"] not in ("hidden", "file"))
            key = (view_name(urlsplit(target).path), form["method"], names)
            if key in fuzzed or not names:
                continue
            fuzzed.add(key)
            method = "post" if form["method"] == "post" else "get"
            for data in form_submissions(form, world):
                findings.request(clients[page["role"]], method, target, data=data)
    assert len(fuzzed) > 40, len(fuzzed)
    print(f"forms: {len(fuzzed)} forms, {findings.requests} requests, {time.monotonic() - started:.0f} s")

    readers = [page for page in reached if page["reads"]]
    assert len(readers) > 20, len(readers)
    for page in readers:
        for value in QUERY_VALUES:
            findings.request(
                clients[page["role"]], "get", f"{page['path']}?{urlencode(dict.fromkeys(page['reads'], value))}"
            )
    findings.request(clients["anonymous"], "get", "/wilayah/anak/?parent=%00")
    print(f"queries: {len(readers)} pages, {findings.requests} requests, {time.monotonic() - started:.0f} s")
    findings.assert_none()


CONVERTER_RE = re.compile(r"<(?:(\w+):)?(\w+)>")


def test_path_parameters_with_hostile_values_cause_no_server_error(world):
    """Each URL pattern with parameters, each parameter given each hostile value its converter accepts."""
    from django.urls.converters import get_converters

    converters = get_converters()
    clients = {role: client_as(user) for role, user in world["users"].items()}
    findings = Findings()
    path_values = [NUL, f"a{NUL}b", FORTY_DIGITS, "-1", "NaN", "1e309", "x" * 300, UNICODE]
    for route, _pattern in url_patterns():
        if route.startswith("admin/") or "(?P" in route or not CONVERTER_RE.search(route):
            continue
        # Platform staff pass every permission check, so the lookup with the hostile value runs.
        role = "staff" if route.startswith("dashboard/") else roles_for("/" + route)[0]
        converter_names = [match.group(1) or "str" for match in CONVERTER_RE.finditer(route)]
        for value in path_values:
            if not all(re.fullmatch(converters[name].regex, value) for name in converter_names):
                continue  # the resolver would not match: nothing of ours would run
            url = "/" + CONVERTER_RE.sub(quote(value, safe="").replace("\\", "\\\\"), route)
            findings.request(clients[role], "get", url)
            if role == "staff":
                findings.request(clients["pesantren"], "get", url)
    findings.request(clients["consumer"], "get", "/accounts/orders/%00/")
    findings.request(clients["approver"], "get", "/api/v1/orders/%00/", HTTP_AUTHORIZATION=f"Bearer {world['secret']}")
    findings.assert_none()
    assert findings.requests > 300


def test_api_fields_with_hostile_values_and_wrong_json_types_cause_no_server_error(world):
    """Each writable field of each operation in the OpenAPI schema, given each hostile value and JSON type."""
    client = Client(raise_request_exception=True, HTTP_AUTHORIZATION=f"Bearer {world['secret']}")
    schema = client.get("/api/v1/schema/?format=json").json()
    components = schema.get("components", {}).get("schemas", {})
    findings = Findings()
    operations = 0
    for path, methods in schema["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method, operation in methods.items():
            if method not in ("post", "put", "patch", "get"):
                continue
            operations += 1
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    for value in QUERY_VALUES:
                        findings.request(client, "get", f"{url}?{urlencode({parameter['name']: value})}")
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if not body:
                continue
            example = example_of(body, components)
            for field_path in field_paths(body, components):
                for value in JSON_VALUES:
                    payload = with_value(example, field_path, value)
                    findings.request(client, method, url, data=json.dumps(payload), content_type="application/json")
            for value in (None, [], "x", 1):
                findings.request(client, method, url, data=json.dumps(value), content_type="application/json")
    findings.assert_none()
    assert operations >= 10


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        merged = {}
        for part in schema["allOf"]:
            merged.update(_resolve(part, components))
        return merged
    if "oneOf" in schema:
        return _resolve(schema["oneOf"][0], components)
    return schema


def example_of(schema: dict, components: dict, depth: int = 0):
    schema = _resolve(schema, components)
    if depth > 5:
        return None
    kind = schema.get("type")
    if "enum" in schema:
        return next((value for value in schema["enum"] if value is not None), None)
    if kind == "object" or "properties" in schema:
        return {
            name: example_of(sub, components, depth + 1)
            for name, sub in schema.get("properties", {}).items()
            if not _resolve(sub, components).get("readOnly")
        }
    if kind == "array":
        return [example_of(schema.get("items", {}), components, depth + 1)]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2030-01-31"
    if schema.get("format") == "email":
        return "uji@example.com"
    return "Teks uji"


def field_paths(schema: dict, components: dict, prefix=(), depth: int = 0) -> list[tuple]:
    schema = _resolve(schema, components)
    if depth > 5:
        return []
    if schema.get("type") == "object" or "properties" in schema:
        paths = []
        for name, sub in schema.get("properties", {}).items():
            if _resolve(sub, components).get("readOnly"):
                continue
            paths.append((*prefix, name))
            paths += field_paths(sub, components, (*prefix, name), depth + 1)
        return paths
    if schema.get("type") == "array":
        return field_paths(schema.get("items", {}), components, (*prefix, 0), depth + 1)
    return []


def with_value(example, path: tuple, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(example, dict):
        return {**example, head: with_value(example.get(head), rest, value)}
    if isinstance(example, list) and example:
        return [with_value(example[0], rest, value), *example[1:]]
    return example


def csv_file(row: dict, columns: list[str]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerow([row[name] for name in columns])
    return SimpleUploadedFile("produk.csv", buffer.getvalue().encode(), content_type="text/csv")


CSV_GOOD_ROW = {
    "sku": "BARU-1",
    "title": "Dodol Garut",
    "description": "Manis",
    "category": "Makanan",
    "price": "15000",
    "stock": "7",
    "low_stock_threshold": "2",
    "weight_grams": "250",
    "unit": "",
    "halal_number": "",
    "halal_expiry": "",
    "pirt_number": "",
    "pirt_expiry": "",
    "bpom_number": "",
    "bpom_expiry": "",
    "is_public": "yes",
}


CSV_VALUES = [NUL, FORTY_DIGITS, "-1", "NaN", "Infinity", "1e309", LONG_TEXT, UNICODE, "1" * 130, ""]


def test_every_csv_import_column_refuses_hostile_values_and_saves_nothing_bad(world):
    """Each column of the product import, given each hostile value: a form or row error, never a crash."""
    from dashboard.catalogue.imports import COLUMNS, import_job_run
    from dashboard.catalogue.models import ImportJob, ImportJobStatus

    client = client_as(world["users"]["pesantren"])
    findings = Findings()
    assert list(CSV_GOOD_ROW) == COLUMNS
    outcomes, reported = {}, {}
    for column in COLUMNS:
        for value in CSV_VALUES:
            findings.requests += 1
            with transaction.atomic():
                try:
                    response = client.post(
                        reverse("dashboard:product-import"),
                        {"file": csv_file({**CSV_GOOD_ROW, column: value}, COLUMNS)},
                    )
                    if response.status_code == 302:
                        job = import_job_run(job_id=ImportJob.objects.latest("pk").pk)
                        outcomes[column, value] = job.status
                        reported[column, value] = {(error["row"], error["column"]) for error in job.errors}
                    else:
                        outcomes[column, value] = response.status_code
                        if response.status_code >= 500:
                            findings.items.append(f"import {column}={value[:20]!r}: {response.status_code}")
                except Exception as error:  # noqa: BLE001 - each raised exception is a finding to report
                    findings.items.append(f"import {column}={value[:20]!r}: {describe_error(error)}")
                transaction.set_rollback(True)
    findings.assert_none()
    # The good row imports, so the refusals above are the hostile values' doing.
    assert outcomes["description", ""] == ImportJobStatus.DONE
    for column in COLUMNS:
        assert outcomes[column, NUL] == 400, column
    # Numbers no column holds, and a SKU longer than its column, fail the import with their cell named.
    for column in ("price", "stock", "low_stock_threshold", "weight_grams"):
        for value in (FORTY_DIGITS, "-1", "NaN", "Infinity", "1e309"):
            assert outcomes[column, value] == ImportJobStatus.FAILED, (column, value)
            assert reported[column, value] == {(2, column)}, (column, value)
    assert reported["sku", "1" * 130] == {(2, "sku")}
