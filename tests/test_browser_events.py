"""On a phone (390×844): a pesantren registers for the demo's Sukabumi training, the district officer
checks it in by typing its code (a second time is refused), and the pesantren downloads its certificate."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from events.models import Registration
from marketplace.demo.data import DEMO_EMAIL_DOMAIN
from marketplace.demo.events import TRAINING
from tests.fixtures.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _phone(browser: Browser):
    return browser.new_context(viewport=PHONE, locale="id-ID", accept_downloads=True).new_page()


def test_a_pesantren_registers_is_checked_in_and_downloads_its_certificate(browser: Browser, live_server, demo_world):
    pesantren = _phone(browser)
    sign_in(pesantren, live_server, f"pesantren2@{DEMO_EMAIL_DOMAIN}")

    # finds the training on the calendar, filtered to trainings, and registers
    pesantren.goto(live_server.url + reverse("events:calendar"))
    pesantren.select_option("#filter-kind", "training")
    pesantren.click("#event-filters button[type='submit']")
    pesantren.get_by_role("link", name=TRAINING).click()
    expect(pesantren.locator("#event-facts")).to_contain_text("Sukabumi")
    pesantren.click("#register-button")
    expect(pesantren.locator("#registration")).to_have_attribute("data-status", "registered")
    expect(pesantren.locator("#qr-code svg")).to_be_visible()
    token = pesantren.locator("#checkin-token").inner_text().strip()
    assert re.fullmatch(r"\d+-[0-9A-F]{10}", token)
    assert pesantren.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # the district officer of Sukabumi types the code on the check-in page
    registration = Registration.objects.get(event__title=TRAINING, seller__owner__email__startswith="pesantren2@")
    staff = _phone(browser)
    sign_in(staff, live_server, f"dinas.sukabumi@{DEMO_EMAIL_DOMAIN}")
    staff.goto(live_server.url + reverse("events-programme:checkin", args=[registration.event_id]))
    staff.fill("#checkin-form input[name='token']", "1-BUKANKODE0")
    staff.click("#checkin-form button[type='submit']")
    expect(staff.locator("#checkin-form")).to_contain_text("tidak valid")
    staff.fill("#checkin-form input[name='token']", token.lower())
    staff.click("#checkin-form button[type='submit']")
    expect(staff.locator("#checked-in")).to_contain_text(registration.seller.name)
    staff.fill("#checkin-form input[name='token']", token)
    staff.click("#checkin-form button[type='submit']")
    expect(staff.locator("#checkin-form")).to_contain_text("sudah check-in")

    # the pesantren sees it attended and downloads the certificate
    pesantren.reload()
    expect(pesantren.locator("#registration")).to_have_attribute("data-status", "attended")
    with pesantren.expect_download() as download_info:
        pesantren.click("#certificate-download")
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    registration.refresh_from_db()
    assert download.suggested_filename == f"sertifikat-{registration.certificate_code}.pdf"

    # and anyone can verify it
    pesantren.goto(live_server.url + reverse("events:certificate-verify", args=[registration.certificate_code]))
    expect(pesantren.locator("#certificate-valid")).to_contain_text(registration.seller.name)
