import pytest
from django.urls import reverse

from curation import services
from curation.models import CriterionScore, Curation, CurationStatus, Rubric
from curation.tests.helpers import OCOP_CRITERIA, finalise, make_curation_world
from programme.access import scope_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_curation_world()


def _score_data(curation, **overrides):
    data = {f"criterion_{c.pk}": c.max_points for c in curation.rubric.criteria.all()}
    data["note"] = "Rapi dan enak"
    data.update(overrides)
    return data


def test_a_curator_takes_a_queued_product_and_scores_it(client, world):
    curation = services.curation_request(
        scope=scope_for(world["district"]), product=world["s_product"], requested_by=world["district"]
    )
    client.force_login(world["curator"])

    queue = client.get(reverse("curation:queue"))
    taken = client.post(reverse("curation:take", args=[curation.pk]))
    form = client.get(reverse("curation:score", args=[curation.pk]))
    done = client.post(reverse("curation:score", args=[curation.pk]), _score_data(curation))
    detail = client.get(reverse("curation:detail", args=[curation.pk]))

    assert "Keripik Singkong Sukabumi" in queue.content.decode()
    assert taken.status_code == 302 and taken["Location"] == reverse("curation:score", args=[curation.pk])
    assert form.status_code == 200 and "Bahan baku lokal" in form.content.decode()
    assert done.status_code == 302
    curation.refresh_from_db()
    assert (curation.status, curation.total_points, curation.stars) == (CurationStatus.FINALISED, 100, 5)
    assert 'data-curation-stars="5"' in detail.content.decode()


def test_an_out_of_range_score_is_a_form_error_and_saves_nothing(client, world):
    curation = services.curation_request(
        scope=scope_for(world["provincial"]),
        product=world["s_product"],
        requested_by=world["provincial"],
        curator=world["curator"],
    )
    first = curation.rubric.criteria.first()
    client.force_login(world["curator"])

    response = client.post(
        reverse("curation:score", args=[curation.pk]), _score_data(curation, **{f"criterion_{first.pk}": 16})
    )

    assert response.status_code == 400
    assert response.context["form"].errors[f"criterion_{first.pk}"]
    assert CriterionScore.objects.count() == 0
    assert Curation.objects.get(pk=curation.pk).status == CurationStatus.ASSIGNED


def test_a_district_officer_puts_up_its_own_product_and_cannot_pick_another_kabupaten(client, world):
    client.force_login(world["district"])

    page = client.get(reverse("curation:request"))
    foreign = client.post(reverse("curation:request"), {"product": world["b_product"].pk})
    own = client.post(reverse("curation:request"), {"product": world["s_product"].pk})

    body = page.content.decode()
    assert "Keripik Singkong Sukabumi" in body and "Dodol Rahasia Bandung" not in body
    assert foreign.status_code == 400
    curation = Curation.objects.get()
    assert curation.product_id == world["s_product"].pk
    assert own["Location"] == reverse("curation:detail", args=[curation.pk])


def test_the_provincial_office_edits_the_rubric_into_a_new_version(client, world):
    client.force_login(world["provincial"])
    data = {"validity_months": "24", "criteria-TOTAL_FORMS": "7", "criteria-INITIAL_FORMS": "0"}
    for index, row in enumerate(OCOP_CRITERIA):
        data.update({f"criteria-{index}-{key}": value for key, value in row.items()})
    short = {**data, "criteria-0-max_points": "5"}

    refused = client.post(reverse("curation:rubric-edit"), short)
    saved = client.post(reverse("curation:rubric-edit"), data)
    page = client.get(reverse("curation:rubric"))

    assert refused.status_code == 400 and "90" in refused.content.decode()
    assert saved.status_code == 302
    assert list(Rubric.objects.values_list("version", "validity_months")) == [(2, 24), (1, 36)]
    assert "Mutu dan keamanan pangan" in page.content.decode()


def test_curated_stars_show_on_the_product_page_and_in_the_search_facet(client, world, settings):
    finalise(world, world["s_product"], lambda c: c.max_points * 3 // 5)  # 60 points: 3 stars
    product = world["s_product"]
    product.refresh_from_db()

    page = client.get(product.get_absolute_url())
    everything = client.get(reverse("search:search"), {"q": ""})
    three_up = client.get(reverse("search:search"), {"stars": "3"})
    four_up = client.get(reverse("search:search"), {"stars": "4"})
    storefront = client.get(reverse("sellers:storefront", kwargs={"slug": world["s_seller"].slug}))
    catalogue = client.get("/catalogue/")

    assert 'data-curation-stars="3"' in page.content.decode()
    groups = {group.name: group for group in everything.context["facet_groups"]()}
    assert [(o.value, o.count) for o in groups["stars"].options] == [("3", 1), ("2", 1), ("1", 1)]
    assert [p.pk for p in three_up.context["products"]] == [product.pk]
    assert list(four_up.context["products"]) == []
    assert storefront.context["curated_count"] == 1
    assert 'id="pp-store-curated"' in storefront.content.decode()
    assert 'data-curation-stars="3"' in storefront.content.decode()
    assert 'data-curation-stars="3"' in catalogue.content.decode()
