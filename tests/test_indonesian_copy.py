"""The main pages of every role, rendered in Indonesian on the demo world, show no English interface copy.

English is detected with the interface's own msgids: those of Oscar's catalogue and of ours. A page
leaks when the visible text (or a placeholder, title, label or button value) contains the English of
a msgid whose Indonesian differs from it: an untranslated string, or an English template. Proper
names and words Indonesian uses as they are ("Email", "Online") have the same text in both
languages, so they never count.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import oscar
import pytest
from django.conf import settings
from oscar.core.loading import get_model

from events.models import Event, EventKind, Registration
from programme.models import MentorAssignment
from tests.test_i18n import PLACEHOLDER, PO_PATH, parse_po

pytestmark = pytest.mark.django_db(transaction=True)

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")

OSCAR_ID_PO = Path(oscar.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "django.po"
OSCAR_EN_PO = Path(oscar.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
OVERRIDES_PO = Path(settings.BASE_DIR) / "locale" / "oscar" / "id" / "LC_MESSAGES" / "django.po"

# English msgids that read the same to an Indonesian user, or that the check cannot tell from data.
ALLOWED_ENGLISH = {
    "Dashboard",  # the seller centre's name in Oscar's navigation: still replaced on our pages
    "Stripe",
    "PDF",
    "CSV",
    "API",
    "NPWP",
    "NSPP",
    "Transfer",  # "transfer bank" is Indonesian
    "Checkout",  # as Shopee and Tokopedia write it
    "wishlist",  # Tokopedia's word, in docs/glossary.md
    "quantity",  # a column name of the bulk-order CSV, typed as it is
}

VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class _VisibleText(HTMLParser):
    """The text a person reads: element text outside scripts and styles, and the attributes shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "noscript"):
            self._hidden_depth += 1
            return
        attributes = dict(attrs)
        for name in VISIBLE_ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "noscript") and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data):
        if not self._hidden_depth:
            self.parts.append(data)


# Names that are English in Indonesian too.
PROPER_NAMES = ("One Pesantren One Product",)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    text = re.sub(r"\s+", " ", " ".join(parser.parts))
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    # Email addresses are people's data, not copy ("mentor@…" is a login, not the English word).
    return EMAIL.sub(" ", text)


def _english_phrases() -> set[str]:
    """English msgids (split at their placeholders) whose Indonesian is missing or a different text.

    Oscar's English catalogue lists all its msgids; its Indonesian one lacks the newer ones.
    """
    translations = {}
    for path in (OSCAR_ID_PO, PO_PATH, OVERRIDES_PO):  # later catalogues win, as in Django
        translations.update({e.msgid: e.msgstrs.get(0, "") for e in parse_po(path) if e.msgstrs.get(0)})
    indonesian_texts = {text.strip() for text in translations.values()}
    phrases = set()
    for path in (OSCAR_EN_PO, PO_PATH):
        for entry in parse_po(path):
            if translations.get(entry.msgid, "").strip() == entry.msgid.strip():
                continue
            for piece in PLACEHOLDER.split(re.sub(r"<[^>]+>", " ", entry.msgid)):
                piece = re.sub(r"\s+", " ", piece).strip(" .,:;!?()“”\"'-–—/")
                words = re.findall(r"[A-Za-z']+", piece)
                # One word is flagged only when it is long enough not to be Indonesian too ("Total", "Status").
                if len(words) >= 2 or (len(words) == 1 and len(piece) >= 6 and piece == words[0]):
                    phrases.add(piece)
    return {phrase for phrase in phrases if phrase not in indonesian_texts and phrase not in ALLOWED_ENGLISH}


def english_on_page(text: str, phrases: set[str]) -> list[str]:
    found = []
    for phrase in phrases:
        if phrase in text and re.search(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", text):
            found.append(phrase)
    # A phrase inside a longer English phrase found on the same page says nothing new.
    return sorted(p for p in found if not any(p != other and p in other for other in found))


def _curation_pages() -> list[str]:
    from curation.models import Curation

    return [
        f"/dashboard/program/kurasi/{pk}/"
        for pk in Curation.objects.order_by("status", "pk").values_list("pk", flat=True)[:2]
    ]


def _paths_by_role() -> dict[str, list[str]]:
    product = Product.objects.filter(is_public=True, stockrecords__num_in_stock__gt=0).first()
    category = Category.objects.filter(depth=1).first()
    storefront = product.stockrecords.first().partner.seller
    consumer_order = Order.objects.filter(user__email__startswith="konsumen@").first()
    from competitions.models import Competition, Entry

    competitions = [f"/dashboard/program/lomba/{pk}/" for pk in Competition.objects.values_list("pk", flat=True)]
    rankings = [
        f"/dashboard/program/lomba/babak/{entry.round_id}/" for entry in Entry.objects.filter(round__isnull=False)[:1]
    ]
    waiting = Entry.objects.filter(competition__status="judging").order_by("code").first()
    winner = Entry.objects.filter(award="juara_1").select_related("seller", "product").first()
    badges = [winner.seller.get_absolute_url(), winner.product.get_absolute_url()] if winner else []
    events = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    exhibitions = list(Event.objects.filter(kind=EventKind.EXHIBITION).values_list("pk", flat=True))
    registration = Registration.objects.filter(seller__owner__email__startswith="pesantren1@").first()
    public = [
        "/",
        "/pesantren/",
        f"/pesantren/{storefront.slug}/",
        "/catalogue/",
        category.get_absolute_url(),
        product.get_absolute_url(),
        "/search/?q=kopi",
        "/basket/",
        "/accounts/login/",
        "/pesantren/daftar/",
        "/search/?stars=3",
        *badges,
        "/acara/",
        "/acara/sertifikat/",
        *(f"/acara/{pk}/" for pk in events),
        *(f"/acara/{pk}/etalase/" for pk in exhibitions),
        "/data-terbuka/",
    ]
    curated = Product.objects.filter(curation_stars__gt=0).order_by("pk").first()
    if curated:
        public.append(curated.get_absolute_url())
    consumer = ["/accounts/profile/", "/accounts/orders/", "/accounts/addresses/", "/accounts/wishlists/", "/basket/"]
    if consumer_order:
        consumer.append(f"/accounts/orders/{consumer_order.number}/")
    mentor_visits = [
        f"/dashboard/program/mentor/{pk}/kunjungan/"
        for pk in MentorAssignment.objects.filter(mentor__email__startswith="mentor@").values_list("pk", flat=True)[:1]
    ]
    return {
        "": public,
        "konsumen": consumer,
        "pesantren1": [
            "/dashboard/",
            "/dashboard/pesanan/",
            "/dashboard/catalogue/",
            "/dashboard/ongkir/",
            "/dashboard/grosir/",
            "/dashboard/penawaran/",
            "/dashboard/keuangan/saya/",
            "/dashboard/ulasan/",
            "/dashboard/acara/",
            *([f"/dashboard/acara/{registration.pk}/"] if registration else []),
            "/dashboard/lomba/",
        ],
        "juri": [
            "/dashboard/program/lomba/",
            *competitions,
            *rankings,
            *([f"/dashboard/program/lomba/entri/{waiting.pk}/nilai/"] if waiting else []),
        ],
        "katering": [
            "/offtaker/",
            "/offtaker/pesanan/",
            "/offtaker/persetujuan/",
            "/offtaker/rfq/",
            "/offtaker/faktur/",
            "/offtaker/pesan-massal/",
            "/offtaker/acara/",
        ],
        "program": [
            "/dashboard/program/",
            "/dashboard/program/pesantren/",
            "/dashboard/program/laporan/",
            "/dashboard/program/laporan/32.02/",
            "/dashboard/pesantren/",
            "/dashboard/offtaker/",
            "/dashboard/ulasan/moderasi/",
            "/dashboard/program/kurasi/",
            "/dashboard/program/kurasi/ajukan/",
            "/dashboard/program/kurasi/rubrik/",
            "/dashboard/program/kurasi/rubrik/ubah/",
            "/dashboard/program/lomba/",
            *competitions,
            *rankings,
            "/dashboard/program/peran/",
            "/dashboard/program/pendampingan/",
            "/dashboard/program/acara/",
            "/dashboard/program/acara/tambah/",
            *(f"/dashboard/program/acara/{pk}/" for pk in events),
            *(f"/dashboard/program/acara/{pk}/checkin/" for pk in events),
            *(f"/dashboard/program/acara/{pk}/etalase/" for pk in exhibitions),
            *(
                f"/dashboard/program/acara/{pk}/pertemuan/"
                for pk in Event.objects.filter(kind=EventKind.BUSINESS_MEETING).values_list("pk", flat=True)
            ),
        ],
        "kurator": ["/dashboard/program/kurasi/", *_curation_pages()],
        "dinas.sukabumi": ["/dashboard/program/pendampingan/"],
        "mentor": ["/dashboard/program/mentor/", *mentor_visits],
        "keuangan": ["/dashboard/faktur/", "/dashboard/keuangan/", "/pembayaran/transfer/dashboard/"],
    }


@pytest.fixture
def walk(demo_world, client):
    def render(role: str, path: str) -> str:
        client.logout()
        if role:
            assert client.login(username=f"{role}@demo.pasarpesantren.id", password="pesantren123"), role
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
        response = client.get(path, follow=True)
        assert response.status_code == 200, (role, path, response.status_code)
        assert not any("login" in url for url, _status in response.redirect_chain), (role, path)
        return visible_text(response.content.decode())

    return render


def test_main_pages_of_every_role_show_no_english_copy(walk):
    # given
    phrases = _english_phrases()
    # a consumer with something in the basket sees the basket's full copy
    assert len(phrases) > 500

    # when
    leaks = {}
    for role, paths in _paths_by_role().items():
        for path in paths:
            found = english_on_page(walk(role, path), phrases)
            if found:
                leaks[f"{role or 'anonymous'} {path}"] = found

    # then
    assert not leaks, "English on Indonesian pages:\n" + "\n".join(f"{page}: {found}" for page, found in leaks.items())


def test_the_check_catches_english_copy():
    phrases = {"Proceed to checkout", "Add to wish list", "Basket"}

    assert english_on_page("Total Rp 150.000 Proceed to checkout", phrases) == ["Proceed to checkout"]
    assert english_on_page("Lanjut ke pembayaran Rp 150.000", phrases) == []
    assert visible_text('<input placeholder="Add to wish list"><script>var a="Basket"</script>') == ("Add to wish list")
    assert visible_text("<p>Pendamping: mentor@demo.pasarpesantren.id</p>").strip() == "Pendamping:"
