"""Writing, replying to and moderating reviews, and the averages they make."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from fulfilment.services import seller_order_complete
from ratings.models import LineReview, ReviewModerationEvent, ReviewReply, ReviewStatus
from ratings.selectors import (
    RatingSummary,
    average_rating_by_product,
    product_rating_summary,
    published_reviews_for_product,
    rating_summary_by_product,
    review_states_for_order,
    seller_rating_summary,
)
from ratings.services import ReviewError, review_create, review_hide, review_reply, review_unhide
from ratings.tests.conftest import buy, deliver
from tests.factories import make_seller_product, make_user

pytestmark = pytest.mark.django_db


def write(line, author, product_rating=5, seller_rating=4, **extra):
    return review_create(line=line, author=author, product_rating=product_rating, seller_rating=seller_rating, **extra)


def test_buyer_reviews_a_delivered_line(world):
    review = write(world["kopi_line"], world["buyer"], title=" Mantap ", body="Harum sekali.")

    assert review.product == world["kopi"]
    assert review.seller == world["coffee"]
    assert (review.product_rating, review.seller_rating) == (5, 4)
    assert (review.title, review.body, review.status) == ("Mantap", "Harum sekali.", ReviewStatus.PUBLISHED)


def test_a_completed_part_can_be_reviewed_too(world):
    seller_order_complete(seller_order=world["parts"][world["coffee"].pk])

    assert write(world["kopi_line"], world["buyer"]).pk


def test_a_line_not_yet_delivered_cannot_be_reviewed(world):
    with pytest.raises(ReviewError, match="once it has been delivered"):
        write(world["kain_line"], world["buyer"])

    assert not LineReview.objects.exists()


def test_each_line_is_reviewed_only_once(world):
    write(world["kopi_line"], world["buyer"])

    with pytest.raises(ReviewError, match="already reviewed"):
        write(world["kopi_line"], world["buyer"], product_rating=1)

    assert list(LineReview.objects.values_list("product_rating", flat=True)) == [5]


def test_the_database_refuses_a_second_review_of_a_line(world):
    review = write(world["kopi_line"], world["buyer"])

    with pytest.raises(IntegrityError):
        LineReview.objects.create(
            line=world["kopi_line"], seller=review.seller, author=review.author, product_rating=3, seller_rating=3
        )


def test_only_the_buyer_may_review(world):
    stranger = make_user()

    with pytest.raises(ReviewError, match="Only the customer"):
        write(world["kopi_line"], stranger)

    assert not LineReview.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, -1, "lima", None, "4.5"])
def test_ratings_must_be_whole_stars_from_1_to_5(world, bad):
    with pytest.raises(ReviewError, match="from 1 to 5"):
        write(world["kopi_line"], world["buyer"], product_rating=bad)
    with pytest.raises(ReviewError, match="from 1 to 5"):
        write(world["kopi_line"], world["buyer"], seller_rating=bad)

    assert not LineReview.objects.exists()


def test_the_database_refuses_ratings_out_of_bounds(world):
    review = write(world["kopi_line"], world["buyer"])

    with pytest.raises(IntegrityError):
        LineReview.objects.filter(pk=review.pk).update(product_rating=6)


def test_a_second_purchase_of_the_same_product_gets_its_own_review(world):
    order, parts = buy(buyer=world["buyer"], items=[(world["kopi"], 2)], regions=world["regions"])
    deliver(parts[world["coffee"].pk])

    write(world["kopi_line"], world["buyer"], product_rating=5)
    write(order.lines.get(), world["buyer"], product_rating=2)

    assert product_rating_summary(product=world["kopi"]).count == 2


def test_order_page_states_mark_reviewable_and_reviewed_lines(world):
    # given: the coffee part is delivered, the batik part only paid
    order, kopi_line, kain_line = world["order"], world["kopi_line"], world["kain_line"]

    # when / then
    assert review_states_for_order(order=order, user=world["buyer"]) == {kopi_line.pk: "reviewable"}
    write(kopi_line, world["buyer"])
    assert review_states_for_order(order=order, user=world["buyer"]) == {kopi_line.pk: "reviewed"}
    assert kain_line.pk not in review_states_for_order(order=order, user=world["buyer"])
    assert review_states_for_order(order=order, user=make_user()) == {}


def test_the_owning_pesantren_replies_once(world):
    review = write(world["kopi_line"], world["buyer"])

    reply = review_reply(review=review, seller=world["coffee"], author=world["coffee"].owner, body=" Terima kasih ")

    assert ReviewReply.objects.get(review=review).body == "Terima kasih"
    assert reply.author == world["coffee"].owner
    with pytest.raises(ReviewError, match="already has a reply"):
        review_reply(review=review, seller=world["coffee"], author=world["coffee"].owner, body="Lagi")
    assert ReviewReply.objects.count() == 1


def test_another_pesantren_cannot_reply(world):
    review = write(world["kopi_line"], world["buyer"])

    with pytest.raises(ReviewError, match="your own products"):
        review_reply(review=review, seller=world["batik"], author=world["batik"].owner, body="Kopi kami lebih enak")

    assert not ReviewReply.objects.exists()


def test_an_empty_reply_is_refused(world):
    review = write(world["kopi_line"], world["buyer"])

    with pytest.raises(ReviewError):
        review_reply(review=review, seller=world["coffee"], author=world["coffee"].owner, body="   ")

    assert not ReviewReply.objects.exists()


def test_hiding_needs_a_reason_and_is_recorded(world):
    review = write(world["kopi_line"], world["buyer"])
    officer = make_user()

    with pytest.raises(ReviewError, match="reason"):
        review_hide(review=review, actor=officer, reason=" ")
    hidden = review_hide(review=review, actor=officer, reason="Kata-kata kasar")

    assert (hidden.status, hidden.hidden_by, hidden.hidden_reason) == (ReviewStatus.HIDDEN, officer, "Kata-kata kasar")
    assert hidden.hidden_at is not None
    with pytest.raises(ReviewError, match="already"):
        review_hide(review=review, actor=officer, reason="lagi")
    shown = review_unhide(review=review, actor=officer, reason="Sudah diperbaiki")
    assert (shown.status, shown.hidden_by, shown.hidden_at, shown.hidden_reason) == (
        ReviewStatus.PUBLISHED,
        None,
        None,
        "",
    )
    assert list(ReviewModerationEvent.objects.values_list("from_status", "to_status", "reason")) == [
        (ReviewStatus.PUBLISHED, ReviewStatus.HIDDEN, "Kata-kata kasar"),
        (ReviewStatus.HIDDEN, ReviewStatus.PUBLISHED, "Sudah diperbaiki"),
    ]


def test_averages_count_only_published_reviews(world):
    # given: three delivered purchases of the coffee rated 5, 4 and 2; the pesantren rated 3, 4, 4
    reviews = [write(world["kopi_line"], world["buyer"], product_rating=5, seller_rating=3)]
    for product_rating in (4, 2):
        order, parts = buy(buyer=world["buyer"], items=[(world["kopi"], 1)], regions=world["regions"])
        deliver(parts[world["coffee"].pk])
        reviews.append(write(order.lines.get(), world["buyer"], product_rating=product_rating, seller_rating=4))

    # then
    assert product_rating_summary(product=world["kopi"]).average == Decimal("3.7")
    assert product_rating_summary(product=world["kopi"]).count == 3
    assert seller_rating_summary(seller=world["coffee"]).average == Decimal("3.7")
    assert average_rating_by_product([world["kopi"].pk, world["kain"].pk]) == {world["kopi"].pk: Decimal("3.7")}

    # when: the 2-star review is hidden
    review_hide(review=reviews[2], actor=None, reason="Spam")

    # then
    assert product_rating_summary(product=world["kopi"]).average == Decimal("4.5")
    assert seller_rating_summary(seller=world["coffee"]).count == 2
    assert average_rating_by_product([world["kopi"].pk]) == {world["kopi"].pk: Decimal("4.5")}
    assert reviews[2] not in published_reviews_for_product(product=world["kopi"])
    assert product_rating_summary(product=world["kain"]).average is None
    assert average_rating_by_product([]) == {}


def test_a_variants_reviews_count_for_its_parent(world):
    from oscar.test.factories import create_product

    parent = create_product(title="Madu Hutan", structure="parent")
    child = make_seller_product(world["coffee"], title="Madu Hutan 250 ml", parent=parent, structure="child")
    order, parts = buy(buyer=world["buyer"], items=[(child, 1)], regions=world["regions"])
    deliver(parts[world["coffee"].pk])

    write(order.lines.get(), world["buyer"], product_rating=3)

    assert product_rating_summary(product=parent).average == Decimal("3.0")
    assert average_rating_by_product([parent.pk, child.pk]) == {parent.pk: Decimal("3.0"), child.pk: Decimal("3.0")}


def test_rating_summary_by_product_gives_counts_for_search_documents(world):
    write(world["kopi_line"], world["buyer"], product_rating=4)

    summaries = rating_summary_by_product([world["kopi"].pk, world["kain"].pk])

    assert summaries == {world["kopi"].pk: RatingSummary(average=Decimal("4.0"), count=1)}
