"""The plain search document of a product, built in bulk. Both backends index from `build_documents`.

A document describes one browsable product (standalone or parent; a child's data rolls up into its
parent's document). It always exists for a product that exists; `searchable` says whether search
may show it: the product is public and its pesantren verified.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from fulfilment.selectors import sold_lines
from sellers.models import SellerStatus

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")


def document_product_ids(product_ids: Iterable[int]) -> tuple[list[int], set[int]]:
    """Resolve changed ids to the ids that own documents: (ids with a document, ids that no longer exist).

    A variant (child) change re-indexes its parent. One query.
    """
    wanted = {int(pk) for pk in product_ids}
    if not wanted:
        return [], set()
    rows = list(Product.objects.filter(pk__in=wanted).values_list("pk", "parent_id"))
    existing = {pk for pk, _parent in rows}
    owners = {parent_id or pk for pk, parent_id in rows}
    return sorted(owners), wanted - existing


def build_documents(product_ids: Iterable[int]) -> list[dict]:
    """Documents for these product ids (variants resolved to their parents), in a constant number of queries.

    Fields: id, slug, title, description, category_ids (with ancestors), category_names,
    category_paths ("Makanan > Keripik"), seller_id, seller_name, seller_slug, seller_status,
    province_code, kabupaten_code, kabupaten_name, kecamatan_code, sector, price (Decimal or None:
    the lowest retail price), in_stock, halal, pirt, bpom (a licence number that has not expired),
    rating (float, 0 without reviews), review_count, units_sold, curation_stars and curation_stars_until
    (as curation last wrote them; expiry is compared at search time), date_added, is_public, searchable.
    """
    ids, _gone = document_product_ids(product_ids)
    if not ids:
        return []
    products = list(
        Product.objects.filter(pk__in=ids)
        .select_related("product_class")
        .only(
            "pk",
            "slug",
            "title",
            "description",
            "structure",
            "is_public",
            "date_created",
            "halal_number",
            "halal_expiry",
            "pirt_number",
            "pirt_expiry",
            "bpom_number",
            "bpom_expiry",
            "curation_stars",
            "curation_stars_until",
            "product_class__track_stock",
        )
    )
    categories = _categories_by_product(ids)
    records = _stockrecords_by_product(ids)
    units_sold = _units_sold_by_product(ids)
    ratings = _ratings_by_product(ids)
    today = timezone.localdate()

    documents = []
    for product in products:
        product_records = records.get(product.pk, [])
        seller = next((r.partner.seller for r in product_records if _seller_of(r) is not None), None)
        prices = [r.price for r in product_records if r.price is not None]
        track_stock = product.product_class.track_stock if product.product_class_id else True
        in_stock = any(_record_available(r, track_stock) for r in product_records)
        category_ids, category_names, category_paths = categories.get(product.pk, ([], [], []))
        rating, review_count = ratings.get(product.pk, (0.0, 0))
        documents.append(
            {
                "id": product.pk,
                "slug": product.slug,
                "title": product.title or "",
                "description": strip_tags(product.description or "").strip(),
                "category_ids": category_ids,
                "category_names": category_names,
                "category_paths": category_paths,
                "seller_id": seller.pk if seller else None,
                "seller_name": seller.name if seller else "",
                "seller_slug": seller.slug if seller else "",
                "seller_status": seller.status if seller else "",
                "province_code": seller.province_id if seller else "",
                "kabupaten_code": seller.kabupaten_id if seller else "",
                "kabupaten_name": seller.kabupaten.name if seller else "",
                "kecamatan_code": seller.kecamatan_id if seller else "",
                "sector": seller.sector if seller else "",
                "price": min(prices) if prices else None,
                "in_stock": in_stock,
                "halal": _licence_valid(product.halal_number, product.halal_expiry, today),
                "pirt": _licence_valid(product.pirt_number, product.pirt_expiry, today),
                "bpom": _licence_valid(product.bpom_number, product.bpom_expiry, today),
                "rating": rating,
                "review_count": review_count,
                "units_sold": units_sold.get(product.pk, 0),
                # Written by curation's service; the backends compare the expiry with the day of the search.
                "curation_stars": product.curation_stars or 0,
                "curation_stars_until": product.curation_stars_until,
                "date_added": product.date_created,
                "is_public": product.is_public,
                "searchable": bool(
                    product.is_public and seller is not None and seller.status == SellerStatus.VERIFIED and prices
                ),
            }
        )
    return documents


def _seller_of(record):
    partner = record.partner
    return getattr(partner, "seller", None) if partner is not None else None


def _record_available(record, track_stock: bool) -> bool:
    if not track_stock or record.num_in_stock is None:
        return True
    return record.num_in_stock - (record.num_allocated or 0) > 0


def _licence_valid(number: str, expiry, today) -> bool:
    return bool(number) and (expiry is None or expiry >= today)


def _categories_by_product(ids: list[int]) -> dict[int, tuple[list[int], list[str], list[str]]]:
    """Each product's categories plus their ancestors (so a parent category's filter finds them). Two queries."""
    links = list(ProductCategory.objects.filter(product_id__in=ids).values_list("product_id", "category__path"))
    steplen = Category.steplen
    ancestor_paths = {path[:end] for _pk, path in links for end in range(steplen, len(path) + 1, steplen)}
    by_path = {
        category.path: category
        for category in Category.objects.filter(path__in=ancestor_paths).only("pk", "path", "name", "depth")
    }
    result: dict[int, tuple[list[int], list[str], list[str]]] = {}
    for product_id, path in links:
        category_ids, names, paths = result.setdefault(product_id, ([], [], []))
        chain = [by_path[path[:end]] for end in range(steplen, len(path) + 1, steplen) if path[:end] in by_path]
        for category in chain:
            if category.pk not in category_ids:
                category_ids.append(category.pk)
                names.append(category.name)
        paths.append(" > ".join(category.name for category in chain))
    return result


def _stockrecords_by_product(ids: list[int]) -> dict[int, list]:
    """Stock records of the products and of their variants, keyed by the document's product. Two queries."""
    child_parent = dict(Product.objects.filter(parent_id__in=ids).values_list("pk", "parent_id"))
    records = StockRecord.objects.filter(product_id__in=[*ids, *child_parent]).select_related(
        "partner__seller__kabupaten"
    )
    result: dict[int, list] = defaultdict(list)
    for record in records.order_by("pk"):
        result[child_parent.get(record.product_id, record.product_id)].append(record)
    return result


def _units_sold_by_product(ids: list[int]) -> dict[int, int]:
    """Quantities sold (as the dashboards count sales), variants counted towards their parent. One query."""
    rows = (
        sold_lines()
        .filter(Q(product_id__in=ids) | Q(product__parent_id__in=ids))
        .values("product_id", "product__parent_id")
        .annotate(n=Sum("quantity"))
        .order_by()
    )
    result: dict[int, int] = defaultdict(int)
    for row in rows:
        result[row["product__parent_id"] or row["product_id"]] += int(row["n"] or 0)
    return result


def _ratings_by_product(ids: list[int]) -> dict[int, tuple[float, int]]:
    """Average published product rating. One query; none while the ratings app is not installed."""
    from django.apps import apps

    if not apps.is_installed("ratings"):
        return {}
    from ratings.models import LineReview, ReviewStatus

    rows = (
        LineReview.objects.filter(product_id__in=ids, status=ReviewStatus.PUBLISHED)
        .values("product_id")
        .annotate(avg=Avg("product_rating"), n=Count("pk"))
    )
    return {row["product_id"]: (round(float(row["avg"] or 0), 2), row["n"]) for row in rows}
