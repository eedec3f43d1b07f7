import pytest
from django.urls import reverse

from competitions import services
from competitions.models import Competition, Entry, Scorecard
from competitions.tests.helpers import make_world, score
from programme.access import scope_for
from tests.factories import make_seller_product

pytestmark = pytest.mark.django_db


def _start(world):
    return services.judging_start(
        scope=scope_for(world["office"]), competition=world["competition"], actor=world["office"]
    )


def test_the_office_creates_a_competition_from_the_form(client):
    world = make_world(pesantren=0)
    client.force_login(world["office"])

    response = client.post(
        reverse("competitions:list"),
        {
            "name": "Lomba Kriya",
            "year": "2028",
            "sector": "crafts",
            "opens_on": "2028-01-01",
            "closes_on": "2028-02-01",
            "blind": "on",
            "harapan_count": "2",
            "criteria": "Desain | 10 | 60\nKualitas | 20 | 40",
            "rounds": "Kurasi | 5\nFinal",
        },
    )

    competition = Competition.objects.get(name="Lomba Kriya")
    assert response.status_code == 302 and response["Location"] == reverse("competitions:detail", args=[competition.pk])
    assert [(c.name, c.max_points, c.weight) for c in competition.criteria.all()] == [
        ("Desain", 10, 60),
        ("Kualitas", 20, 40),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Desain" in page and "Kurasi" in page


def test_a_bad_rubric_line_is_explained_and_nothing_is_created(client):
    world = make_world(pesantren=0)
    client.force_login(world["office"])

    response = client.post(
        reverse("competitions:list"),
        {
            "name": "Lomba Salah",
            "year": "2028",
            "opens_on": "2028-01-01",
            "closes_on": "2028-02-01",
            "harapan_count": "1",
            "criteria": "Desain | 500 | 60",
            "rounds": "Final",
        },
    )

    assert response.status_code == 400
    assert not Competition.objects.filter(name="Lomba Salah").exists()


def test_a_judge_scores_blind_and_the_ranking_shows_it_without_the_pesantren(client):
    world = make_world(pesantren=2)
    first_round = _start(world)
    judge = world["judges"][0]
    entry = world["entries"][0]
    criteria = list(world["competition"].criteria.all())
    client.force_login(judge)

    work = client.get(reverse("competitions:detail", args=[world["competition"].pk])).content.decode()
    form = client.get(reverse("competitions:score", args=[entry.pk])).content.decode()
    too_high = client.post(
        reverse("competitions:score", args=[entry.pk]),
        {f"criterion_{criteria[0].pk}": "11", f"criterion_{criteria[1].pk}": "5", f"criterion_{criteria[2].pk}": "5"},
    )
    saved = client.post(
        reverse("competitions:score", args=[entry.pk]),
        {f"criterion_{criteria[0].pk}": "10", f"criterion_{criteria[1].pk}": "5", f"criterion_{criteria[2].pk}": "5"},
    )
    ranking = client.get(reverse("competitions:ranking", args=[first_round.pk])).content.decode()

    assert "E-001" in work and "Pondok Lomba 1" not in work
    assert "Pondok Lomba 1" not in form and entry.seller.get_absolute_url() not in form
    assert too_high.status_code == 400
    assert "takes a score from 0 to 10" in too_high.content.decode() or "0 sampai 10" in too_high.content.decode()
    assert saved.status_code == 302
    assert Scorecard.objects.get().judge == judge
    assert "E-001" in ranking and "90.00" in ranking.replace(",", ".") and "Pondok Lomba" not in ranking


def test_the_office_sees_the_pesantren_on_the_ranking_and_closes_the_round(client):
    world = make_world(pesantren=3)
    first_round = _start(world)
    score(world["judges"][0], world["entries"][2], 10, 10, 5)
    client.force_login(world["office"])

    ranking = client.get(reverse("competitions:ranking", args=[first_round.pk])).content.decode()
    closed = client.post(reverse("competitions:round-close", args=[first_round.pk]))

    assert "Pondok Lomba 3" in ranking
    assert closed.status_code == 302
    assert Entry.objects.filter(status="finalist").count() == 2


def test_a_pesantren_enters_its_own_product_from_its_dashboard(client):
    from django.contrib.auth.models import Permission

    world = make_world(pesantren=2)
    seller, other = world["sellers"]
    product = make_seller_product(seller, title="Sambal Baru")
    owner = seller.owner
    owner.user_permissions.add(Permission.objects.get(codename="dashboard_access", content_type__app_label="partner"))
    client.force_login(owner)

    page = client.get(reverse("competitions-seller:entries")).content.decode()
    someone_elses = client.post(
        reverse("competitions-seller:entries"),
        {"competition": world["competition"].pk, "product": world["entries"][1].product_id},
    )
    entered = client.post(
        reverse("competitions-seller:entries"), {"competition": world["competition"].pk, "product": product.pk}
    )

    assert "E-001" in page and "Keripik Lomba 2" not in page
    assert someone_elses.status_code == 400
    assert entered.status_code == 302
    assert Entry.objects.filter(seller=seller).count() == 2
    assert Entry.objects.filter(seller=other).count() == 1


def test_winners_get_a_badge_on_their_storefront_and_product_page(client):
    world = make_world(pesantren=1, rounds=[("Final", None)])
    final = _start(world)
    entry = world["entries"][0]
    score(world["judges"][0], entry, 10, 10, 5)
    services.round_close(scope=scope_for(world["office"]), round_=final, actor=world["office"])
    other_product = make_seller_product(entry.seller, title="Produk Lain")

    storefront = client.get(entry.seller.get_absolute_url()).content.decode()
    product_page = client.get(entry.product.get_absolute_url()).content.decode()
    other_page = client.get(other_product.get_absolute_url()).content.decode()

    for body in (storefront, product_page):
        assert "Lomba Produk Unggulan OPOP 2027" in body
        assert "Juara 1 Lomba" in body or "1st place Lomba" in body
    assert "Lomba Produk Unggulan OPOP 2027" not in other_page


def test_a_blind_judge_does_not_read_the_pesantren_in_the_products_own_text(client):
    world = make_world(pesantren=1)
    _start(world)
    entry = world["entries"][0]
    entry.refresh_from_db()  # judging_start put it in the first round
    entry.product.title = "Keripik Pondok Lomba 1 Asli"
    entry.product.description = "<p>Dibuat oleh santri Pondok Lomba 1 di Bandung.</p>"
    entry.product.save()
    client.force_login(world["judges"][0])

    pages = [
        client.get(reverse("competitions:detail", args=[world["competition"].pk])).content.decode(),
        client.get(reverse("competitions:score", args=[entry.pk])).content.decode(),
        client.get(reverse("competitions:ranking", args=[entry.round_id])).content.decode(),
    ]

    for page in pages:
        assert "Pondok Lomba 1" not in page
        assert "Keripik ••• Asli" in page
    assert "Dibuat oleh santri •••" in pages[1]
