"""A curator takes the demo's queued product, scores it (a score over its maximum is refused first),
and its stars then show on the product page and in the search facet "Bintang kurasi"."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from curation.models import Curation, CurationStatus
from marketplace.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def sign_in(page: Page, live_server, email: str) -> None:
    page.goto(live_server.url + reverse("customer:login"))
    page.fill("input[name='login-username']", email)
    page.fill("input[name='login-password']", DEMO_PASSWORD)
    page.click("button[name='login_submit']")
    expect(page).not_to_have_url(re.compile(reverse("customer:login")))


def test_a_curator_scores_a_product_and_its_stars_show_on_the_product_page_and_in_search(
    page: Page, live_server, demo_world
):
    page.set_viewport_size(PHONE)
    queued = Curation.objects.select_related("product").get(status=CurationStatus.QUEUED)
    product = queued.product
    sign_in(page, live_server, f"kurator@{DEMO_EMAIL_DOMAIN}")

    # the queue lists the product waiting for a curator; the curator takes it
    page.goto(live_server.url + reverse("curation:queue"))
    page.locator(f"#curation-waiting tr[data-curation='{queued.pk}'] a").click()
    page.locator(f"form[action='{reverse('curation:take', args=[queued.pk])}'] button").click()
    expect(page).to_have_url(re.compile(reverse("curation:score", args=[queued.pk])))

    # a score over the criterion's maximum is refused, with the field's error, and nothing is saved
    criteria = list(queued.rubric.criteria.all())
    first = criteria[0]
    for criterion in criteria:
        page.fill(f"#id_criterion_{criterion.pk}", str(criterion.max_points))
    page.fill(f"#id_criterion_{first.pk}", str(first.max_points + 50))
    page.fill("#id_note", "Kemasan rapi, cerita kuat.")
    page.locator("#score-form button[type='submit']").click()
    expect(page.locator(".alert-danger").first).to_be_visible()
    expect(page.locator(".error-block").first).to_be_visible()
    expect(page.locator(f"#id_criterion_{first.pk}")).to_have_attribute("aria-invalid", "true")
    assert Curation.objects.get(pk=queued.pk).status == CurationStatus.ASSIGNED

    # within bounds (60 points in all: 3 stars) it is finalised
    for criterion in criteria:
        page.fill(f"#id_criterion_{criterion.pk}", str(criterion.max_points * 6 // 10))
    page.locator("#score-form button[type='submit']").click()
    expect(page.locator("#curation-status")).to_have_text(re.compile("."))
    finalised = Curation.objects.get(pk=queued.pk)
    assert finalised.status == CurationStatus.FINALISED and finalised.stars == 3

    # the product page shows its stars
    page.goto(live_server.url + product.get_absolute_url())
    expect(page.locator("#pp-curation-stars [data-curation-stars]")).to_have_attribute("data-curation-stars", "3")

    # and the search facet counts it; choosing "3 stars and up" lists it with its stars on the card
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("search:search") + "?q=")
    facet = page.locator("[data-facet='stars']")
    expect(facet).to_be_visible()
    facet.locator("a[data-facet-value='3']").click()
    expect(page).to_have_url(re.compile(r"stars=3"))
    card = page.locator(".product_pod", has_text=product.get_title())
    expect(card).to_be_visible()
    expect(card.locator("[data-curation-stars]")).to_have_attribute("data-curation-stars", "3")
