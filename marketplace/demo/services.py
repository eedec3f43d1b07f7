"""Build the fictional OPOP demo world: users, verified pesantren, pending applications, products.

The business buyers (companies, their orders and quotes) are added by `marketplace.demo.business`.

The world is planned first, as plain data from `random.Random(seed)` and the loaded regions, and
then only what is missing is written, found by natural keys (emails, NSPP, UPC). So a second run
writes nothing, and `--quick` builds the start of the same world that the full run completes.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from core.html import sanitise_rich_text
from core.money import round_rupiah
from marketplace.demo import data, images
from regions.models import Region, RegionLevel
from sellers.models import DocumentKind, Sector, Seller, SellerEvent, SellerStatus
from sellers.services import seller_apply, seller_approve, seller_request_changes

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

PROGRAMME_OFFICERS_GROUP = "Programme officers"
# What programme officers need: reviewing pesantren, and Oscar 4.2's dashboard pages for orders,
# products, partners, stock alerts, users, reviews and reports (see each dashboard app's permissions_map).
PROGRAMME_OFFICER_PERMISSIONS = [
    "sellers.review_seller",
    "programme.view_programme",
    "ratings.moderate_review",
    "sellers.view_seller",
    "sellers.view_sellerdocument",
    "order.view_order",
    "order.change_order",
    "catalogue.view_product",
    "catalogue.change_product",
    "catalogue.view_category",
    "partner.view_partner",
    "partner.view_stockalert",
    "reviews.view_productreview",
    "analytics.view_userrecord",
    "{user_app}.view_user",
    "companies.verify_company",
]
FINANCE_GROUP = "Finance"
# Finance: off-taker invoices and their payments, bank transfers of orders, and payouts to pesantren.
FINANCE_PERMISSIONS = [
    "invoices.manage_invoices",
    "bank_transfers.review_transfer",
    "payouts.manage_payouts",
]
PRODUCT_CLASS_NAME = "Produk"
PRODUCT_IMAGE_FOLDER = "images/products/demo"
DOCUMENT_FOLDER = "demo"


class DemoSeedError(Exception):
    """The database is not ready for the demo world (e.g. regions are missing)."""


@dataclass(frozen=True)
class WorldSize:
    pesantren: int
    products_per_pesantren: int | None  # None: as many as the plan gives each pesantren
    pending: int


FULL_WORLD = WorldSize(pesantren=45, products_per_pesantren=None, pending=4)
QUICK_WORLD = WorldSize(pesantren=6, products_per_pesantren=5, pending=3)


@dataclass(frozen=True)
class DemoUser:
    role: str  # shown in the login table, translated
    email: str
    first_name: str
    last_name: str
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(frozen=True)
class ProductPlan:
    upc: str
    partner_sku: str
    title: str
    description: str
    category: str
    unit: str
    weight_grams: int
    price: Decimal
    num_in_stock: int
    licences: dict


@dataclass(frozen=True)
class PesantrenPlan:
    nspp: str
    owner_email: str
    status: str
    data: dict
    products: list[ProductPlan] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.data["name"]


@dataclass
class SeedResult:
    users_created: int = 0
    pesantren_created: int = 0
    pending_created: int = 0
    products_created: int = 0
    npwp_created: int = 0
    wholesale_created: int = 0
    companies_created: int = 0
    business_created: int = 0  # company orders, purchase requests and requests for quotation
    courier_settings_created: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return bool(
            self.users_created
            or self.pesantren_created
            or self.pending_created
            or self.products_created
            or self.courier_settings_created
            or self.business_created_anything
        )

    @property
    def business_created_anything(self) -> bool:
        return bool(self.npwp_created or self.wholesale_created or self.companies_created or self.business_created)


Progress = Callable[[str, int], "ProgressBar"]


class ProgressBar:
    """What the seeding needs from a progress bar; tqdm fits, and so does this silent default."""

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _silent_progress(description: str, total: int) -> ProgressBar:
    return ProgressBar()


def _email(local_part: str) -> str:
    return f"{local_part}@{data.DEMO_EMAIL_DOMAIN}"


FIXED_USERS = [
    DemoUser(gettext_lazy("consumer"), _email("konsumen"), "Rina", "Marlina"),
    DemoUser(gettext_lazy("pesantren staff"), _email("pesantren1"), "Ahmad", "Saepudin"),
    DemoUser(gettext_lazy("pesantren staff"), _email("pesantren2"), "Euis", "Komariah"),
    DemoUser(gettext_lazy("off-taker"), _email("offtaker"), "Budi", "Santoso (PT Mitra Pangan Nusantara)"),
    DemoUser(gettext_lazy("programme officer"), _email("program"), "Dewi", "Lestari", is_staff=True),
    DemoUser(
        gettext_lazy("finance (company invoices, bank transfers, payouts)"),
        _email("keuangan"),
        "Sri",
        "Wahyuni",
        is_staff=True,
    ),
    DemoUser(gettext_lazy("admin"), _email("admin"), "Admin", "Pasar Pesantren", is_staff=True, is_superuser=True),
]


# --- Planning -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    kabupaten: Region
    kecamatan: Region
    desa: Region


class _RegionPicker:
    """Jawa Barat's regions held in memory, to pick kabupaten → kecamatan → desa without queries."""

    def __init__(self, province_code: str):
        self.province = Region.objects.filter(code=province_code, level=RegionLevel.PROVINCE).first()
        regions = Region.objects.filter(code__startswith=f"{province_code}.", level__lte=RegionLevel.VILLAGE)
        children = defaultdict(list)
        regencies = []
        for region in regions.order_by("code"):
            if region.level == RegionLevel.REGENCY:
                regencies.append(region)
            elif region.level == RegionLevel.DISTRICT or region.postal_code:
                # A desa without a postal code cannot give the seller its required postal code.
                children[region.parent_id].append(region)
        self.children = children
        self.regencies = [kab for kab in regencies if any(children[kec.code] for kec in children[kab.code])]
        if self.province is None or not self.regencies:
            raise DemoSeedError(
                _(
                    "No Jawa Barat kabupaten/kota with kecamatan and desa are loaded. "
                    "Run `python manage.py load_regions` first."
                )
            )

    def place(self, rng: random.Random, kabupaten: Region) -> _Place:
        kecamatan = rng.choice([kec for kec in self.children[kabupaten.code] if self.children[kec.code]])
        return _Place(kabupaten, kecamatan, rng.choice(self.children[kecamatan.code]))


def _weighted(rng: random.Random, rows: list[tuple[str, int]]) -> str:
    values, weights = zip(*rows, strict=True)
    return rng.choices(values, weights=weights)[0]


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choices("0123456789", k=count))


def _round_price(amount: int) -> Decimal:
    step = 500 if amount < 50000 else 1000
    return max(Decimal(step), round_rupiah(amount, step=step))


def _seller_data(rng: random.Random, *, name: str, sector: str, place: _Place, province: Region) -> dict:
    title = rng.choice(data.CONTACT_TITLES)
    contact = f"{title} {rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
    bank_name, account_length = rng.choice(data.BANKS)
    story = " ".join(
        [
            rng.choice(data.STORY_OPENINGS).format(
                name=name,
                year=rng.randint(1925, 2012),
                santri=rng.randrange(80, 1500, 10),
                kecamatan=f"Kecamatan {place.kecamatan.name}",
                kabupaten=place.kabupaten.name,
            ),
            data.SECTOR_STORIES[sector],
            rng.choice(data.STORY_CLOSINGS),
        ]
    )
    return {
        "name": name,
        "tagline": rng.choice(data.TAGLINES),
        "story": story,
        "sector": sector,
        "address_line": (
            f"{rng.choice(data.STREETS)} No. {rng.randint(1, 160)}, Kp. {rng.choice(data.KAMPUNGS)} "
            f"RT {rng.randint(1, 9):02d}/RW {rng.randint(1, 12):02d}, {place.desa.name}"
        ),
        "province": province,
        "kabupaten": place.kabupaten,
        "kecamatan": place.kecamatan,
        "desa": place.desa,
        "postal_code": place.desa.postal_code,
        "contact_name": contact,
        "whatsapp": f"62{rng.choice(data.WHATSAPP_PREFIXES)}{_digits(rng, 8)}",
        "bank_name": bank_name,
        "bank_account_number": _digits(rng, account_length),
        "bank_account_holder": f"Yayasan {name}",
    }


def _licences(rng: random.Random, kind: str, kabupaten_code: str, today: datetime.date) -> dict:
    if not kind:
        return {}
    licences = {}
    if kind == "food":
        if rng.random() < 0.2:
            licences["bpom_number"] = "MD" + _digits(rng, 12)
            licences["bpom_expiry"] = today + datetime.timedelta(days=rng.randint(400, 1800))
        else:
            # P-IRT: product type, province, kabupaten, then a serial and the year of issue.
            licences["pirt_number"] = f"2{kabupaten_code}{_digits(rng, 8)}{rng.randint(21, 25)}"
            licences["pirt_expiry"] = today + datetime.timedelta(days=rng.randint(200, 5 * 365 - 10))
    if kind == "halal" or rng.random() < 0.85:
        licences["halal_number"] = f"ID{kabupaten_code}{_digits(rng, 13)}"
        licences["halal_expiry"] = today + datetime.timedelta(days=rng.randint(365, 4 * 365))
    return licences


def _ean13(first_twelve: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


def _product_catalogue() -> dict[str, list[tuple[data.ProductTemplate, str, data.Size]]]:
    """Every product title each sector can make, as (template, title, size)."""
    offers = {}
    for sector, templates in data.PRODUCT_TEMPLATES.items():
        rows = []
        for template in templates:
            for base in template.bases:
                for variant in template.variants:
                    for size in template.sizes:
                        words = [base, "" if variant == "Original" else variant, size.label]
                        rows.append((template, " ".join(w for w in words if w), size))
        offers[sector] = rows
    return offers


def plan_world(*, seed: int, size: WorldSize, province_code: str) -> tuple[list[PesantrenPlan], list[PesantrenPlan]]:
    """The verified pesantren (with products) and the pending applications to create.

    The full world is always planned and then cut to `size`, so a smaller world is the start of
    the bigger one and both share natural keys.
    """
    rng = random.Random(seed)
    picker = _RegionPicker(province_code)
    today = timezone.localdate()
    catalogue = _product_catalogue()
    for rows in catalogue.values():
        rng.shuffle(rows)

    sectors = [sector for sector, count in data.SECTOR_SHARES for _ in range(count)]
    rng.shuffle(sectors)
    regencies = list(picker.regencies)
    rng.shuffle(regencies)
    core_names = list(data.PESANTREN_CORE_NAMES)
    rng.shuffle(core_names)
    pending_statuses = [
        SellerStatus.APPLIED,
        SellerStatus.CHANGES_REQUESTED,
        SellerStatus.APPLIED,
        SellerStatus.APPLIED,
    ]
    total = len(sectors) + len(pending_statuses)
    if total > len(core_names):
        raise DemoSeedError("Not enough pesantren names for the demo world.")

    verified, pending = [], []
    for index in range(total):
        is_pending = index >= len(sectors)
        sector = rng.choice([Sector.FOOD, Sector.HERBAL, Sector.CRAFTS]) if is_pending else sectors[index]
        # Round-robin over the shuffled kabupaten spreads the pesantren over the whole province.
        place = picker.place(rng, regencies[index % len(regencies)])
        prefix = _weighted(rng, data.PESANTREN_PREFIXES)
        name = f"{prefix} {core_names[index]} {place.kecamatan.name}"
        kab_digits = place.kabupaten.code.split(".")[1]
        sequence = (9000 + index - len(sectors) + 1) if is_pending else index + 1
        nspp = f"5100{province_code}{kab_digits}{sequence:04d}"
        seller_data = _seller_data(rng, name=name, sector=sector, place=place, province=picker.province)
        if is_pending:
            plan = PesantrenPlan(
                nspp=nspp,
                owner_email=_email(f"pendaftar{index - len(sectors) + 1}"),
                status=pending_statuses[index - len(sectors)],
                data=seller_data,
            )
            pending.append(plan)
            continue
        plan = PesantrenPlan(
            nspp=nspp, owner_email=_email(f"pesantren{index + 1}"), status=SellerStatus.VERIFIED, data=seller_data
        )
        low, high = data.PRODUCTS_PER_PESANTREN.get(sector, data.DEFAULT_PRODUCTS_PER_PESANTREN)
        for number in range(1, rng.randint(low, high) + 1):
            if not catalogue[sector]:
                break
            template, title, item_size = catalogue[sector].pop()
            plan.products.append(
                ProductPlan(
                    upc=_ean13(f"899{index + 1:04d}{number:05d}"),
                    partner_sku=f"{slugify(core_names[index])[:12].upper()}-{number:03d}",
                    title=title,
                    description=template.description.format(
                        title=title, pesantren=name, kabupaten=place.kabupaten.name
                    ),
                    category=template.category,
                    unit=template.unit,
                    weight_grams=item_size.weight_grams,
                    price=_round_price(rng.randint(item_size.min_price, item_size.max_price)),
                    # A few products are sold out, so the demo shows that state too.
                    num_in_stock=0 if rng.random() < 0.05 else rng.randint(3, 250),
                    licences=_licences(rng, template.licence, f"{province_code}{kab_digits}", today),
                )
            )
        verified.append(plan)

    verified = verified[: size.pesantren]
    if size.products_per_pesantren is not None:
        verified = [
            PesantrenPlan(p.nspp, p.owner_email, p.status, p.data, p.products[: size.products_per_pesantren])
            for p in verified
        ]
    return verified, pending[: size.pending]


# --- Writing ------------------------------------------------------------------------------------


def _ensure_user(user: DemoUser, *, password_hash: str) -> tuple[object, bool]:
    User = get_user_model()
    existing = User.objects.filter(email__iexact=user.email).first()
    if existing is not None:
        return existing, False
    created = User(
        username=user.email,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name[:150],
        is_staff=user.is_staff,
        is_superuser=user.is_superuser,
        password=password_hash,
    )
    created.full_clean()
    created.save()
    return created, True


def _group(name: str, permission_names: list[str]) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    permissions = []
    for template in permission_names:
        dotted = template.format(user_app=get_user_model()._meta.app_label)
        app_label, codename = dotted.split(".")
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is None:
            raise DemoSeedError(_("Permission %(perm)s is missing: run `manage.py migrate` first.") % {"perm": dotted})
        permissions.append(permission)
    group.permissions.add(*permissions)
    return group


def _ensure_taxonomy() -> tuple[object, dict[str, object]]:
    product_class = ProductClass.objects.filter(name=PRODUCT_CLASS_NAME).first()
    if product_class is None:
        product_class = ProductClass.objects.create(name=PRODUCT_CLASS_NAME, requires_shipping=True, track_stock=True)
    paths = {template.category for templates in data.PRODUCT_TEMPLATES.values() for template in templates}
    categories = {path: create_from_breadcrumbs(path) for path in sorted(paths)}
    return product_class, categories


def _documents(plan: PesantrenPlan) -> list[tuple[str, SimpleUploadedFile]]:
    pdf = images.document_pdf(
        title="Piagam Nomor Statistik Pondok Pesantren",
        lines=[
            plan.name,
            f"NSPP {plan.nspp}",
            f"{plan.data['kecamatan'].name}, {plan.data['kabupaten'].name}",
            "Dokumen contoh untuk demo — bukan dokumen resmi.",
        ],
    )
    upload = SimpleUploadedFile(f"piagam-nspp-{plan.nspp}.pdf", pdf, content_type="application/pdf")
    return [(DocumentKind.NSPP_CERTIFICATE, upload)]


def _apply(plan: PesantrenPlan, *, owner) -> Seller:
    colour = images.colour_for(plan.name, data.SECTOR_COLOURS[plan.data["sector"]])
    seller_data = dict(plan.data)
    seller_data["nspp"] = plan.nspp
    seller_data["email"] = plan.owner_email
    seller_data["logo"] = ContentFile(images.logo_image(name=plan.name, colour=colour), name=f"{plan.nspp}.png")
    seller_data["banner"] = ContentFile(
        images.banner_image(name=plan.name, tagline=plan.data["tagline"], colour=colour), name=f"{plan.nspp}.jpg"
    )
    return seller_apply(owner=owner, data=seller_data, documents=_documents(plan))


def _mark_notified(seller: Seller) -> None:
    # The applicants are fictional: mark their status e-mails as sent so nobody is mailed when
    # the transaction commits and the notification tasks run.
    SellerEvent.objects.filter(seller=seller, notified_at__isnull=True).update(notified_at=timezone.now())


def _owner_for(plan: PesantrenPlan, *, password_hash: str, result: SeedResult):
    first, *rest = plan.data["contact_name"].split(" ", 1)[1].split(" ")
    user, created = _ensure_user(
        DemoUser(gettext_lazy("pesantren staff"), plan.owner_email, first, " ".join(rest)), password_hash=password_hash
    )
    result.users_created += created
    return user


def _create_pesantren(plans: list[PesantrenPlan], *, officer, password_hash: str, result: SeedResult, progress):
    existing = set(Seller.objects.filter(nspp__in=[p.nspp for p in plans]).values_list("nspp", flat=True))
    missing = [plan for plan in plans if plan.nspp not in existing]
    if not missing:
        return
    bar = progress(_("Pesantren"), len(missing))
    # One transaction for the whole phase: on SQLite a commit per pesantren costs more than the work.
    with transaction.atomic():
        for plan in missing:
            seller = _apply(plan, owner=_owner_for(plan, password_hash=password_hash, result=result))
            if plan.status == SellerStatus.VERIFIED:
                seller_approve(seller=seller, approved_by=officer)
                result.pesantren_created += 1
            else:
                if plan.status == SellerStatus.CHANGES_REQUESTED:
                    seller_request_changes(seller=seller, requested_by=officer, reason=data.PENDING_CHANGES_REASON)
                result.pending_created += 1
            _mark_notified(seller)
            bar.update()
    bar.close()


def _save_file(name: str, content: bytes) -> str:
    # Overwrite a leftover from an earlier database so that repeated resets do not pile up copies.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def _create_products(plans: list[PesantrenPlan], *, product_class, categories: dict, result: SeedResult, progress):
    wanted = {product.upc: (plan, product) for plan in plans for product in plan.products}
    existing = set(Product.objects.filter(upc__in=wanted).values_list("upc", flat=True))
    missing_by_seller: dict[str, list[ProductPlan]] = defaultdict(list)
    for upc, (plan, product) in wanted.items():
        if upc not in existing:
            missing_by_seller[plan.nspp].append(product)
    if not missing_by_seller:
        return
    partners = dict(Seller.objects.filter(nspp__in=missing_by_seller).values_list("nspp", "partner_id"))
    names = {plan.nspp: plan.name for plan in plans}
    bar = progress(_("Products"), sum(len(rows) for rows in missing_by_seller.values()))
    with transaction.atomic():
        for nspp, rows in missing_by_seller.items():
            _create_seller_products(
                rows, partner_id=partners[nspp], maker=names[nspp], product_class=product_class, categories=categories
            )
            result.products_created += len(rows)
            bar.update(len(rows))
    bar.close()


def _create_seller_products(
    rows: Iterable[ProductPlan], *, partner_id: int, maker: str, product_class, categories: dict
) -> None:
    products = []
    for row in rows:
        product = Product(
            structure=Product.STANDALONE,
            product_class=product_class,
            title=row.title,
            slug=slugify(row.title),
            upc=row.upc,
            description=sanitise_rich_text(row.description),
            is_public=True,
            unit=row.unit,
            weight_grams=row.weight_grams,
            **row.licences,
        )
        product.full_clean()
        products.append(product)
    # bulk_create skips Product.save(), which sets the slug and sanitises the description (both done above)
    # and saves attributes (none).
    products = Product.objects.bulk_create(products)
    ProductCategory.objects.bulk_create(
        ProductCategory(product=product, category=categories[row.category])
        for product, row in zip(products, rows, strict=True)
    )
    stock_records, product_images = [], []
    for product, row in zip(products, rows, strict=True):
        stock_record = StockRecord(
            product=product,
            partner_id=partner_id,
            partner_sku=row.partner_sku,
            price_currency=settings.OSCAR_DEFAULT_CURRENCY,
            price=row.price,
            num_in_stock=row.num_in_stock,
        )
        stock_record.full_clean(exclude=["product", "partner"])
        stock_records.append(stock_record)
        top_category = row.category.split(" > ")[0]
        picture = images.product_image(
            title=row.title,
            category=row.category,
            maker=maker,
            colour=images.colour_for(row.title, data.CATEGORY_COLOURS[top_category]),
        )
        path = _save_file(f"{PRODUCT_IMAGE_FOLDER}/{row.upc}.jpg", picture)
        product_images.append(ProductImage(product=product, original=path, caption=row.title, display_order=0))
    StockRecord.objects.bulk_create(stock_records)
    ProductImage.objects.bulk_create(product_images)


def seed_demo_world(*, seed: int = 2026, quick: bool = False, progress: Progress = _silent_progress) -> SeedResult:
    """Create whatever part of the demo world is missing and return what was created.

    Requires migrated tables and Jawa Barat's regions (`load_regions`); raises DemoSeedError otherwise.
    """
    size = QUICK_WORLD if quick else FULL_WORLD
    province_code = settings.MARKETPLACE_PROGRAMME_PROVINCE_CODE
    verified, pending = plan_world(seed=seed, size=size, province_code=province_code)
    result = SeedResult()
    # One hash for every demo account: hashing is deliberately slow, and they share the password.
    password_hash = make_password(data.DEMO_PASSWORD)

    with transaction.atomic():
        users = {}
        for user in FIXED_USERS:
            users[user.email], created = _ensure_user(user, password_hash=password_hash)
            result.users_created += created
            result.logins.append((str(user.role), user.email))
        officer = users[_email("program")]
        officer.groups.add(_group(PROGRAMME_OFFICERS_GROUP, PROGRAMME_OFFICER_PERMISSIONS))
        users[_email("keuangan")].groups.add(_group(FINANCE_GROUP, FINANCE_PERMISSIONS))
        product_class, categories = _ensure_taxonomy()
    if pending:
        result.logins.append((_("applicant (pending)"), pending[0].owner_email))

    _create_pesantren(
        verified + pending, officer=officer, password_hash=password_hash, result=result, progress=progress
    )
    _create_products(verified, product_class=product_class, categories=categories, result=result, progress=progress)
    from marketplace.demo.couriers import seed_couriers

    seed_couriers(verified=verified, result=result)

    # Imported here: the business part builds on this module's helpers.
    from marketplace.demo.business import seed_business

    seed_business(
        verified=verified,
        officer=officer,
        categories=categories,
        password_hash=password_hash,
        result=result,
        progress=progress,
    )
    from marketplace.demo.programme import seed_programme

    seed_programme(officer=officer, password_hash=password_hash, result=result)
    from marketplace.demo.curation import seed_curation

    seed_curation(officer=officer, password_hash=password_hash, result=result)
    from marketplace.demo.competitions import seed_competitions

    seed_competitions(officer=officer, password_hash=password_hash, result=result)
    from marketplace.demo.events import seed_events

    seed_events(officer=officer, result=result)
    return result
