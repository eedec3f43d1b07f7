"""The Content-Security-Policy: every page carries it, and no page needs more than it allows.

Scripts may come only from our own static files (and Stripe's origins), so the pages must hold no
inline <script>, no on* handler attributes and no javascript: links. The browser tests fail on any
violation the policy reports (tests/fixtures/browser.py); these tests check the header, crawl the
pages each kind of user reaches, and check the templates themselves, Oscar's included.
"""

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import oscar
import pytest
from django.conf import settings
from django.template import Context, engines
from django.template.loader_tags import ExtendsNode
from django.urls import Resolver404, resolve, reverse
from oscar.core.loading import get_model

from tests.factories import make_region_tree, make_shipping_address, place_order

PASSWORD = "pesantren123"
OSCAR_TEMPLATES = Path(oscar.__file__).parent / "templates"
PAGE_INIT_JS = settings.BASE_DIR / "static" / "js" / "page-init.js"
# Routes the crawler must not follow: they act on a GET.
NOT_CRAWLED = {"customer:logout", "dashboard:logout"}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


class ScriptAudit(HTMLParser):
    """What in a page would need 'unsafe-inline' (or another origin) to run."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        if tag == "script":
            if attributes.get("src"):
                self.external.append(attributes["src"])
            elif attributes.get("type") != "application/json":
                self.problems.append(f"line {line}: inline <script>")
        if tag in ("link", "img", "iframe") and (attributes.get("src") or attributes.get("href")):
            self.external.append(attributes.get("src") or attributes.get("href"))
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"line {line}: <{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"line {line}: <{tag} {name}={value!r}>")


def audit(html: str) -> ScriptAudit:
    parser = ScriptAudit()
    parser.feed(html)
    return parser


def assert_page_keeps_to_the_policy(url: str, response) -> None:
    directives = policy(response)
    assert directives["script-src"][0] == "'self'", url
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"} & set(directives["script-src"]), (
        url
    )
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"], url
    html = response.content.decode()
    found = audit(html)
    assert found.problems == [], f"{url}: {found.problems}"
    allowed = ("/", f"{settings.STRIPE_API_BASE.rstrip('/')}/js.stripe.com/")
    foreign = [src for src in found.external if not src.startswith(allowed) or src.startswith("//")]
    assert foreign == [], f"{url} loads {foreign}"
    assert "ajax.googleapis.com" not in html, url


def test_every_response_carries_the_policy(client, db):
    response = client.get(reverse("healthz"))

    directives = policy(response)
    stripe_origin = settings.STRIPE_API_BASE.rstrip("/")
    midtrans_origin = settings.MIDTRANS_API_URL.rstrip("/")  # GoPay's QR image
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'", stripe_origin],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", midtrans_origin],
        "font-src": ["'self'"],
        "connect-src": ["'self'", stripe_origin],
        "frame-src": ["'self'", stripe_origin],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }


def test_the_policy_names_stripe_itself_in_production(client, db, settings):
    settings.STRIPE_API_BASE = "https://api.stripe.com"

    directives = policy(client.get(reverse("healthz")))

    assert directives["script-src"] == ["'self'", "https://js.stripe.com", "https://*.js.stripe.com"]
    assert directives["connect-src"] == ["'self'", "https://api.stripe.com"]
    assert "https://hooks.stripe.com" in directives["frame-src"]


def test_the_audit_finds_what_the_policy_blocks():
    page = """<script>oscar.init()</script><script src="/static/x.js"></script>
    <script type="application/json" id="data">{}</script><a href="#" onclick="history.go(-1)">back</a>
    <a href="javascript:void(0)">x</a><img src="https://cdn.example.org/x.png">"""

    found = audit(page)

    assert found.problems == [
        "line 1: inline <script>",
        "line 2: <a onclick='history.go(-1)'>",
        "line 3: <a href='javascript:void(0)'>",
    ]
    assert found.external == ["/static/x.js", "https://cdn.example.org/x.png"]


def crawl(client, start_urls: list[str], *, visited: set[str], limit: int = 150) -> None:
    """Visit the site's pages breadth-first from `start_urls` (always) and the links they lead to, checking
    each HTML page. `visited` holds the routes already checked, so that each is checked once, as the first
    user who reaches it."""
    checked, tried, queue = 0, set(), deque((url, True) for url in start_urls)
    while queue and checked < limit:
        url, start = queue.popleft()
        try:
            route = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if route in NOT_CRAWLED or route in tried or (route in visited and not start):
            continue
        tried.add(route)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue  # another user may reach it
        assert_page_keeps_to_the_policy(url, response)
        visited.add(route)
        checked += 1
        for link in re.findall(r'<a\b[^>]*\shref="(/[^"#]*)"', response.content.decode()):
            if not link.startswith(("//", settings.STATIC_URL, settings.MEDIA_URL, "/admin/")):
                queue.append((link.replace("&amp;", "&"), False))


def sign_in(client, email: str):
    client.logout()
    assert client.login(username=email, password=PASSWORD), email
    return client


@pytest.mark.django_db(transaction=True)
def test_no_page_anyone_reaches_needs_inline_script_or_a_cdn(client, demo_world):
    from django.contrib.auth import get_user_model

    Product = get_model("catalogue", "Product")
    product = Product.objects.filter(is_public=True, stockrecords__num_in_stock__gt=0).order_by("pk").first()
    consumer = get_user_model().objects.get(email="konsumen@demo.pasarpesantren.id")
    waiting_for_card = place_order(
        items=[(product, 1)], shipping_address=make_shipping_address(regions=make_region_tree()), user=consumer
    )
    visited = set()

    # a visitor with a basket
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    crawl(
        client, ["/", reverse("basket:summary"), reverse("sellers:apply"), reverse("customer:login")], visited=visited
    )
    # each kind of user, from where they start
    for email, start in [
        (consumer.email, [reverse("checkout:pay", kwargs={"order_number": waiting_for_card.number})]),
        ("pesantren1@demo.pasarpesantren.id", [reverse("dashboard:index")]),
        ("katering@demo.pasarpesantren.id", [reverse("companies:home"), reverse("purchasing:bulk-order")]),
        ("program@demo.pasarpesantren.id", [reverse("programme:overview"), reverse("programme:mapping")]),
        ("admin@demo.pasarpesantren.id", [reverse("dashboard:index"), reverse("dashboard:catalogue-product-list")]),
    ]:
        sign_in(client, email)
        crawl(client, [*start, reverse("customer:order-list")], visited=visited)

    assert {
        "home",
        "catalogue:detail",
        "sellers:storefront",
        "basket:summary",
        "sellers:apply",
        "checkout:pay",
        "customer:order",
        "dashboard:index",
        "dashboard:catalogue-product",
        "dashboard:seller-product-edit",
        "dashboard:product-import",
        "wholesale:stockrecord-wholesale",
        "fulfilment-dashboard:seller-order-detail",
        "purchasing:bulk-order",
        "quotes:create",
        "quotes:detail",
        "invoices:detail",
        "programme:overview",
        "programme:mapping",
        "sellers-dashboard:application-list",
        "dashboard:order-list",
        "dashboard:order-detail",
        "dashboard:catalogue-class-list",
        "dashboard:reports-index",
        "dashboard:offer-list",
        "dashboard:voucher-list",
        "dashboard:range-list",
        "dashboard:comms-list",
    } - visited == set()


# --- the templates themselves ---------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", re.S)
HANDLER = re.compile(r"<[a-z][^>]*?(?<![\w-])on[a-z]+=[\"']", re.S)
JAVASCRIPT_URL = re.compile(r"(href|src|action)=[\"']\s*javascript:", re.I)


def offences(source: str) -> list[str]:
    return [
        match.group(0)[:80]
        for pattern in (INLINE_SCRIPT, HANDLER, JAVASCRIPT_URL)
        for match in pattern.finditer(source)
    ]


def our_template_files() -> list[Path]:
    roots = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]
    roots += sorted(settings.BASE_DIR.glob("*/templates"))
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_our_templates_hold_no_inline_script():
    found = {str(path.relative_to(settings.BASE_DIR)): offences(path.read_text()) for path in our_template_files()}

    assert {path: problems for path, problems in found.items() if problems} == {}


def oscar_template_names() -> list[str]:
    return sorted(str(path.relative_to(OSCAR_TEMPLATES)) for path in OSCAR_TEMPLATES.rglob("*.html"))


def is_oscars(template) -> bool:
    return Path(template.origin.name).is_relative_to(OSCAR_TEMPLATES)


def test_oscar_templates_with_inline_script_are_replaced_by_ours():
    engine = engines["django"].engine
    offending = [name for name in oscar_template_names() if offences((OSCAR_TEMPLATES / name).read_text())]

    still_oscars = [name for name in offending if is_oscars(engine.get_template(name))]

    assert "oscar/base.html" in offending and "oscar/forms/widgets/image_input_widget.html" in offending
    assert still_oscars == []


def extends_chain(name: str) -> list:
    """The template `name` resolves to, then each template it extends, the way {% extends %} finds them."""
    engine = engines["django"].engine
    chain = [engine.get_template(name)]
    while chain[-1].nodelist and isinstance(chain[-1].nodelist[0], ExtendsNode):
        parent = chain[-1].nodelist[0].parent_name.resolve(Context())
        template, _origin = engine.find_template(parent, skip=[template.origin for template in chain])
        chain.append(template)
    return chain


def onbodyload_code(template) -> str:
    """What a template puts in Oscar's `onbodyload` block (inline JavaScript), block.super aside."""
    blocks = re.findall(r"{% block onbodyload %}(.*?){% endblock", template.source, re.S)
    return "".join(re.sub(r"{{ block.super }}|{#.*?#}|\s", "", block) for block in blocks)


def test_every_oscar_page_set_up_we_render_is_declared_for_page_init_instead():
    """Our base.html never renders `onbodyload`, so an Oscar template whose set-up (e.g. oscar.basket.init())
    lives there must be extended by a template of ours that declares it in `page_init`."""
    lost = []
    for name in oscar_template_names():
        chain = extends_chain(name)
        for depth, template in enumerate(chain):
            if is_oscars(template) and onbodyload_code(template):
                ours_below = [t for t in chain[:depth] if not is_oscars(t) and "{% block page_init %}" in t.source]
                if not ours_below:
                    lost.append(f"{name}: {template.origin.template_name}")

    assert lost == []
    assert not is_oscars(extends_chain("oscar/basket/basket.html")[0])


def test_every_page_init_a_template_names_is_defined():
    script = PAGE_INIT_JS.read_text()
    names = {
        name for path in our_template_files() for name in re.findall(r'data-page-init="([^"]+)"', path.read_text())
    }

    undefined = sorted(name for name in names if not re.search(rf'^\s+"?{re.escape(name)}"?: ', script, re.M))

    assert {"storefront", "dashboard", "basket"} <= names
    assert undefined == []
