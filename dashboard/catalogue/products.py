"""A pesantren's own products, as the seller centre's product form saves them.

The form asks only what a pesantren knows (name, category, description, price, stock, weight,
photos and, for a product sold in several sizes or colours, its variants). What Oscar's back office
would ask on top is set here: the product type, the structure (standalone, or a parent whose
variants are Oscar child products), the stock records bound to the pesantren's partner and their SKUs.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from PIL import Image, UnidentifiedImageError

from core.locks import lock_stock_records
from sellers.models import Seller

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

DEFAULT_PRODUCT_CLASS_NAME = "Produk"
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_COUNT = 8
PHOTO_MIN_SIDE = 200
# What Pillow reports → what the pesantren is told it may upload. Phones save JPEG (or, asked for
# image/*, convert HEIC to it); PNG and WebP come from screenshots and editing apps.
PHOTO_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
PRODUCT_FIELDS = [
    "title",
    "description",
    "weight_grams",
    "unit",
    "halal_number",
    "halal_expiry",
    "pirt_number",
    "pirt_expiry",
    "bpom_number",
    "bpom_expiry",
    "is_public",
]


VARIANT_MAX_COUNT = 20
VARIANT_LABEL_MAX_LENGTH = 60
# A variant's title is its product's and its own label: "Dodol Garut – 250 g".
VARIANT_TITLE_SEPARATOR = " – "


@dataclass
class StockValues:
    price: int | None
    num_in_stock: int | None
    low_stock_threshold: int | None


@dataclass
class VariantValues:
    """One row of the form's variants: pk None for a new one, delete for one to remove."""

    pk: int | None
    label: str
    price: int
    num_in_stock: int
    weight_grams: int | None
    delete: bool = False


def variant_title(product_title: str, label: str) -> str:
    return f"{product_title}{VARIANT_TITLE_SEPARATOR}{label}"


def variant_label(child) -> str:
    """The label a pesantren typed for a variant: its title without the product's in front."""
    return _label_under(child.parent.title if child.parent_id else "", child.title)


def _label_under(parent_title: str, title: str) -> str:
    title = title or ""
    prefix = f"{parent_title}{VARIANT_TITLE_SEPARATOR}"
    return title[len(prefix) :] if parent_title and title.startswith(prefix) else title


def own_variants(*, seller: Seller, product) -> list:
    """The product's variants with the pesantren's stock record of each as `own_record`, oldest first."""
    if product is None or product.pk is None or not product.is_parent:
        return []
    children = list(
        product.children.select_related("parent")
        .prefetch_related(Prefetch("stockrecords", queryset=StockRecord.objects.filter(partner_id=seller.partner_id)))
        .order_by("pk")
    )
    for child in children:
        records = list(child.stockrecords.all())
        child.own_record = records[0] if records else None
    return children


def default_product_class():
    """The product type of every product a pesantren adds: shipped, with tracked stock."""
    product_class = ProductClass.objects.filter(track_stock=True, requires_shipping=True).order_by("pk").first()
    if product_class is None:
        product_class, _created = ProductClass.objects.get_or_create(
            name=DEFAULT_PRODUCT_CLASS_NAME, defaults={"track_stock": True, "requires_shipping": True}
        )
    return product_class


def validate_product_photo(uploaded) -> None:
    """A photo the storefront can show: JPEG, PNG or WebP, at most 5 MB, at least 200 px a side.

    The type is what the file's bytes are, not what its name or the browser says.
    """
    name = getattr(uploaded, "name", "") or _("the photo")
    if uploaded.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s): a photo may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(PHOTO_MAX_BYTES)},
            code="photo_too_large",
        )
    uploaded.seek(0)
    try:
        with Image.open(io.BytesIO(uploaded.read())) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("%(name)s is not a photo: upload a JPEG, PNG or WebP image.") % {"name": name}, code="photo_type"
        ) from None
    finally:
        uploaded.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(
            _("%(name)s is a %(format)s file: upload a JPEG, PNG or WebP photo.")
            % {"name": name, "format": image_format},
            code="photo_type",
        )
    if min(width, height) < PHOTO_MIN_SIDE:
        raise ValidationError(
            _("%(name)s is too small (%(width)d × %(height)d px): use a photo of at least %(min)d px a side.")
            % {"name": name, "width": width, "height": height, "min": PHOTO_MIN_SIDE},
            code="photo_too_small",
        )


def description_from_text(text: str) -> str:
    """What a pesantren types (plain paragraphs) as the rich text Oscar stores; markup is kept as is."""
    text = (text or "").strip()
    if not text or "<" in text:
        return text
    return linebreaks(text)


def own_stockrecord(*, seller: Seller, product) -> "StockRecord | None":
    if product is None or product.pk is None:
        return None
    return StockRecord.objects.filter(product=product, partner_id=seller.partner_id).first()


def _free_sku(*, seller: Seller, product) -> str:
    base = f"PP-{product.pk}"
    sku, number = base, 1
    while StockRecord.objects.filter(partner_id=seller.partner_id, partner_sku=sku).exists():
        number += 1
        sku = f"{base}-{number}"
    return sku


def seller_product_save(
    *,
    seller: Seller,
    product,
    values: dict,
    category,
    stock: StockValues,
    new_photos: list,
    photo_order: list[str],
    delete_photo_ids: list[int],
    variants: list[VariantValues] | None = None,
):
    """Create (product=None) or update one of the pesantren's products, with its stock record or
    its variants, and its photos, all or nothing.

    Preconditions: the form validated `values`, `stock`, `variants` and `new_photos`; an existing
    `product` is the pesantren's own (dashboard.selectors.product_for_user). With variants left after
    the deletions the product is a parent: each variant (an Oscar child product) has its own stock
    record, the parent none. Without, it is standalone with `stock` (which must then be complete).
    A variant pk that is not one of the product's own children is ignored. `photo_order` lists the
    photos in their new order: ids of kept photos and "new-<i>" for the i-th new one. Photos it
    leaves out follow in their old order.
    """
    variants = variants or []
    kept_variants = [variant for variant in variants if not variant.delete]
    with transaction.atomic():
        creating = product is None
        if creating:
            product = Product(product_class=default_product_class(), structure=Product.STANDALONE)
        old_title = product.title
        for field, value in values.items():
            setattr(product, field, value)
        children = {} if creating else {child.pk: child for child in product.children.all()}
        deleting = [children[variant.pk] for variant in variants if variant.delete and variant.pk in children]
        has_variants = bool(kept_variants) or len(children) > len(deleting)
        if not creating:
            # Every record this save writes, locked at once in the one lock order.
            lock_stock_records(
                StockRecord.objects.filter(
                    product_id__in=[product.pk, *children], partner_id=seller.partner_id
                ).values_list("pk", flat=True)
            )
        product.structure = Product.PARENT if has_variants else Product.STANDALONE
        product.save()

        if category is not None:
            ProductCategory.objects.filter(product=product).exclude(category=category).delete()
            ProductCategory.objects.get_or_create(product=product, category=category)

        if has_variants:
            # A parent carries no stock record of its own: its variants do.
            StockRecord.objects.filter(product=product, partner_id=seller.partner_id).delete()
        else:
            _save_stockrecord(seller=seller, product=product, creating=creating, stock=stock)
        for child in deleting:
            child.delete()
        for variant in kept_variants:
            _save_variant(seller=seller, product=product, child=children.get(variant.pk), variant=variant, stock=stock)
        submitted = {variant.pk for variant in variants}
        for child in children.values():
            if child.pk not in submitted:
                # A variant the form did not list keeps its label under the product's new name.
                label = _label_under(old_title, child.title)
                Product.objects.filter(pk=child.pk).update(title=variant_title(product.title, label))

        _save_photos(product, new_photos=new_photos, photo_order=photo_order, delete_photo_ids=delete_photo_ids)
    return product


def _save_stockrecord(*, seller: Seller, product, creating: bool, stock: StockValues) -> None:
    record = own_stockrecord(seller=seller, product=None if creating else product)
    if record is None:
        record = StockRecord(
            product=product, partner_id=seller.partner_id, partner_sku=_free_sku(seller=seller, product=product)
        )
        record.price_currency = "IDR"
    else:
        record = lock_stock_records([record.pk])[0]
    record.price = stock.price
    record.num_in_stock = stock.num_in_stock
    record.low_stock_threshold = stock.low_stock_threshold
    record.save()


def _save_variant(*, seller: Seller, product, child, variant: VariantValues, stock: StockValues) -> None:
    if child is None:
        child = Product(parent=product, structure=Product.CHILD, product_class=None, is_public=True)
    child.title = variant_title(product.title, variant.label)
    child.weight_grams = variant.weight_grams or product.weight_grams
    child.save()
    record = own_stockrecord(seller=seller, product=child)
    if record is None:
        record = StockRecord(
            product=child, partner_id=seller.partner_id, partner_sku=_free_sku(seller=seller, product=child)
        )
        record.price_currency = "IDR"
    else:
        record = lock_stock_records([record.pk])[0]
    record.price = variant.price
    record.num_in_stock = variant.num_in_stock
    record.low_stock_threshold = stock.low_stock_threshold
    record.save()


def _save_photos(product, *, new_photos: list, photo_order: list[str], delete_photo_ids: list[int]) -> None:
    kept = {image.pk: image for image in ProductImage.objects.filter(product=product)}
    for pk in delete_photo_ids:
        image = kept.pop(pk, None)
        if image is not None:
            # A queryset delete: the model's delete renumbers every photo on each call. The file
            # goes once the deletion is committed.
            ProductImage.objects.filter(pk=image.pk).delete()
            transaction.on_commit(lambda file=image.original: file.delete(save=False))
    created = {}
    for index, photo in enumerate(new_photos):
        image = ProductImage(product=product, display_order=len(kept) + index + 1000)
        image.original.save(photo.name, photo, save=False)
        image.save()
        created[f"new-{index}"] = image

    ordered = []
    for token in photo_order:
        image = created.pop(token, None) if token.startswith("new-") else None
        if image is None and token.isdigit():
            image = kept.pop(int(token), None)
        if image is not None:
            ordered.append(image)
    ordered += sorted(kept.values(), key=lambda image: (image.display_order, image.pk))
    ordered += [created[token] for token in sorted(created, key=lambda token: int(token[4:]))]
    for position, image in enumerate(ordered):
        if image.display_order != position:
            ProductImage.objects.filter(pk=image.pk).update(display_order=position)


def photo_count_after(*, product, new_count: int, delete_photo_ids: list[int]) -> int:
    if product is None or product.pk is None:
        return new_count
    kept = ProductImage.objects.filter(product=product).exclude(pk__in=delete_photo_ids).count()
    return kept + new_count
