"""On a phone (390×844), every programme role opens its main pages in the programme centre's look
(Pusat Program OPOP): nothing wider than the screen, each table cell labelled with its column, buttons a
thumb can hit, a menu of what the role may open, and no serious accessibility violation."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, Page

from competitions.models import Competition, Entry
from curation.models import Curation, CurationStatus
from events.models import Event, EventKind
from marketplace.demo.competitions import JUDGE
from marketplace.demo.curation import CURATOR
from marketplace.demo.data import DEMO_EMAIL_DOMAIN
from marketplace.demo.programme import DISTRICT_OFFICER, MENTOR, SUKABUMI_CODE
from programme.models import Cohort, MappedPesantren, MentorAssignment, Participant, ProgrammeTarget
from tests.fixtures.axe import AxeReport
from tests.fixtures.browser import PHONE, open_centre_page, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVINCIAL_OFFICE = f"program@{DEMO_EMAIL_DOMAIN}"

# Cells of a table under a column heading whose text they do not carry as data-label.
_UNLABELLED_CELLS = """
() => {
  const missing = [];
  document.querySelectorAll("main table").forEach((table) => {
    if (!table.tHead || !table.tHead.rows.length) { return; }
    const headings = [];
    for (const cell of table.tHead.rows[table.tHead.rows.length - 1].cells) {
      for (let span = 0; span < cell.colSpan; span += 1) { headings.push(cell.textContent.trim()); }
    }
    const rows = [...table.tBodies].flatMap((body) => [...body.rows]).concat(table.tFoot ? [...table.tFoot.rows] : []);
    for (const row of rows) {
      let column = 0;
      for (const cell of row.cells) {
        const heading = headings[column];
        if (heading && cell.colSpan < headings.length && cell.getAttribute("data-label") !== heading) {
          missing.push(`${table.id || "table"}: "${cell.textContent.trim().slice(0, 30)}" under "${heading}"`);
        }
        column += cell.colSpan;
      }
    }
  });
  return missing;
}
"""
# Visible buttons of the page's content shorter than a thumb (44 px, WCAG 2.5.5).
_SMALL_BUTTONS = """
() => [...document.querySelectorAll("main .btn, main button, main input[type=submit]")]
  .filter((button) => button.offsetParent !== null && button.getBoundingClientRect().height < 43.5)
  .map((button) => button.textContent.trim().slice(0, 30) || button.outerHTML.slice(0, 60))
"""


def _role_pages() -> dict[str, list[tuple[str, str]]]:
    """The main pages of each programme role: (label, path)."""
    competition = Competition.objects.order_by("year").first()
    waiting = Entry.objects.filter(competition__status="judging").order_by("code").first()
    event = Event.objects.order_by("pk").first()
    meeting = Event.objects.filter(kind=EventKind.BUSINESS_MEETING).order_by("pk").first()
    exhibition = Event.objects.filter(kind=EventKind.EXHIBITION).order_by("pk").first()
    participant = Participant.objects.order_by("pk").first()
    target = ProgrammeTarget.objects.order_by("pk").first()
    kecamatan = MappedPesantren.objects.filter(kabupaten_id=SUKABUMI_CODE).order_by("pk").first().kecamatan_id
    cohort = Cohort.objects.order_by("pk").first()
    mapped = MappedPesantren.objects.filter(kabupaten_id=SUKABUMI_CODE).order_by("pk").first()
    assignment = (
        MentorAssignment.objects.filter(mentor__email=MENTOR.email, ended_at__isnull=True).order_by("pk").first()
    )
    queued = Curation.objects.filter(status=CurationStatus.QUEUED).order_by("pk").first()
    return {
        PROVINCIAL_OFFICE: [
            ("overview", reverse("programme:overview")),
            ("mapping", reverse("programme:mapping")),
            ("directory", reverse("programme:directory")),
            ("cohorts", reverse("programme:cohorts")),
            ("cohort", reverse("programme:cohort", args=[cohort.pk])),
            ("participant", reverse("programme:participant", args=[participant.pk])),
            ("target", reverse("programme:target-edit", args=[target.pk])),
            ("mentors", reverse("programme:assignments")),
            ("roles", reverse("programme:roles")),
            ("events", reverse("events-programme:list")),
            ("event", reverse("events-programme:detail", args=[event.pk])),
            ("event-new", reverse("events-programme:create")),
            ("checkin", reverse("events-programme:checkin", args=[event.pk])),
            ("meetings", reverse("events-programme:meetings", args=[meeting.pk])),
            ("showcase", reverse("events-programme:showcase", args=[exhibition.pk])),
            ("curation", reverse("curation:queue")),
            ("rubric", reverse("curation:rubric")),
            ("rubric-edit", reverse("curation:rubric-edit")),
            ("curation-request", reverse("curation:request")),
            ("competitions", reverse("competitions:list")),
            ("competition", reverse("competitions:detail", args=[competition.pk])),
            ("round", reverse("competitions:ranking", args=[competition.rounds.order_by("position").first().pk])),
            ("report-province", reverse("reports:province")),
            ("report-kabupaten", reverse("reports:kabupaten", args=[SUKABUMI_CODE])),
            ("report-kecamatan", reverse("reports:kecamatan", args=[kecamatan])),
        ],
        DISTRICT_OFFICER.email: [
            ("kabupaten", reverse("programme:kabupaten", args=[SUKABUMI_CODE])),
            ("mapped-list", reverse("programme:mapped-list", args=[SUKABUMI_CODE])),
            ("mapped", reverse("programme:mapped-detail", args=[mapped.pk])),
            ("record", reverse("programme:mapped-create", args=[SUKABUMI_CODE])),
            ("import", reverse("programme:mapped-import", args=[SUKABUMI_CODE])),
            ("cohorts", reverse("programme:cohorts")),
            ("mentors", reverse("programme:assignments")),
            ("events", reverse("events-programme:list")),
            ("report", reverse("reports:kabupaten", args=[SUKABUMI_CODE])),
        ],
        MENTOR.email: [
            ("mentor-home", reverse("programme:mentor-home")),
            ("mentor-visits", reverse("programme:mentor-visits", args=[assignment.pk])),
        ],
        CURATOR.email: [
            ("queue", reverse("curation:queue")),
            ("queued", reverse("curation:detail", args=[queued.pk])),
        ],
        JUDGE.email: [
            ("competitions", reverse("competitions:list")),
            ("competition", reverse("competitions:detail", args=[waiting.competition_id])),
            ("score", reverse("competitions:score", args=[waiting.pk])),
            ("ranking", reverse("competitions:ranking", args=[waiting.round_id])),
        ],
    }


def test_every_programme_role_opens_its_pages_in_the_programme_centre_on_a_phone(
    browser: Browser, live_server, demo_world
):
    report = AxeReport()
    problems = []
    for email, pages in _role_pages().items():
        context = browser.new_context(viewport=PHONE, locale="id-ID")
        page = context.new_page()
        sign_in(page, live_server, email)
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url}])
        role = email.partition("@")[0]
        for name, path in pages:
            label = f"{role} {name}"
            opened, found = open_centre_page(page, live_server.url + path, label, body_class="pc")
            problems += found
            if not opened:
                continue
            problems += [f"{label}: unlabelled cell {cell}" for cell in page.evaluate(_UNLABELLED_CELLS)]
            problems += [f"{label}: button under 44 px: {button}" for button in page.evaluate(_SMALL_BUTTONS)]
            report.check(page, label)
            shoot(page, "programme-" + label.replace(" ", "-").replace(".", ""))
        context.close()
    assert not problems, "\n".join(problems)
    report.assert_clean()


def test_the_menu_offers_what_the_role_may_open(page: Page, live_server, demo_world):
    page.set_viewport_size(PHONE)
    cases = {
        PROVINCIAL_OFFICE: ({"programme:roles", "reports:province", "curation:rubric"}, set()),
        DISTRICT_OFFICER.email: ({"programme:cohorts", "reports:province", "curation:queue"}, {"programme:roles"}),
        MENTOR.email: ({"programme:mentor-home"}, {"programme:cohorts", "curation:queue", "reports:province"}),
        CURATOR.email: ({"curation:queue"}, {"curation:rubric", "programme:cohorts", "competitions:list"}),
        JUDGE.email: ({"competitions:list"}, {"curation:queue", "programme:cohorts", "programme:roles"}),
    }
    homes = {
        PROVINCIAL_OFFICE: "programme:overview",
        DISTRICT_OFFICER.email: "programme:overview",
        MENTOR.email: "programme:mentor-home",
        CURATOR.email: "curation:queue",
        JUDGE.email: "competitions:list",
    }
    for email, (offered, withheld) in cases.items():
        sign_in(page, live_server, email)
        page.goto(live_server.url + reverse(homes[email]))
        page.locator(".sc-menu summary").click()
        links = set(page.locator(".sc-menu-panel a").evaluate_all("links => links.map((a) => a.pathname)"))
        for url_name in offered:
            assert reverse(url_name) in links, (email, url_name)
        for url_name in withheld:
            assert reverse(url_name) not in links, (email, url_name)
        assert page.locator(".sc-menu-panel button", has_text="Keluar").is_visible(), email
        assert page.locator(".sc-brand").get_attribute("href") == reverse(homes[email]), email
        shoot(page, "programme-menu-" + email.partition("@")[0].replace(".", ""))
