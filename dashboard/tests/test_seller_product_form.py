"""The seller centre's product form: what a pesantren fills in, what the server sets for it, photos."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from PIL import Image

from tests.factories import make_region_tree, make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
CREATE = "dashboard:seller-product-create"
EDIT = "dashboard:seller-product-edit"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sellers():
    regions = make_region_tree()
    return make_seller(name="Pesantren Alfa", regions=regions), make_seller(name="Pesantren Beta", regions=regions)


@pytest.fixture
def category():
    return Category.add_root(name="Makanan").add_child(name="Dodol")


@pytest.fixture(autouse=True)
def english_messages(settings):
    """The tests read messages in English (the msgids); pages and clients default to Indonesian."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def photo(name="foto.jpg", *, size=(400, 300), color="green", image_format="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def fields(category, **overrides):
    data = {
        "title": "Dodol Garut Wijen",
        "category": category.pk,
        "description": "Dodol ketan dan gula aren.\n\nTahan dua minggu.",
        "price": "27500",
        "num_in_stock": "40",
        "weight_grams": "250",
        "unit": "pak",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_a_pesantren_adds_a_product_with_photos_and_the_server_fills_in_the_rest(client, sellers, category):
    # given
    alfa, _beta = sellers
    client.force_login(alfa.owner)
    data = fields(category, photos=[photo("depan.jpg", color="red"), photo("samping.png", image_format="PNG")])
    data["photo_order"] = "new-1,new-0"  # the second photo was moved first

    # when
    response = client.post(reverse(CREATE), data)

    # then
    assert response.status_code == 302, response.context and response.context["form"].errors
    product = Product.objects.get(title="Dodol Garut Wijen")
    assert product.structure == Product.STANDALONE
    assert product.product_class.track_stock and product.product_class.requires_shipping
    assert list(product.categories.all()) == [category]
    assert product.description == "<p>Dodol ketan dan gula aren.</p>\n\n<p>Tahan dua minggu.</p>"
    assert (product.weight_grams, product.unit, product.is_public) == (250, "pak", True)
    record = product.stockrecords.get()
    assert (record.partner_id, record.price, record.num_in_stock) == (alfa.partner_id, 27500, 40)
    assert record.partner_sku == f"PP-{product.pk}"
    images = list(product.images.order_by("display_order"))
    assert [image.display_order for image in images] == [0, 1]
    assert "samping" in images[0].original.name and "depan" in images[1].original.name
    listing = client.get(reverse("dashboard:catalogue-product-list")).content.decode()
    assert "Dodol Garut Wijen" in listing and "sellercentre.css" in listing


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("surat.jpg", b"bukan gambar sama sekali", content_type="image/jpeg"), "is not a photo"),
        (lambda: photo("animasi.gif", image_format="GIF"), "is a GIF file"),
        (lambda: photo("kecil.jpg", size=(120, 90)), "is too small"),
    ],
    ids=["not-an-image", "gif", "too-small"],
)
def test_a_bad_photo_is_refused_with_its_name_and_nothing_is_saved(client, sellers, category, upload, message):
    alfa, _beta = sellers
    client.force_login(alfa.owner)
    upload = upload() if callable(upload) else upload

    response = client.post(reverse(CREATE), fields(category, photos=[photo("bagus.jpg"), upload]))

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["photos"])
    assert message in errors and upload.name in errors
    assert "bagus.jpg" not in errors
    assert not Product.objects.exists() and not ProductImage.objects.exists() and not StockRecord.objects.exists()


def test_a_photo_over_5_mb_is_refused(client, sellers, category, monkeypatch):
    from dashboard.catalogue import products

    alfa, _beta = sellers
    client.force_login(alfa.owner)
    monkeypatch.setattr(products, "PHOTO_MAX_BYTES", 1000)  # the same check, without building a 5 MB file

    response = client.post(reverse(CREATE), fields(category, photos=[photo("besar.jpg", size=(800, 800))]))

    assert response.status_code == 400
    assert "besar.jpg is too large" in " ".join(response.context["form"].errors["photos"])
    assert not Product.objects.exists()


def test_missing_or_wrong_fields_are_explained_and_nothing_is_saved(client, sellers, category):
    alfa, _beta = sellers
    client.force_login(alfa.owner)

    response = client.post(reverse(CREATE), fields(category, title=" ", price="-5", num_in_stock="", weight_grams=""))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"title", "price", "num_in_stock", "weight_grams"}
    assert "Please check the fields marked below" in response.content.decode()
    assert not Product.objects.exists()


def test_editing_changes_price_stock_and_photos_and_keeps_the_sku(client, sellers, category):
    # given: a product with two photos
    alfa, _beta = sellers
    product = make_seller_product(alfa, title="Kopi Arabika", price="150000", stock=5)
    record = product.stockrecords.get()
    first = ProductImage.objects.create(product=product, original=photo("satu.jpg"), display_order=0)
    second = ProductImage.objects.create(product=product, original=photo("dua.jpg"), display_order=1)
    client.force_login(alfa.owner)
    url = reverse(EDIT, kwargs={"pk": product.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["price"] == 150000
    assert 'capture="environment"' in page.content.decode() and 'accept="image/*"' in page.content.decode()

    # when: the price and stock change, the first photo goes and a new one comes before the second
    data = fields(category, title="Kopi Arabika Java Preanger", price="160000", num_in_stock="12")
    data.update(photos=[photo("baru.jpg")], photo_order=f"new-0,{second.pk}", delete_photo=[str(first.pk)])
    response = client.post(url, data)

    # then
    assert response.status_code == 302, response.context and response.context["form"].errors
    record.refresh_from_db()
    assert (record.price, record.num_in_stock, record.partner_sku) == (160000, 12, record.partner_sku)
    product.refresh_from_db()
    assert product.title == "Kopi Arabika Java Preanger"
    images = list(product.images.order_by("display_order"))
    assert [image.display_order for image in images] == [0, 1]
    assert "baru" in images[0].original.name and images[1].pk == second.pk
    assert not ProductImage.objects.filter(pk=first.pk).exists()


def test_more_than_eight_photos_are_refused(client, sellers, category):
    alfa, _beta = sellers
    client.force_login(alfa.owner)

    response = client.post(reverse(CREATE), fields(category, photos=[photo(f"f{i}.jpg") for i in range(9)]))

    assert response.status_code == 400
    assert "at most 8 photos" in " ".join(response.context["form"].errors["photos"])
    assert not Product.objects.exists()


def test_the_description_is_sanitised(client, sellers, category):
    alfa, _beta = sellers
    client.force_login(alfa.owner)

    text = '<p onclick="alert(1)">Enak</p><script>alert(2)</script><img src=x onerror=alert(3)>'
    response = client.post(reverse(CREATE), fields(category, description=text))

    assert response.status_code == 302
    description = Product.objects.get().description
    assert "Enak" in description
    assert "script" not in description and "onclick" not in description and "onerror" not in description


def test_a_pesantren_cannot_open_or_change_another_pesantrens_product(client, sellers, category):
    alfa, beta = sellers
    theirs = make_seller_product(beta, title="Kerupuk Beta", price="9000", stock=3)
    client.force_login(alfa.owner)
    url = reverse(EDIT, kwargs={"pk": theirs.pk})

    assert client.get(url).status_code == 404
    assert client.post(url, fields(category, title="Dicuri", price="1")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Kerupuk Beta"
    assert theirs.stockrecords.get().price == 9000
    assert not StockRecord.objects.filter(partner_id=alfa.partner_id).exists()


def test_someone_without_a_pesantren_gets_no_product_form(client, category):
    client.force_login(make_user(email="pembeli@example.com"))

    assert client.get(reverse(CREATE)).status_code in (302, 403, 404)
    assert client.post(reverse(CREATE), fields(category)).status_code in (302, 403, 404)
    assert not Product.objects.exists()


def test_the_product_list_filters_out_of_stock_and_hidden_products(client, sellers):
    alfa, beta = sellers
    make_seller_product(alfa, title="Beras Ada", stock=10)
    make_seller_product(alfa, title="Beras Habis", stock=0)
    make_seller_product(alfa, title="Beras Tersembunyi", stock=4, is_public=False)
    make_seller_product(beta, title="Beras Tetangga", stock=0)
    client.force_login(alfa.owner)
    url = reverse("dashboard:catalogue-product-list")

    everything = client.get(url)
    out_of_stock = client.get(url, {"status": "habis"}).content.decode()
    hidden = client.get(url, {"status": "tersembunyi"}).content.decode()
    searched = client.get(url, {"q": "ada"}).content.decode()

    assert everything.context["counts"] == {"": 3, "habis": 1, "menipis": 0, "tersembunyi": 1}
    assert "Beras Tetangga" not in everything.content.decode()
    assert "Beras Habis" in out_of_stock and "Beras Ada" not in out_of_stock
    assert "Beras Tersembunyi" in hidden and "Beras Ada" not in hidden
    assert "Beras Ada" in searched and "Beras Habis" not in searched
