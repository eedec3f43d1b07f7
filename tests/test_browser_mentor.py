"""On a phone (390×844), the demo's mentor logs a visit to an assigned pesantren with an action item and
a photo from the camera, sees a bad photo refused first, and finds the action on their dashboard."""

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from marketplace.demo.programme import MENTOR
from programme.models import MentorAssignment, VisitPhoto
from tests.fixtures.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("MARKETPLACE_SCREENSHOTS", "")


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-390.png"), full_page=True)


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_mentor_logs_a_visit_with_an_action_and_a_photo_and_sees_it_on_the_dashboard(
    page: Page, live_server, demo_world, tmp_path
):
    from PIL import Image

    assignment = MentorAssignment.objects.filter(mentor__email=MENTOR.email).order_by("pesantren__name").first()
    photo, not_a_photo = tmp_path / "kemasan.jpg", tmp_path / "catatan.jpg"
    Image.new("RGB", (800, 600), (120, 160, 80)).save(photo, "JPEG")
    not_a_photo.write_text("bukan foto")
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    photos_before = VisitPhoto.objects.count()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, MENTOR.email)

    # the dashboard: the assigned pesantren with their last visit, and the actions due next
    page.goto(live_server.url + reverse("programme:mentor-home"))
    expect(page.locator(f"[data-assignment='{assignment.pk}']")).to_be_visible()
    expect(page.locator("#due-actions li[data-action]").first).to_be_visible()
    assert fits_the_screen(page)
    shoot(page, "mentor-home")

    # the visit form takes photos from the back camera
    page.locator(f"[data-assignment='{assignment.pk}'] h3 a").click()
    camera = page.locator("#visit-form input[type='file'][name='photos']")
    expect(camera).to_have_attribute("capture", "environment")
    expect(camera).to_have_attribute("accept", "image/*")
    page.fill("#id_visited_on", timezone.localdate().isoformat())
    page.fill("#id_topics", "Foto etalase dan kemasan baru")
    page.fill("#id_action_1", "Unggah foto produk baru ke etalase")
    page.fill("#id_due_1", due)

    # a file that is no photo is refused, with its name, and nothing is saved
    camera.set_input_files([str(not_a_photo)])
    page.click("#visit-form button[type='submit']")
    expect(page.locator("#visit-form")).to_contain_text("catatan.jpg")
    assert VisitPhoto.objects.count() == photos_before
    assert fits_the_screen(page)

    # the real photo: the visit is logged with its action and photo
    page.fill("#id_visited_on", timezone.localdate().isoformat())
    page.fill("#id_topics", "Foto etalase dan kemasan baru")
    page.fill("#id_action_1", "Unggah foto produk baru ke etalase")
    page.fill("#id_due_1", due)
    page.locator("#visit-form input[name='photos']").set_input_files([str(photo)])
    page.click("#visit-form button[type='submit']")
    visit = page.locator("#visit-list li[data-visit]").first
    expect(visit).to_contain_text("Foto etalase dan kemasan baru")
    expect(visit).to_contain_text("Unggah foto produk baru ke etalase")
    image = visit.locator(".visit-photos img")
    expect(image).to_have_count(1)
    # the thumbnail loads lazily: bring it into view and wait until it is decoded
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 800
    assert VisitPhoto.objects.count() == photos_before + 1
    assert fits_the_screen(page)
    shoot(page, "mentor-visit")

    # back on the dashboard: the new action is due, and marking it done takes it off the list
    page.goto(live_server.url + reverse("programme:mentor-home"))
    action = page.locator("#due-actions li[data-action]", has_text="Unggah foto produk baru ke etalase")
    expect(action).to_be_visible()
    action.locator("button[type='submit']").click()
    expect(page.locator("#due-actions")).not_to_contain_text("Unggah foto produk baru ke etalase")
    assert fits_the_screen(page)
