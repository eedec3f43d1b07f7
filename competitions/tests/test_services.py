import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from competitions import access, selectors, services
from competitions.models import (
    Award,
    CompetitionStatus,
    EntryEvent,
    EntryStatus,
    JudgeConflict,
    RoundStatus,
    Score,
    Scorecard,
)
from competitions.tests.helpers import make_competition, make_world, points_for, score
from programme import services as programme_services
from programme.access import scope_for
from programme.models import ProgrammeRole, RoleKind
from programme.tests.helpers import make_mapped, make_role
from tests.factories import make_seller, make_seller_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def _start(world):
    return services.judging_start(
        scope=scope_for(world["office"]), competition=world["competition"], actor=world["office"]
    )


def _refresh(entries):
    for entry in entries:
        entry.refresh_from_db()
    return entries


# --- Set-up and entries ----------------------------------------------------------------------------


def test_the_office_creates_a_competition_with_its_rubric_and_rounds():
    world = make_world(pesantren=0)
    competition = world["competition"]

    assert [(c.name, c.max_points, c.weight) for c in competition.criteria.all()] == [
        ("Rasa", 10, 30),
        ("Kemasan", 10, 20),
        ("Legalitas", 5, 50),
    ]
    assert [(r.name, r.advance_count, r.status) for r in competition.rounds.all()] == [
        ("Penjurian", 2, "pending"),
        ("Final", None, "pending"),
    ]
    assert competition.events.get().to_status == CompetitionStatus.OPEN


def test_only_the_provincial_office_creates_competitions():
    judge = make_role(RoleKind.JUDGE)

    with pytest.raises(PermissionDenied):
        make_competition(judge)


def test_a_round_before_the_final_must_say_how_many_advance():
    world = make_world(pesantren=0)

    with pytest.raises(ValidationError):
        make_competition(world["office"], rounds=[("Penjurian", None), ("Final", None)])


def test_a_pesantren_enters_only_its_own_products_once_while_open():
    world = make_world(pesantren=2)
    competition = world["competition"]
    mine, other = world["sellers"]
    my_product = world["entries"][0].product
    other_product = world["entries"][1].product

    with pytest.raises(ValidationError):
        services.entry_submit(seller=mine, competition=competition, product=my_product, entered_by=mine.owner)
    with pytest.raises(PermissionDenied):
        services.entry_submit(seller=mine, competition=competition, product=other_product, entered_by=mine.owner)
    second = make_seller_product(mine, title="Sambal Lomba")
    entry = services.entry_submit(seller=mine, competition=competition, product=second, entered_by=mine.owner)

    assert entry.code == "E-003"
    assert EntryEvent.objects.filter(entry=entry).count() == 1


def test_entries_are_refused_outside_the_dates_or_once_judging_started():
    world = make_world(pesantren=1)
    seller = world["sellers"][0]
    past = make_competition(
        world["office"],
        opens_on=timezone.localdate() - datetime.timedelta(days=30),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    product = make_seller_product(seller)

    with pytest.raises(ValidationError):
        services.entry_submit(seller=seller, competition=past, product=product, entered_by=seller.owner)
    _start(world)
    with pytest.raises(ValidationError):
        services.entry_submit(seller=seller, competition=world["competition"], product=product, entered_by=None)


# --- Scoring -------------------------------------------------------------------------------------


def test_a_score_out_of_range_is_refused_with_a_clear_error_and_nothing_is_saved():
    world = make_world(pesantren=1)
    _start(world)
    entry = world["entries"][0]

    with pytest.raises(ValidationError) as refused:
        score(world["judges"][0], entry, 10, 11, 5)
    with pytest.raises(ValidationError):
        score(world["judges"][0], entry, 10, 10, -1)
    with pytest.raises(ValidationError):
        score(world["judges"][0], entry, 10, 10)

    assert "“Kemasan” takes a score from 0 to 10; 11 is out of range." in refused.value.messages
    assert Scorecard.objects.count() == 0 and Score.objects.count() == 0


def test_a_judge_scores_an_entry_once_per_round_and_may_change_it_until_it_closes():
    world = make_world(pesantren=3)
    first_round = _start(world)
    judge = world["judges"][0]
    a, b, entry = world["entries"]
    score(judge, a, 9, 9, 5)
    score(judge, b, 9, 9, 5)

    score(judge, entry, 5, 5, 5)
    score(judge, entry, 1, 1, 1)

    card = Scorecard.objects.get(entry=entry)
    assert (card.round, card.judge) == (first_round, judge)
    assert sorted(card.scores.values_list("points", flat=True)) == [1, 1, 1]
    services.round_close(scope=scope_for(world["office"]), round_=first_round, actor=world["office"])
    with pytest.raises(ValidationError):
        score(judge, entry, 10, 10, 5)
    assert sorted(Scorecard.objects.get(entry=entry).scores.values_list("points", flat=True)) == [1, 1, 1]
    # a finalist is scored afresh in the final: a second scorecard, the first one kept
    score(judge, a, 2, 2, 2)
    assert Scorecard.objects.filter(entry=a).count() == 2


def test_scoring_needs_an_open_round():
    world = make_world(pesantren=1)

    with pytest.raises(ValidationError):
        score(world["judges"][0], world["entries"][0], 1, 1, 1)


def test_judges_see_only_their_competitions_and_no_entry_of_a_pesantren_they_are_linked_to():
    world = make_world(pesantren=3)
    _start(world)
    judge = world["judges"][0]
    competition = world["competition"]
    outsider = make_role(RoleKind.JUDGE)
    staff_seller, mentored_seller, declared_seller = world["sellers"]
    # the judge also works for the first pesantren, mentors the second, declares a conflict with the third
    staff_seller.partner.users.add(judge)
    record = make_mapped(world["regions"], nspp="510032021111", seller=mentored_seller)
    ProgrammeRole.objects.create(user=judge, kind=RoleKind.MENTOR)
    programme_services.mentor_assign(
        scope=scope_for(world["office"]), mentor=judge, pesantren=record, assigned_by=world["office"]
    )
    services.conflict_declare(
        scope=scope_for(world["office"]),
        competition=competition,
        judge=judge,
        seller=declared_seller,
        reason="saudara",
        declared_by=world["office"],
    )
    fresh = type(judge).objects.get(pk=judge.pk)
    scope = scope_for(fresh)

    assert list(access.competitions(scope_for(outsider))) == []
    assert list(access.competitions(scope)) == [competition]
    assert list(access.entries(scope, competition)) == []
    assert list(access.entries(scope_for(world["judges"][1]), competition)) == world["entries"]
    for entry in world["entries"]:
        assert access.entry_for_judging(scope, entry.pk) is None
        with pytest.raises(PermissionDenied):
            services.scorecard_submit(scope=scope, entry=entry, points=points_for(competition, 1, 1, 1))
    assert Scorecard.objects.count() == 0


def test_a_judge_recusing_from_an_entry_no_longer_sees_it():
    world = make_world(pesantren=2)
    _start(world)
    judge, entry = world["judges"][0], world["entries"][0]
    score(judge, entry, 1, 1, 1)

    services.judge_recuse(scope=scope_for(judge), entry=entry, reason="kenal")

    assert JudgeConflict.objects.get().seller == entry.seller
    assert access.entry_for_judging(scope_for(judge), entry.pk) is None
    assert not Scorecard.objects.exists()


def test_blind_judging_hides_the_pesantren_from_judges_only():
    world = make_world(pesantren=1, blind=True)
    open_world = make_world(pesantren=1, blind=False)

    assert not access.shows_pesantren(scope_for(world["judges"][0]), world["competition"])
    assert access.shows_pesantren(scope_for(world["office"]), world["competition"])
    assert access.shows_pesantren(scope_for(open_world["judges"][0]), open_world["competition"])


# --- Ranking, advancing, awards --------------------------------------------------------------------


def test_the_ranking_is_the_weighted_average_over_judges():
    world = make_world(pesantren=2)
    first_round = _start(world)
    a, b = world["entries"]
    j1, j2 = world["judges"]
    score(j1, a, 10, 10, 5)  # 100
    score(j2, a, 5, 0, 0)  # (30 × 0.5) / 100 × 100 = 15
    score(j1, b, 10, 0, 5)  # (30 + 50) = 80

    rows = selectors.ranking(first_round, access.entries(scope_for(world["office"]), world["competition"]))

    assert [(row.entry, row.score, row.judges) for row in rows] == [
        (b, Fraction(80), 1),
        (a, Fraction(115, 2), 2),
    ]


def test_ties_are_broken_by_the_highest_weighted_criterion_and_explained():
    world = make_world(pesantren=3)
    first_round = _start(world)
    a, b, c = world["entries"]
    judge = world["judges"][0]
    # a and b both score 50: a on Rasa + Kemasan (weights 30 + 20), b on Legalitas (weight 50).
    score(judge, a, 10, 10, 0)
    score(judge, b, 0, 0, 5)
    # c scores 0 like nobody else; d-less: c is last anyway.
    score(judge, c, 0, 0, 0)

    rows = selectors.ranking(first_round, access.entries(scope_for(world["office"]), world["competition"]))

    assert [row.entry for row in rows] == [b, a, c]
    assert rows[0].score == rows[1].score == 50
    assert rows[1].tie_note == (
        "Same score as E-002; placed below on “Legalitas”, the highest-weighted criterion where they differ."
    )
    assert rows[0].tie_note == "" and rows[2].tie_note == ""


def test_entries_equal_on_every_criterion_keep_the_order_they_were_entered_in():
    world = make_world(pesantren=2)
    first_round = _start(world)
    a, b = world["entries"]
    score(world["judges"][0], b, 3, 3, 3)
    score(world["judges"][0], a, 3, 3, 3)

    rows = selectors.ranking(first_round, access.entries(scope_for(world["office"]), world["competition"]))

    assert [row.entry for row in rows] == [a, b]
    assert "entered later" in rows[1].tie_note


def test_closing_a_round_advances_the_top_n_and_the_final_awards_winners_with_badges():
    world = make_world(pesantren=3, harapan_count=1)
    office = scope_for(world["office"])
    first_round = _start(world)
    a, b, c = world["entries"]
    judge = world["judges"][0]
    score(judge, a, 9, 9, 5)
    score(judge, b, 5, 5, 5)
    score(judge, c, 1, 1, 1)

    services.round_close(scope=office, round_=first_round, actor=world["office"])

    final = world["competition"].rounds.get(position=2)
    _refresh([a, b, c])
    first_round.refresh_from_db()
    assert first_round.status == RoundStatus.CLOSED and final.status == RoundStatus.OPEN
    assert [(e.status, e.round_id) for e in (a, b, c)] == [
        (EntryStatus.FINALIST, final.pk),
        (EntryStatus.FINALIST, final.pk),
        (EntryStatus.ELIMINATED, first_round.pk),
    ]
    assert a.seller.__class__.objects.get(pk=a.seller_id).competition_badges == [
        {"kind": "finalist", "competition": "Lomba Produk Unggulan OPOP", "year": 2027, "product_id": a.product_id}
    ]

    score(judge, a, 5, 5, 1)
    score(judge, b, 10, 10, 5)
    services.round_close(scope=office, round_=final, actor=world["office"])

    _refresh([a, b, c])
    world["competition"].refresh_from_db()
    assert (b.status, b.award) == (EntryStatus.AWARDED, Award.JUARA_1)
    assert (a.status, a.award) == (EntryStatus.AWARDED, Award.JUARA_2)
    assert world["competition"].status == CompetitionStatus.FINISHED
    b_seller = b.seller.__class__.objects.get(pk=b.seller_id)
    assert b_seller.competition_badges[0]["kind"] == "juara_1"
    assert list(b.events.values_list("kind", flat=True)) == ["status", "finalist", "awarded"]


def test_harapan_follows_the_three_places():
    world = make_world(pesantren=5, rounds=[("Final", None)], harapan_count=1)
    only_round = _start(world)
    for value, entry in zip([5, 4, 3, 2, 1], world["entries"], strict=True):
        score(world["judges"][0], entry, value, value, 0)

    services.round_close(scope=scope_for(world["office"]), round_=only_round, actor=world["office"])

    entries = _refresh(world["entries"])
    assert [e.award for e in entries] == ["juara_1", "juara_2", "juara_3", "harapan", ""]
    assert entries[4].status == EntryStatus.ENTERED


def test_only_the_office_closes_rounds():
    world = make_world(pesantren=1)
    first_round = _start(world)

    with pytest.raises(PermissionDenied):
        services.round_close(scope=scope_for(world["judges"][0]), round_=first_round, actor=None)


def test_an_entry_of_another_sector_is_refused():
    world = make_world(pesantren=0)
    crafts = make_competition(world["office"], sector="crafts")
    seller = make_seller(regions=world["regions"])
    product = make_seller_product(seller)

    with pytest.raises(ValidationError):
        services.entry_submit(seller=seller, competition=crafts, product=product, entered_by=None)
