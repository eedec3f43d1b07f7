"""Review pages: writing from the order page, public display, the pesantren's replies, moderation."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings.models import LineReview, ReviewReply, ReviewStatus
from ratings.services import review_create, review_hide, review_reply
from ratings.tests.conftest import buy, deliver
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def write_url(line):
    return reverse("ratings:write", kwargs={"line_id": line.pk})


def order_url(order):
    return reverse("customer:order", kwargs={"order_number": order.number})


def add_reviews(world, count, *, body="Enak dan wangi"):
    """`count` more delivered purchases of the coffee, each reviewed and answered by the pesantren."""
    world["kopi"].stockrecords.update(num_in_stock=F("num_in_stock") + count)
    reviews = []
    for index in range(count):
        buyer = make_user(first_name=f"Pembeli{index}")
        order, parts = buy(buyer=buyer, items=[(world["kopi"], 1)], regions=world["regions"])
        deliver(parts[world["coffee"].pk])
        review = review_create(
            line=order.lines.get(), author=buyer, product_rating=4, seller_rating=5, title=f"Ulasan {index}", body=body
        )
        review_reply(review=review, seller=world["coffee"], author=world["coffee"].owner, body=f"Balasan {index}")
        reviews.append(review)
    return reviews


def test_order_page_links_only_delivered_lines_to_the_review_form(english, world):
    english.force_login(world["buyer"])

    body = english.get(order_url(world["order"])).content.decode()

    assert write_url(world["kopi_line"]) in body
    assert write_url(world["kain_line"]) not in body


def test_buyer_writes_a_review_from_the_form(english, world):
    english.force_login(world["buyer"])
    assert english.get(write_url(world["kopi_line"])).status_code == 200

    response = english.post(
        write_url(world["kopi_line"]),
        {"product_rating": "5", "seller_rating": "4", "title": "Mantap", "body": "Harum sekali"},
    )

    assert response.status_code == 302
    review = LineReview.objects.get()
    assert (review.line, review.product_rating, review.seller_rating, review.body) == (
        world["kopi_line"],
        5,
        4,
        "Harum sekali",
    )
    body = english.get(order_url(world["order"])).content.decode()
    assert write_url(world["kopi_line"]) not in body
    assert "Reviewed" in body


def test_the_form_refuses_a_second_review_and_a_line_not_delivered(english, world):
    english.force_login(world["buyer"])
    data = {"product_rating": "5", "seller_rating": "5"}
    english.post(write_url(world["kopi_line"]), data)

    again = english.post(write_url(world["kopi_line"]), {"product_rating": "1", "seller_rating": "1"}, follow=True)
    undelivered = english.post(write_url(world["kain_line"]), data, follow=True)

    assert "already reviewed" in again.content.decode()
    assert "once it has been delivered" in undelivered.content.decode()
    assert list(LineReview.objects.values_list("line_id", "product_rating")) == [(world["kopi_line"].pk, 5)]
    assert english.get(write_url(world["kain_line"])).status_code == 302


def test_the_form_refuses_a_rating_out_of_bounds(english, world):
    english.force_login(world["buyer"])

    response = english.post(write_url(world["kopi_line"]), {"product_rating": "6", "seller_rating": "0"})

    assert response.status_code == 400
    assert not LineReview.objects.exists()


def test_another_customer_cannot_reach_the_form(client, world):
    client.force_login(make_user())

    assert client.get(write_url(world["kopi_line"])).status_code == 404
    assert client.post(write_url(world["kopi_line"]), {"product_rating": "1", "seller_rating": "1"}).status_code == 404
    assert not LineReview.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(write_url(world["kopi_line"]))

    assert response.status_code == 302
    assert settings.LOGIN_URL in response["Location"]


def test_product_page_and_storefront_show_ratings_and_replies(english, world):
    add_reviews(world, 2)

    product_page = english.get(world["kopi"].get_absolute_url()).content.decode()
    storefront = english.get(world["coffee"].get_absolute_url()).content.decode()

    for body in (product_page, storefront):
        assert 'data-rating-count="2"' in body
        assert "Ulasan 0" in body and "Ulasan 1" in body
        assert "Balasan 0" in body
    assert 'data-rating-average="4.0"' in product_page  # the product ratings
    assert 'data-rating-average="5.0"' in storefront  # the pesantren ratings


def test_hidden_reviews_leave_the_public_pages(english, world):
    kept, hidden = add_reviews(world, 2)
    review_hide(review=hidden, actor=None, reason="Spam")

    pages = [
        english.get(world["kopi"].get_absolute_url()),
        english.get(world["coffee"].get_absolute_url()),
        english.get(reverse("ratings:product-reviews", kwargs={"pk": world["kopi"].pk})),
        english.get(reverse("ratings:seller-reviews", kwargs={"slug": world["coffee"].slug})),
    ]

    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert "Ulasan 0" in body
        assert "Ulasan 1" not in body
        assert 'data-rating-count="1"' in body


def test_full_review_lists_paginate(english, world):
    add_reviews(world, 3)

    response = english.get(reverse("ratings:product-reviews", kwargs={"pk": world["kopi"].pk}))

    assert [review.title for review in response.context["reviews"]] == ["Ulasan 2", "Ulasan 1", "Ulasan 0"]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Not named `page`: that is pytest-playwright's fixture, and the clash made this a browser test.
@pytest.mark.parametrize("where", ["product", "storefront"])
def test_review_sections_cost_the_same_queries_for_1_or_12_reviews(english, world, where):
    url = world["kopi"].get_absolute_url() if where == "product" else world["coffee"].get_absolute_url()
    add_reviews(world, 1)
    count_queries(english, url)  # warm per-process caches (site, content types)
    with_one = count_queries(english, url)

    add_reviews(world, 11)
    count_queries(english, url)  # new reviews re-index the product, which refreshes cached search data once
    with_twelve = count_queries(english, url)

    assert with_twelve == with_one


def reviews_url():
    return reverse("ratings-dashboard:seller-review-list")


def reply_url(review):
    return reverse("ratings-dashboard:reply", kwargs={"pk": review.pk})


def test_pesantren_lists_and_replies_to_reviews_of_its_products(english, world):
    (review,) = add_reviews(world, 1)
    ReviewReply.objects.all().delete()
    english.force_login(world["coffee"].owner)

    listing = english.get(reviews_url())
    response = english.post(reply_url(review), {"body": "Terima kasih, Kak!"})

    assert [r.pk for r in listing.context["reviews"]] == [review.pk]
    assert response.status_code == 302
    assert ReviewReply.objects.get().body == "Terima kasih, Kak!"
    assert english.get(reviews_url() + "?unanswered=1").context["reviews"].count() == 0
    again = english.post(reply_url(review), {"body": "Lagi"})
    assert again.status_code == 400
    assert ReviewReply.objects.count() == 1


def test_another_pesantren_gets_404_on_reviews_it_does_not_own(client, world):
    (review,) = add_reviews(world, 1, body="Rahasia dapur Cibiru")
    ReviewReply.objects.all().delete()
    client.force_login(world["batik"].owner)

    listing = client.get(reviews_url())

    assert "Rahasia dapur Cibiru" not in listing.content.decode()
    assert client.get(reply_url(review)).status_code == 404
    assert client.post(reply_url(review), {"body": "Coba kain kami"}).status_code == 404
    assert not ReviewReply.objects.exists()


def test_customers_cannot_use_the_pesantren_review_pages(client, world):
    client.force_login(world["buyer"])

    assert client.get(reviews_url()).status_code == 404


@pytest.fixture
def moderator():
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="moderate_review", content_type__app_label="ratings"))
    return user


def moderation_url(review):
    return reverse("ratings-dashboard:moderation-detail", kwargs={"pk": review.pk})


def test_moderator_hides_and_republishes_a_review_with_a_reason(english, world, moderator):
    (review,) = add_reviews(world, 1)
    english.force_login(moderator)

    queue = english.get(reverse("ratings-dashboard:moderation-list"))
    no_reason = english.post(moderation_url(review), {"action": "hide", "reason": ""})
    hidden = english.post(moderation_url(review), {"action": "hide", "reason": "Kata kasar"})

    assert [r.pk for r in queue.context["reviews"]] == [review.pk]
    assert no_reason.status_code == 400
    assert hidden.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.hidden_by, review.hidden_reason) == (ReviewStatus.HIDDEN, moderator, "Kata kasar")
    hidden_queue = english.get(reverse("ratings-dashboard:moderation-list") + "?status=hidden")
    assert [r.pk for r in hidden_queue.context["reviews"]] == [review.pk]
    english.post(moderation_url(review), {"action": "unhide", "reason": "Salah paham"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


def test_moderation_needs_the_permission(client, world):
    (review,) = add_reviews(world, 1)
    for user in (make_user(is_staff=True), world["coffee"].owner):
        client.force_login(user)

        assert client.get(reverse("ratings-dashboard:moderation-list")).status_code == 403
        assert client.post(moderation_url(review), {"action": "hide", "reason": "x"}).status_code == 403

    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


@pytest.mark.parametrize("who", ["pesantren", "moderator"])
def test_dashboard_review_lists_cost_the_same_queries_for_1_or_12_reviews(english, world, moderator, who):
    english.force_login(world["coffee"].owner if who == "pesantren" else moderator)
    url = reviews_url() if who == "pesantren" else reverse("ratings-dashboard:moderation-list")
    add_reviews(world, 1)
    count_queries(english, url)
    with_one = count_queries(english, url)

    add_reviews(world, 11)
    with_twelve = count_queries(english, url)

    assert with_twelve == with_one
