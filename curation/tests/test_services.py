import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.models import SentNotification
from curation import services
from curation.models import (
    STAR_THRESHOLDS,
    CriterionScore,
    Curation,
    CurationEvent,
    CurationStatus,
    Rubric,
    stars_for_points,
)
from curation.tasks import send_curation_expiry_reminders
from curation.tests.helpers import OCOP_CRITERIA, finalise, full_points, make_curation_world, make_rubric
from programme.access import scope_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_curation_world()


@pytest.mark.parametrize(
    ("points", "stars"),
    [(100, 5), (90, 5), (89, 4), (70, 4), (69, 3), (50, 3), (49, 2), (30, 2), (29, 1), (0, 1)],
)
def test_the_total_maps_to_stars_on_ocop_bands(points, stars):
    assert stars_for_points(points) == stars
    assert [lower for lower, _stars in STAR_THRESHOLDS] == [90, 70, 50, 30, 0]


def test_a_rubric_must_add_up_to_100_points(world):
    scope = scope_for(world["provincial"])
    short = [dict(row) for row in OCOP_CRITERIA[:-1]]

    with pytest.raises(ValidationError, match="85"):
        services.rubric_publish(scope=scope, criteria=short, validity_months=36, created_by=world["provincial"])

    assert Rubric.objects.count() == 1


def test_only_the_provincial_office_edits_the_rubric(world):
    for user in (world["district"], world["curator"]):
        with pytest.raises(ValidationError):
            services.rubric_publish(scope=scope_for(user), criteria=OCOP_CRITERIA, validity_months=36, created_by=user)
    assert Rubric.objects.count() == 1


def test_editing_the_rubric_creates_a_version_and_scores_keep_theirs(world):
    # given a product finalised on version 1
    first = finalise(world, world["s_product"])
    # when the provincial office edits the rubric (one criterion more, others smaller)
    edited = [{**row, "max_points": row["max_points"] - 1} for row in OCOP_CRITERIA] + [
        {"section": "Kualitas", "name": "Daya simpan", "max_points": 6}
    ]
    second = make_rubric(world["provincial"], criteria=edited, validity_months=24)

    # then version 2 is current, version 1 keeps its criteria and the finalised scores point at them
    assert (world["rubric"].version, second.version) == (1, 2)
    assert services.rubric_current().pk == second.pk
    assert world["rubric"].criteria.count() == 6 and second.criteria.count() == 7
    first.refresh_from_db()
    assert first.rubric_id == world["rubric"].pk
    assert {score.criterion.rubric_id for score in first.scores.all()} == {world["rubric"].pk}
    # and a product put up now is scored on version 2, with its validity
    later = finalise(world, world["b_product"])
    assert later.rubric_id == second.pk and later.scores.count() == 7
    assert later.valid_until == services.add_months(timezone.localdate(), 24)


def test_finalising_scores_every_criterion_and_copies_stars_onto_the_product(world):
    curation = finalise(world, world["s_product"], lambda c: c.max_points * 3 // 4, note="Kemasan rapi")

    product = world["s_product"]
    product.refresh_from_db()
    assert curation.status == CurationStatus.FINALISED
    assert curation.total_points == sum(c.max_points * 3 // 4 for c in world["rubric"].criteria.all())
    assert curation.stars == 4  # 71 points
    assert curation.curator_note == "Kemasan rapi"
    assert curation.valid_until == services.add_months(timezone.localdate(), 36)
    assert (product.curation_stars, product.curation_stars_until) == (4, curation.valid_until)
    assert product.current_curation_stars == 4
    kinds = list(CurationEvent.objects.filter(curation=curation).values_list("from_status", "to_status"))
    assert kinds == [("", "queued"), ("queued", "assigned"), ("assigned", "finalised")]


@pytest.mark.parametrize("bad", [-1, 16, "", "abc", None])
def test_an_out_of_range_score_saves_nothing(world, bad):
    curator = world["curator"]
    curation = services.curation_request(
        scope=scope_for(world["provincial"]),
        product=world["s_product"],
        requested_by=world["provincial"],
        curator=curator,
    )
    points = full_points(curation.rubric)
    first = curation.rubric.criteria.first()  # 15 points at most
    points[first.pk] = bad

    with pytest.raises(ValidationError) as raised:
        services.curation_finalise(scope=scope_for(curator), curation=curation, points=points, note="", curator=curator)

    assert str(first.pk) in raised.value.message_dict
    curation.refresh_from_db()
    world["s_product"].refresh_from_db()
    assert curation.status == CurationStatus.ASSIGNED and curation.total_points is None
    assert CriterionScore.objects.count() == 0
    assert world["s_product"].curation_stars == 0


def test_only_the_assigned_curator_scores(world):
    curation = services.curation_request(
        scope=scope_for(world["provincial"]), product=world["s_product"], requested_by=world["provincial"]
    )
    other = world["other_curator"]
    points = full_points(curation.rubric)
    # queued, not taken: nobody scores it
    with pytest.raises(ValidationError):
        services.curation_finalise(scope=scope_for(other), curation=curation, points=points, note="", curator=other)
    services.curation_take(scope=scope_for(world["curator"]), curation=curation, curator=world["curator"])
    with pytest.raises(ValidationError):
        services.curation_take(scope=scope_for(other), curation=curation, curator=other)
    with pytest.raises(ValidationError):
        services.curation_finalise(scope=scope_for(other), curation=curation, points=points, note="", curator=other)
    assert Curation.objects.get(pk=curation.pk).curator_id == world["curator"].pk


def test_a_district_officer_puts_up_only_its_own_kabupaten_products(world):
    scope = scope_for(world["district"])

    own = services.curation_request(scope=scope, product=world["s_product"], requested_by=world["district"])
    with pytest.raises(ValidationError):
        services.curation_request(scope=scope, product=world["b_product"], requested_by=world["district"])
    with pytest.raises(ValidationError):
        services.curation_request(
            scope=scope_for(world["curator"]), product=world["b_product"], requested_by=world["curator"]
        )

    assert own.seller_id == world["s_seller"].pk and own.rubric_id == world["rubric"].pk
    assert list(Curation.objects.values_list("product_id", flat=True)) == [world["s_product"].pk]


def test_a_product_has_one_open_curation_at_a_time(world):
    scope = scope_for(world["provincial"])
    services.curation_request(scope=scope, product=world["s_product"], requested_by=world["provincial"])

    with translation.override("en"), pytest.raises(ValidationError, match="already"):
        services.curation_request(scope=scope, product=world["s_product"], requested_by=world["provincial"])


def test_withdrawing_keeps_the_product_stars(world):
    finalise(world, world["s_product"])
    scope = scope_for(world["provincial"])
    again = services.curation_request(scope=scope, product=world["s_product"], requested_by=world["provincial"])

    services.curation_withdraw(scope=scope, curation=again, withdrawn_by=world["provincial"], note="Salah pilih")

    world["s_product"].refresh_from_db()
    assert Curation.objects.get(pk=again.pk).status == CurationStatus.WITHDRAWN
    assert world["s_product"].curation_stars == 5


def test_expired_stars_stop_showing(world):
    finalise(world, world["s_product"])
    product = world["s_product"]
    product.refresh_from_db()
    assert product.current_curation_stars == 5

    product.curation_stars_until = timezone.localdate() - datetime.timedelta(days=1)

    assert product.current_curation_stars == 0


def test_add_months_keeps_to_the_months_end():
    assert services.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert services.add_months(datetime.date(2026, 12, 7), 36) == datetime.date(2029, 12, 7)


def _expire_in(curation, days):
    until = timezone.localdate() + datetime.timedelta(days=days)
    Curation.objects.filter(pk=curation.pk).update(valid_until=until)
    services.product_stars_refresh(product_id=curation.product_id)


def test_expiry_reminders_go_90_and_30_days_before_once_each(world):
    curation = finalise(world, world["s_product"])
    world["s_seller"].email = "pondok@example.com"
    world["s_seller"].save()
    mail.outbox.clear()

    _expire_in(curation, 120)
    assert send_curation_expiry_reminders() == 0

    _expire_in(curation, 90)
    assert send_curation_expiry_reminders() == 1
    assert send_curation_expiry_reminders() == 0  # the same day again: nothing more
    _expire_in(curation, 60)
    assert send_curation_expiry_reminders() == 0

    _expire_in(curation, 30)
    assert send_curation_expiry_reminders() == 1
    _expire_in(curation, 5)
    assert send_curation_expiry_reminders() == 0

    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == ["pondok@example.com"]
    assert "Keripik Singkong Sukabumi" in mail.outbox[0].subject
    assert set(SentNotification.objects.values_list("key", flat=True)) >= {
        f"curation-expiry-{curation.pk}-90",
        f"curation-expiry-{curation.pk}-30",
    }


def test_no_reminder_for_stars_a_newer_curation_replaced(world):
    old = finalise(world, world["s_product"])
    _expire_in(old, 20)
    finalise(world, world["s_product"])  # the product's stars now come from the new curation
    mail.outbox.clear()

    assert send_curation_expiry_reminders() == 0
    assert mail.outbox == []
