import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_children_lists_the_regions_under_a_parent_by_name(client, region_tree):
    response = client.get(reverse("regions:children"), {"parent": "32.04.05"})

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"code": "32.04.05.2001", "name": "Cileunyi Kulon", "postal_code": "40621"},
            {"code": "32.04.05.2002", "name": "Cileunyi Wetan", "postal_code": "40622"},
        ]
    }
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
def test_children_of_a_province_have_blank_postal_codes(client, region_tree):
    response = client.get(reverse("regions:children"), {"parent": "32"})

    assert response.json()["results"] == [
        {"code": "32.04", "name": "Kabupaten Bandung", "postal_code": ""},
        {"code": "32.73", "name": "Kota Bandung", "postal_code": ""},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"parent": ""}, {"parent": "99.99"}, {"parent": "32.04.05.2001"}])
def test_children_of_nothing_or_a_leaf_is_empty(client, region_tree, query):
    response = client.get(reverse("regions:children"), query)

    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.django_db
def test_children_takes_one_query(client, region_tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("regions:children"), {"parent": "32.04"})

    assert [region["code"] for region in response.json()["results"]] == ["32.04.13", "32.04.05"], (
        "Banjaran before Cileunyi"
    )


@pytest.mark.django_db
def test_children_only_answers_get(client, region_tree):
    response = client.post(reverse("regions:children"), {"parent": "32"})

    assert response.status_code == 405
