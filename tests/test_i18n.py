"""The Indonesian catalogue is complete, compiled and used: Indonesian by default, English on request."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from catalogue.validators import validate_halal_number
from core.identifiers import validate_nspp
from sellers.models import Seller, SellerStatus

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = REPO_ROOT / "locale"
PO_PATH = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# The command that refreshes the catalogue; translate what it adds, then run compilemessages -l id.
MAKEMESSAGES_ARGS = ["-l", "id", "--no-obsolete", *(f"--ignore={d}" for d in (".venv", "staticfiles", "media", "var"))]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")


@dataclass
class PoEntry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstrs) and all(self.msgstrs.values())


def _unquote(literal: str) -> str:
    body = literal.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def parse_po(path: Path) -> list[PoEntry]:
    """A minimal .po reader: enough for the files makemessages writes (no obsolete entries)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        fuzzy = False
        for line in block.strip().splitlines():
            keyword = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
            if keyword:
                current = keyword.group(1)
                fields[current] = _unquote(keyword.group(2))
            elif line.startswith('"') and current:
                fields[current] += _unquote(line)
            elif line.startswith("#,"):
                fuzzy = "fuzzy" in line
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        msgstrs = {0: fields["msgstr"]} if "msgstr" in fields else {}
        msgstrs.update({int(k[7:-1]): v for k, v in fields.items() if k.startswith("msgstr[")})
        entries.append(PoEntry(fields["msgid"], fields.get("msgctxt"), fields.get("msgid_plural"), msgstrs, fuzzy))
    return entries


def test_indonesian_catalogue_has_no_untranslated_or_fuzzy_entries():
    # given
    entries = parse_po(PO_PATH)

    # then
    assert len(entries) > 100
    assert [e.msgid for e in entries if not e.translated] == []
    assert [e.msgid for e in entries if e.fuzzy] == []
    assert "nplurals=1" in PO_PATH.read_text(encoding="utf-8")


def test_translations_keep_every_placeholder():
    mismatched = [
        e.msgid
        for e in parse_po(PO_PATH)
        for msgstr in e.msgstrs.values()
        if set(PLACEHOLDER.findall(e.msgid + (e.msgid_plural or ""))) != set(PLACEHOLDER.findall(msgstr))
    ]

    assert mismatched == []


def test_compiled_catalogue_matches_the_po_file():
    # given: the .mo is committed because the Docker image has no gettext to compile it
    with MO_PATH.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    catalog = compiled._catalog  # the only way to see what the .mo holds, rather than fallbacks

    # then: every .po entry is in the .mo with the same translation, and nothing else is
    expected = {}
    for entry in parse_po(PO_PATH):
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstrs[0]
        else:
            expected.update({(key, n): msgstr for n, msgstr in entry.msgstrs.items()})
    actual = {key: value for key, value in catalog.items() if key != ""}
    stale = sorted(str(k) for k in expected if actual.get(k) != expected[k])
    assert stale == [], "locale/id/LC_MESSAGES/django.mo is out of date: run `manage.py compilemessages -l id`"
    assert set(actual) == set(expected)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext (apt-get install gettext)")
def test_every_message_in_the_code_is_in_the_catalogue(tmp_path):
    # given: a copy of the sources, so that makemessages merges into a throwaway catalogue
    copy = tmp_path / "repo"
    shutil.copytree(
        REPO_ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "staticfiles",
            "media",
            "var",
            "node_modules",
            "__pycache__",
            ".ruff_cache",
            ".pytest_cache",
        ),
    )

    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *MAKEMESSAGES_ARGS],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.base"},
        timeout=300,
    )

    # then: anything new or changed comes out untranslated or fuzzy, anything removed disappears
    assert result.returncode == 0, result.stderr
    regenerated = parse_po(copy / "locale" / "id" / "LC_MESSAGES" / "django.po")
    hint = f"run `manage.py makemessages {' '.join(MAKEMESSAGES_ARGS)}`, translate, then compilemessages"
    new_or_changed = [e.msgid for e in regenerated if not e.translated or e.fuzzy]
    assert new_or_changed == [], f"{hint}; not in the catalogue: {new_or_changed}"
    no_longer_used = sorted({e.msgid for e in parse_po(PO_PATH)} - {e.msgid for e in regenerated})
    assert no_longer_used == [], f"{hint}; no longer used: {no_longer_used}"


@pytest.mark.django_db
def test_pages_are_indonesian_by_default_and_english_after_switching(client):
    # when
    indonesian = client.get("/pesantren/daftar/")

    # then
    page = indonesian.content.decode()
    assert indonesian.status_code == 200
    assert indonesian.headers["Content-Language"] == "id"
    assert "Daftar sebagai pesantren" in page
    assert "Nama pesantren" in page  # a model's verbose_name, from Python code
    assert "Register as a pesantren" not in page

    # when
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/pesantren/daftar/"})
    english = client.get("/pesantren/daftar/")

    # then
    assert switched.status_code == 302
    assert switched.headers["Location"] == "/pesantren/daftar/"
    page = english.content.decode()
    assert english.headers["Content-Language"] == "en"
    assert "Register as a pesantren" in page
    assert "Pesantren name" in page
    assert "Daftar sebagai pesantren" not in page


def _message(validator, value: str) -> str:
    with pytest.raises(ValidationError) as raised:
        validator(value)
    return raised.value.messages[0]


def test_validation_messages_follow_the_active_language():
    with translation.override("id"):
        assert _message(validate_halal_number, "KH123") == (
            "Nomor KH adalah sertifikat lama MUI. Masukkan nomor sertifikat halal BPJPH yang diawali 'ID'."
        )
        assert _message(validate_nspp, "123") == "NSPP terdiri dari 12 angka dan diawali 51, misalnya 510032040001."
    with translation.override("en"):
        assert _message(validate_halal_number, "KH123") == (
            "KH numbers are old MUI certificates. Enter a BPJPH halal certificate number starting with 'ID'."
        )


def test_model_labels_and_choices_are_indonesian_by_default():
    with translation.override("id"):
        assert str(Seller._meta.get_field("postal_code").verbose_name) == "kode pos"
        assert str(Seller._meta.verbose_name) == "pesantren"
        assert str(SellerStatus.CHANGES_REQUESTED.label) == "Perlu perbaikan"
    with translation.override("en"):
        assert str(SellerStatus.CHANGES_REQUESTED.label) == "Changes requested"
