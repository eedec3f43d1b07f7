"""The programme centre (templates/programmecentre/base.html): every programme page is in it, and its
name leads each role to the first page of its work."""

from pathlib import Path

import pytest
from django.conf import settings

from programme.access import ProgrammeScope, home_url_name

# The programme staff's pages; a pesantren's own competition entries are the seller centre's.
PROGRAMME_TEMPLATES = [
    "programme/templates/programme",
    "curation/templates/curation",
    "competitions/templates/competitions",
    "events/templates/events/staff",
    "reports/templates/reports",
]
SELLER_CENTRE_TEMPLATES = {"competitions/templates/competitions/seller_entries.html"}


def _pages():
    base = Path(settings.BASE_DIR)
    for folder in PROGRAMME_TEMPLATES:
        for template in sorted((base / folder).glob("*.html")):
            first_line = template.read_text().partition("\n")[0]
            if first_line.startswith("{% extends"):
                yield str(template.relative_to(base)), first_line


def test_every_programme_page_is_in_the_programme_centre_and_none_in_oscars_dashboard():
    pages = dict(_pages())
    assert len(pages) > 30
    for path, first_line in pages.items():
        assert "oscar/dashboard/layout.html" not in first_line, path
        if path in SELLER_CENTRE_TEMPLATES:
            assert first_line == '{% extends "sellercentre/base.html" %}', path
        elif "dashboard" in first_line or "centre" in first_line:
            assert first_line == '{% extends "programmecentre/base.html" %}', path


@pytest.mark.parametrize(
    "scope, url_name",
    [
        (ProgrammeScope(user_id=1, provincial=True, judge=True), "programme:overview"),
        (ProgrammeScope(user_id=1, kabupaten_codes=frozenset({"32.02"}), mentor=True), "programme:overview"),
        (ProgrammeScope(user_id=1, mentor=True, curator=True), "programme:mentor-home"),
        (ProgrammeScope(user_id=1, curator=True, judge=True), "curation:queue"),
        (ProgrammeScope(user_id=1, judge=True), "competitions:list"),
    ],
)
def test_the_programme_centres_name_leads_each_role_to_its_first_page(scope, url_name):
    assert home_url_name(scope) == url_name
