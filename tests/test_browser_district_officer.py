"""On a phone (390×844), the demo's district officer of Kabupaten Sukabumi imports a kecamatan's
pesantren from a CSV file, sees a bad file refused row by row, and nominates one of them."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from marketplace.demo.programme import DISTRICT_OFFICER
from programme.models import Cohort, MappedPesantren, Nomination, NominationStatus, Participant
from regions.models import Region
from tests.fixtures.browser import PHONE, fits_the_screen, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_district_officer_imports_a_kecamatans_pesantren_and_nominates_one(page: Page, live_server, demo_world):
    # a kecamatan the demo left without mapped pesantren
    kecamatan = Region.objects.filter(parent_id="32.02").order_by("code")[1]
    assert not MappedPesantren.objects.filter(kecamatan=kecamatan).exists()
    good = (
        "nama,nspp,kecamatan,unit_usaha,produk,nama_kontak,email\n"
        f"Pondok Pesantren Lele Mandiri,510032028801,{kecamatan.code},Kolam lele,Lele segar,Ust. Ali,\n"
        f"Pondok Pesantren Kopi Gunung,510032028802,{kecamatan.name},Kebun kopi,Kopi bubuk,,\n"
    )
    bad = good.replace("510032028802", "510032028801") + "Pondok Luar,510032028803,32.04.01,,,,\n"
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, DISTRICT_OFFICER.email)

    # the programme home is the officer's own kabupaten
    page.goto(live_server.url + reverse("programme:overview"))
    expect(page.locator("h1")).to_contain_text("Sukabumi")
    expect(page.locator("#nominee-summary")).to_be_visible()
    assert fits_the_screen(page)
    shoot(page, "programme-kabupaten")

    # a bad file: each error with its row, nothing imported
    page.locator(f"a[href='{reverse('programme:mapped-import', args=['32.02'])}']").first.click()
    page.set_input_files(
        "input[name='file']", files=[{"name": "pesantren.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.click("#import-form button[type='submit']")
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("li[data-row='3']")).to_contain_text("510032028801")
    expect(errors.locator("li[data-row='4']")).to_contain_text("32.04.01")
    assert not MappedPesantren.objects.filter(nspp__startswith="51003202880").exists()
    assert fits_the_screen(page)
    shoot(page, "programme-import-errors")

    # the corrected file is imported whole
    page.set_input_files(
        "input[name='file']", files=[{"name": "pesantren.csv", "mimeType": "text/csv", "buffer": good.encode()}]
    )
    page.click("#import-form button[type='submit']")
    table = page.locator("#mapped-table")
    expect(table.locator("tr[data-nspp='510032028801']")).to_be_visible()
    expect(table.locator("tr[data-nspp='510032028802']")).to_be_visible()
    assert MappedPesantren.objects.filter(nspp__startswith="51003202880", kabupaten_id="32.02").count() == 2
    assert fits_the_screen(page)
    shoot(page, "programme-mapped-list")

    # nominates the catfish farm for its kecamatan
    table.locator("tr[data-nspp='510032028801'] a").click()
    page.fill("#nominate-form textarea[name='reason']", "Kolam lele terbesar di kecamatan")
    page.click("#nominate-form button[type='submit']")
    expect(page.locator("[data-status='nominated']")).to_be_visible()
    expect(page.locator("#nomination-history li")).to_have_count(1)
    assert fits_the_screen(page)
    shoot(page, "programme-nominated")
    nomination = Nomination.objects.get(pesantren__nspp="510032028801")
    assert (nomination.status, nomination.kecamatan_id, nomination.nominated_by.email) == (
        NominationStatus.NOMINATED,
        kecamatan.code,
        DISTRICT_OFFICER.email,
    )

    # the kecamatan now shows its nominee in the kabupaten table
    page.goto(live_server.url + reverse("programme:kabupaten", args=["32.02"]))
    row = page.locator(f"#kecamatan-table tr[data-code='{kecamatan.code}']")
    expect(row.locator("[data-col='nominated']")).not_to_have_text("0")
    expect(row).not_to_have_attribute("data-no-nominee", "true")

    # the cohort: the funnel and the participants of Sukabumi only, one stage on
    cohort = Cohort.objects.get(year=2027)
    page.goto(live_server.url + reverse("programme:cohort", args=[cohort.pk]))
    expect(page.locator("#funnel-table tr[data-total='true']")).to_be_visible()
    assert page.locator("#funnel-table tbody tr[data-code]").count() <= 1
    assert fits_the_screen(page)
    shoot(page, "programme-cohort")
    first = Participant.objects.filter(cohort=cohort, pesantren__kabupaten_id="32.02").first()
    if first is not None:
        page.goto(live_server.url + reverse("programme:participant", args=[first.pk]))
        expect(page.locator("#stage-history li").first).to_be_visible()
        assert fits_the_screen(page)
        shoot(page, "programme-participant")

    # and Kabupaten Bandung's pages are not found for this officer
    response = page.goto(live_server.url + reverse("programme:kabupaten", args=["32.04"]))
    assert response.status == 404
