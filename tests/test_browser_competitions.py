"""A judge scores a competition entry blind on a phone, and the round's ranking shows it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from competitions.models import Competition, Entry, Scorecard
from marketplace.demo.data import DEMO_EMAIL_DOMAIN
from tests.fixtures.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_judge_scores_an_entry_blind_and_the_ranking_shows_it(page: Page, live_server, demo_world):
    page.set_viewport_size({"width": 390, "height": 844})
    competition = Competition.objects.get(status="judging")
    entry = Entry.objects.filter(competition=competition, scorecards__isnull=True).order_by("code").first()
    criteria = list(competition.criteria.order_by("position"))

    # the demo judge signs in and opens the competition they judge
    sign_in(page, live_server, f"juri@{DEMO_EMAIL_DOMAIN}")
    page.goto(live_server.url + reverse("competitions:list"))
    page.locator("#competition-list a", has_text=str(competition.year)).click()
    work = page.locator("#judge-work")
    expect(work).to_contain_text(entry.code)
    expect(work).not_to_contain_text(entry.seller.name)

    # scores the entry: the pesantren is hidden, a score out of range is refused, then it is saved
    work.locator("li", has_text=entry.code).get_by_role("link").click()
    expect(page).to_have_url(re.compile(reverse("competitions:score", args=[entry.pk])))
    expect(page.locator("#blind-note")).to_be_visible()
    expect(page.locator("main, body").first).not_to_contain_text(entry.seller.name)
    for criterion in criteria:
        page.fill(f"#id_criterion_{criterion.pk}", str(criterion.max_points))
    page.evaluate(f"document.getElementById('id_criterion_{criteria[0].pk}').removeAttribute('max')")
    page.fill(f"#id_criterion_{criteria[0].pk}", str(criteria[0].max_points + 5))
    page.click("#score-form button[type='submit']")
    expect(page.locator(".alert-danger").first).to_be_visible()
    assert not Scorecard.objects.filter(entry=entry).exists()
    page.fill(f"#id_criterion_{criteria[0].pk}", str(criteria[0].max_points))
    page.click("#score-form button[type='submit']")
    expect(page.locator("#judge-work li", has_text=entry.code)).to_be_visible()
    assert Scorecard.objects.filter(entry=entry).count() == 1

    # the ranking of the round puts the full marks first, still without the pesantren's name
    page.goto(live_server.url + reverse("competitions:ranking", args=[entry.round_id]))
    first = page.locator("#ranking tbody tr").first
    expect(first).to_contain_text(entry.code)
    expect(first).to_contain_text("100")
    expect(page.locator("#ranking")).not_to_contain_text(entry.seller.name)
