"""The mentor's dashboard and visits: photos checked like product photos, action items with due dates
that the mentor marks done (overdue ones flagged), and the marketplace's own figures (sales, orders,
rating) in the days before the first visit and since, from a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fulfilment.models import SellerOrder
from fulfilment.services import order_payment_succeeded
from programme import access, selectors, services
from programme.models import ActionItem, MentorVisit, RoleKind, VisitPhoto
from programme.tests.helpers import make_areas, make_mapped, make_provincial_officer, make_role, photo_upload
from ratings.models import LineReview
from tests.factories import make_seller, make_seller_product, make_shipping_address, make_user, place_order

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MARKETPLACE_PRIVATE_MEDIA_ROOT = tmp_path
    VisitPhoto._meta.get_field("image").storage.location = str(tmp_path)  # the storage was built at import
    yield


@pytest.fixture
def world(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    areas = make_areas()
    province = access.scope_for(make_provincial_officer())
    mentor = make_role(RoleKind.MENTOR)
    record = make_mapped(areas["sukabumi"], name="Pondok Lele Barokah", nspp="510032020001")
    assignment = services.mentor_assign(scope=province, mentor=mentor, pesantren=record, assigned_by=None)
    client.force_login(mentor)
    return {"areas": areas, "province": province, "mentor": mentor, "assignment": assignment, "record": record}


def visit_data(**overrides):
    today = timezone.localdate()
    data = {
        "visited_on": today.isoformat(),
        "topics": "Kemasan",
        "notes": "",
        "action_1": "Foto produk ulang",
        "due_1": (today + datetime.timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return data


def test_a_mentor_logs_a_visit_with_photos_from_the_camera(client, world):
    url = reverse("programme:mentor-visits", args=[world["assignment"].pk])

    form = client.get(url).content.decode()
    response = client.post(
        url, visit_data(photos=[photo_upload("depan.jpg"), photo_upload("rak.png", image_format="PNG")])
    )

    assert 'capture="environment"' in form and 'accept="image/*"' in form and 'enctype="multipart/form-data"' in form
    assert response.status_code == 302
    photos = list(MentorVisit.objects.get().photos.order_by("pk"))
    assert [photo.content_type for photo in photos] == ["image/jpeg", "image/png"]
    page = client.get(url).content.decode()
    for photo in photos:
        assert reverse("programme:visit-photo", args=[photo.pk]) in page
    served = client.get(reverse("programme:visit-photo", args=[photos[0].pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("surat.jpg", b"bukan foto", content_type="image/jpeg"), "is not a photo"),
        (lambda: photo_upload("animasi.gif", image_format="GIF"), "is a GIF file"),
        (lambda: photo_upload("kecil.jpg", size=(120, 90)), "is too small"),
    ],
    ids=["not-an-image", "gif", "too-small"],
)
def test_a_bad_photo_is_refused_with_its_name_and_nothing_is_saved(client, world, upload, message):
    upload = upload()

    response = client.post(
        reverse("programme:mentor-visits", args=[world["assignment"].pk]),
        visit_data(photos=[photo_upload("bagus.jpg"), upload]),
    )

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["photos"])
    assert message in errors and upload.name in errors and "bagus.jpg" not in errors
    assert not MentorVisit.objects.exists() and not VisitPhoto.objects.exists() and not ActionItem.objects.exists()


@pytest.mark.usefixtures("english_messages")
def test_the_service_refuses_bad_or_too_many_photos_whatever_the_caller(world):
    scope = access.scope_for(world["mentor"])
    today = timezone.localdate()

    with pytest.raises(Exception) as too_many:
        services.mentor_visit_log(
            scope=scope,
            assignment=world["assignment"],
            visited_on=today,
            topics="Kemasan",
            notes="",
            actions=[],
            photos=[photo_upload(f"{n}.jpg") for n in range(services.MAX_VISIT_PHOTOS + 1)],
        )
    with pytest.raises(Exception) as bad:
        services.mentor_visit_log(
            scope=scope,
            assignment=world["assignment"],
            visited_on=today,
            topics="Kemasan",
            notes="",
            actions=[],
            photos=[photo_upload("kecil.jpg", size=(50, 50))],
        )

    assert "At most 6 photos per visit." in str(too_many.value)
    assert "is too small" in str(bad.value)
    assert not MentorVisit.objects.exists()


def test_an_action_cannot_be_due_in_the_past_even_for_a_visit_logged_late(client, world):
    today = timezone.localdate()
    last_week = today - datetime.timedelta(days=7)

    response = client.post(
        reverse("programme:mentor-visits", args=[world["assignment"].pk]),
        visit_data(visited_on=last_week.isoformat(), due_1=(today - datetime.timedelta(days=1)).isoformat()),
    )

    assert response.status_code == 400
    assert "An action cannot be due in the past: give a date from today on." in response.content.decode()
    assert not MentorVisit.objects.exists()


def test_the_mentor_marks_an_action_done_and_overdue_ones_are_flagged(client, world):
    scope = access.scope_for(world["mentor"])
    visit = services.mentor_visit_log(
        scope=scope,
        assignment=world["assignment"],
        visited_on=timezone.localdate() - datetime.timedelta(days=20),
        topics="Kemasan",
        notes="",
        actions=[("Daftar halal", timezone.localdate() + datetime.timedelta(days=3))],
    )
    # due dates pass: one item logged earlier is overdue now
    overdue = ActionItem.objects.create(
        visit=visit, description="Cetak label", due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    home_url = reverse("programme:mentor-home")

    before = client.get(home_url)
    done = client.post(reverse("programme:mentor-action-done", args=[overdue.pk]))
    again = client.post(reverse("programme:mentor-action-done", args=[overdue.pk]))
    after = client.get(home_url)

    assert [item.pk for item in before.context["due_items"]] == [
        overdue.pk,
        visit.action_items.get(description="Daftar halal").pk,
    ]
    assert 'data-state="overdue"' in before.content.decode()
    assert done.status_code == 302 and again.status_code == 302
    overdue.refresh_from_db()
    assert overdue.done_at is not None and overdue.done_by == world["mentor"]
    assert [item.description for item in after.context["due_items"]] == ["Daftar halal"]
    assert 'data-state="overdue"' not in after.content.decode()
    visits_page = client.get(reverse("programme:mentor-visits", args=[world["assignment"].pk])).content.decode()
    assert 'data-state="done"' in visits_page


def test_a_mentor_cannot_mark_another_mentors_action_or_see_its_photo(client, world):
    other = make_role(RoleKind.MENTOR)
    theirs = make_mapped(world["areas"]["bandung"], name="Pondok Orang Lain", nspp="510032040001")
    assignment = services.mentor_assign(scope=world["province"], mentor=other, pesantren=theirs, assigned_by=None)
    visit = services.mentor_visit_log(
        scope=access.scope_for(other),
        assignment=assignment,
        visited_on=timezone.localdate(),
        topics="Rahasia",
        notes="",
        actions=[("Rahasia", timezone.localdate())],
        photos=[photo_upload()],
    )
    item, photo = visit.action_items.get(), visit.photos.get()

    assert client.post(reverse("programme:mentor-action-done", args=[item.pk])).status_code == 404
    assert client.get(reverse("programme:visit-photo", args=[photo.pk])).status_code == 404
    item.refresh_from_db()
    assert item.done_at is None


def test_an_ended_assignment_leaves_the_mentors_reach(client, world):
    services.mentor_assignment_end(scope=world["province"], assignment=world["assignment"], ended_by=None)

    home = client.get(reverse("programme:mentor-home")).content.decode()

    assert "Pondok Lele Barokah" not in home
    assert client.get(reverse("programme:mentor-visits", args=[world["assignment"].pk])).status_code == 404


# --- Before and since: the marketplace's own figures ----------------------------------------------


def _sale(product, address, *, paid_on: datetime.date, quantity: int = 1):
    order = place_order(items=[(product, quantity)], shipping_address=address)
    order_payment_succeeded(order_id=order.pk)
    paid_at = timezone.make_aware(datetime.datetime.combine(paid_on, datetime.time(10)))
    SellerOrder.objects.filter(order=order).update(paid_at=paid_at)
    return order


def _review(order, *, rating: int, on: datetime.date):
    line = order.lines.get()
    seller = SellerOrder.objects.get(order=order).seller
    review = LineReview.objects.create(
        line=line, product=line.product, seller=seller, author=make_user(), product_rating=rating, seller_rating=rating
    )
    created = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    LineReview.objects.filter(pk=review.pk).update(created_at=created)


def _registered_assignment(world, *, index: int, name: str, first_visit: datetime.date, sales: list):
    tree = world["areas"]["sukabumi"]
    regions = {**tree, "kecamatan": [tree["kecamatan"][index]], "desa": [tree["desa"][index]]}
    seller = make_seller(name=name, regions=regions, nspp=f"51003202{index + 10:04d}")
    record = make_mapped(tree, index=index, name=name, nspp=seller.nspp, seller=seller)
    assignment = services.mentor_assign(
        scope=world["province"], mentor=world["mentor"], pesantren=record, assigned_by=None
    )
    MentorVisit.objects.create(assignment=assignment, visited_on=first_visit, topics="Harga")
    MentorVisit.objects.create(
        assignment=assignment, visited_on=first_visit + datetime.timedelta(days=30), topics="Label"
    )
    product = make_seller_product(seller, price="100000", stock=100)
    address = make_shipping_address(regions=tree)
    for paid_on, quantity, rating in sales:
        order = _sale(product, address, paid_on=paid_on, quantity=quantity)
        if rating:
            _review(order, rating=rating, on=paid_on)
    return assignment


def test_figures_before_and_since_the_first_visit_come_from_the_marketplace(world):
    first = datetime.date(2026, 5, 1)
    assignment = _registered_assignment(
        world,
        index=1,
        name="Pondok Kopi",
        first_visit=first,
        sales=[
            (first - datetime.timedelta(days=200), 5, None),  # before the 90-day window: not counted
            (first - datetime.timedelta(days=30), 1, 3),
            (first - datetime.timedelta(days=1), 1, None),
            (first, 2, 5),  # the day of the first visit counts as since
            (first + datetime.timedelta(days=40), 3, 4),
        ],
    )

    rows = selectors.mentoring_progress(access.mentor_assignments(access.scope_for(world["mentor"])), today=TODAY)

    by_pk = {row.assignment.pk: row for row in rows}
    row = by_pk[assignment.pk]
    assert row.first_visit == first and row.last_visit == first + datetime.timedelta(days=30)
    assert row.since_days == (TODAY - first).days + 1
    # 100,000 each, plus the order's shipping is not part of the pesantren's sales (subtotal only)
    assert (row.before.sales, row.before.orders, row.before.rating, row.before.reviews) == (
        Decimal("200000.00"),
        2,
        Decimal("3"),
        1,
    )
    assert (row.since.sales, row.since.orders, row.since.rating, row.since.reviews) == (
        Decimal("500000.00"),
        2,
        Decimal("4.5"),
        2,
    )
    assert row.sales_change == Decimal("300000.00")
    unregistered = by_pk[world["assignment"].pk]
    assert not unregistered.registered and unregistered.before is None


def test_the_dashboard_shows_the_figures_in_rupiah(client, world):
    first = timezone.localdate() - datetime.timedelta(days=10)
    _registered_assignment(
        world, index=1, name="Pondok Kopi", first_visit=first, sales=[(first - datetime.timedelta(days=5), 15, 4)]
    )

    page = client.get(reverse("programme:mentor-home")).content.decode()

    assert "Rp 1.500.000" in page and "Rp 0" in page
    assert "Not registered on the marketplace yet: no sales figures." in page


def test_the_mentor_dashboard_takes_the_same_number_of_queries_for_one_or_many_pesantren(client, world):
    first = datetime.date(2026, 5, 1)
    sales = [(first - datetime.timedelta(days=3), 1, 4), (first + datetime.timedelta(days=3), 2, 5)]
    _registered_assignment(world, index=1, name="Pondok Satu", first_visit=first, sales=sales)
    url = reverse("programme:mentor-home")
    client.get(url)

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _registered_assignment(world, index=2, name="Pondok Dua", first_visit=first, sales=sales)
    world["record"].refresh_from_db()
    with CaptureQueriesContext(connection) as three:
        page = client.get(url)

    assert "Pondok Dua" in page.content.decode()
    assert len(three) == len(one)
    # the selector itself: assignments, sales by period, ratings by period
    scope = access.scope_for(world["mentor"])
    with CaptureQueriesContext(connection) as selector:
        selectors.mentoring_progress(access.mentor_assignments(scope), today=TODAY)
    assert len(selector) == 3
