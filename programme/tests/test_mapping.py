"""Mapping, CSV import, invitations and nominations: the happy paths and every kind of bad input."""

import csv
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from programme import access, selectors, services
from programme.imports import COLUMNS, MAX_FILE_BYTES, MAX_ROWS
from programme.models import (
    MappedPesantren,
    Nomination,
    NominationEvent,
    NominationStatus,
    PesantrenInvitation,
    RoleKind,
)
from programme.tests.helpers import (
    make_areas,
    make_district_officer,
    make_mapped,
    make_provincial_officer,
    make_role,
)
from sellers.models import Seller
from tests.factories import make_seller, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return make_areas()


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def sukabumi_officer(areas):
    return make_district_officer(areas["sukabumi"]["kabupaten"], email="petugas.sukabumi@example.com")


def upload(text: str | bytes, name: str = "pesantren.csv") -> SimpleUploadedFile:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="text/csv")


def csv_text(rows: list[list[str]], header=None, delimiter=",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header or COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def import_url(code: str = "32.02") -> str:
    return reverse("programme:mapped-import", args=[code])


# --- Scope --------------------------------------------------------------------------------------


def test_each_role_gets_its_own_scope(areas):
    sukabumi = areas["sukabumi"]["kabupaten"]
    officer = make_district_officer(sukabumi)
    provincial = make_provincial_officer()
    by_role = make_role(RoleKind.PROVINCIAL)
    mentor = make_role(RoleKind.MENTOR)
    curator = make_role(RoleKind.CURATOR)
    nobody = make_user(is_staff=True)

    officer_scope = access.scope_for(officer)
    assert (officer_scope.provincial, officer_scope.kabupaten_codes, officer_scope.is_officer) == (
        False,
        frozenset({"32.02"}),
        True,
    )
    assert officer_scope.home_kabupaten == "32.02"
    assert [k.code for k in access.kabupaten_in_scope(officer_scope)] == ["32.02"]
    assert access.scope_for(provincial).provincial and access.scope_for(by_role).provincial
    assert [k.code for k in access.kabupaten_in_scope(access.scope_for(provincial))] == ["32.02", "32.04"]
    mentor_scope = access.scope_for(mentor)
    assert mentor_scope.mentor and not mentor_scope.is_officer
    assert not access.mapped_pesantren(mentor_scope).exists()
    assert access.scope_for(curator).curator and not access.scope_for(curator).is_officer
    assert not access.scope_for(nobody).any_role


def test_a_mentor_reaches_only_assigned_pesantren_and_changes_none(areas):
    mine = make_mapped(areas["sukabumi"], nspp="510032020001")
    make_mapped(areas["sukabumi"], name="Pondok Lain", nspp="510032020002")
    mentor = make_role(RoleKind.MENTOR)
    provincial = access.scope_for(make_provincial_officer())
    services.mentor_assign(scope=provincial, mentor=mentor, pesantren=mine, assigned_by=None)

    scope = access.scope_for(mentor)

    assert list(access.mapped_pesantren(scope)) == [mine]
    assert not access.mapped_pesantren_editable(scope).exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, whatever the message
        services.nominate(scope=scope, pesantren=mine, nominated_by=mentor)
    assert not Nomination.objects.exists()


# --- Recording by form --------------------------------------------------------------------------


def test_a_district_officer_records_a_pesantren_by_form_and_a_registered_one_is_linked(
    english, areas, sukabumi_officer
):
    registered = make_seller(name="Pondok Terdaftar", regions=areas["sukabumi"], nspp="510032020077")
    english.force_login(sukabumi_officer)
    kecamatan = areas["sukabumi"]["kecamatan"][1]

    response = english.post(
        reverse("programme:mapped-create", args=["32.02"]),
        {
            "name": "Pondok Lele Barokah",
            "nspp": "5100 3202 0001",
            "kecamatan": kecamatan.code,
            "business_units": "Kolam lele",
            "products": "Lele segar",
        },
    )
    linked = english.post(
        reverse("programme:mapped-create", args=["32.02"]),
        {"name": "Pondok Terdaftar", "nspp": "510032020077", "kecamatan": kecamatan.code},
    )

    assert response.status_code == 302
    record = MappedPesantren.objects.get(nspp="510032020001")
    assert (record.name, record.kabupaten_id, record.kecamatan_id, record.products, record.seller) == (
        "Pondok Lele Barokah",
        "32.02",
        kecamatan.code,
        "Lele segar",
        None,
    )
    assert record.recorded_by == sukabumi_officer
    assert linked.status_code == 302
    assert MappedPesantren.objects.get(nspp="510032020077").seller == registered


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nspp": "12345"}, "An NSPP has 12 digits and starts with 51"),
        ({"nspp": "520032020001"}, "An NSPP has 12 digits and starts with 51"),
        ({"kecamatan": "32.04.01"}, "is not in Kabupaten Sukabumi"),
        ({"name": ""}, "This field is required"),
        ({"nspp": "510032020999"}, "A pesantren with this NSPP is already mapped"),
    ],
)
def test_bad_form_input_is_refused_with_a_clear_error_and_nothing_saved(
    english, areas, sukabumi_officer, data, message
):
    make_mapped(areas["sukabumi"], name="Sudah Ada", nspp="510032020999")
    english.force_login(sukabumi_officer)
    valid = {"name": "Pondok Baru", "nspp": "510032020001", "kecamatan": areas["sukabumi"]["kecamatan"][0].code}

    response = english.post(reverse("programme:mapped-create", args=["32.02"]), {**valid, **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert MappedPesantren.objects.count() == 1


# --- CSV import ---------------------------------------------------------------------------------


def test_the_template_downloads_with_the_columns_the_import_reads(english, sukabumi_officer):
    english.force_login(sukabumi_officer)

    response = english.get(reverse("programme:mapped-template"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Disposition"].startswith("attachment")
    assert rows[0] == COLUMNS
    assert len(rows[1]) == len(COLUMNS)


def test_a_csv_of_a_kecamatans_pesantren_is_imported_whole(english, areas, sukabumi_officer):
    registered = make_seller(name="Pondok Terdaftar", regions=areas["sukabumi"], nspp="510032020077")
    kecamatan = areas["sukabumi"]["kecamatan"]
    english.force_login(sukabumi_officer)
    text = csv_text(
        [
            ["Pondok Lele", "510032020001", kecamatan[0].code, "Kolam lele", "Lele segar; abon lele", "Ust. Ali", ""],
            ["Pondok Kopi", "5100.3202.0002", kecamatan[0].name.upper(), "", "Kopi", "", "KOPI@example.com"],
            ["Pondok Terdaftar", "510032020077", kecamatan[1].code, "", "", "", ""],
        ],
        delimiter=";",
    )

    response = english.post(import_url(), {"file": upload("\ufeff" + text)})

    assert response.status_code == 302
    records = {r.nspp: r for r in MappedPesantren.objects.all()}
    assert set(records) == {"510032020001", "510032020002", "510032020077"}
    assert records["510032020001"].products == "Lele segar; abon lele"
    assert records["510032020002"].kecamatan == kecamatan[0]
    assert records["510032020002"].email == "kopi@example.com"
    assert records["510032020077"].seller == registered
    assert all(r.kabupaten_id == "32.02" and r.recorded_by == sukabumi_officer for r in records.values())


def test_a_csv_with_bad_rows_lists_each_error_by_row_and_saves_nothing(english, areas, sukabumi_officer):
    make_mapped(areas["sukabumi"], name="Sudah Ada", nspp="510032020999")
    kecamatan = areas["sukabumi"]["kecamatan"][0].code
    english.force_login(sukabumi_officer)
    text = csv_text(
        [
            ["Pondok Baik", "510032020001", kecamatan, "", "", "", ""],  # row 2: fine
            ["Pondok NSPP Salah", "12345", kecamatan, "", "", "", ""],  # row 3
            ["Pondok Bandung", "510032020003", "32.04.01", "", "", "", ""],  # row 4: another kabupaten
            ["Pondok Kembar", "510032020001", kecamatan, "", "", "", ""],  # row 5: same NSPP as row 2
            ["Pondok Lama", "510032020999", kecamatan, "", "", "", ""],  # row 6: already mapped
            ["", "510032020006", kecamatan, "", "", "", "bukan-email"],  # row 7: no name, bad email
        ]
    )

    response = english.post(import_url(), {"file": upload(text)})

    body = response.content.decode()
    assert response.status_code == 400
    errors = [(error.row, error.message) for error in response.context["row_errors"]]
    assert [row for row, _message in errors] == [3, 4, 5, 6, 7, 7]
    assert "An NSPP has 12 digits" in errors[0][1]
    assert errors[1][1] == "Kecamatan “32.04.01” is not in Kabupaten Sukabumi."
    assert errors[2][1] == "NSPP 510032020001 is also on row 2."
    assert errors[3][1] == "NSPP 510032020999 is already mapped."
    assert errors[4][1] == "nama is required."
    assert "not a valid email address" in errors[5][1]
    assert "Nothing was imported" in body and 'data-row="4"' in body
    assert list(MappedPesantren.objects.values_list("nspp", flat=True)) == ["510032020999"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"nama,nspp,kecamatan\nPondok\x00,510032020001,32.02.01\n", "is not a CSV text file"),
        ("nama,nspp,kecamatan\nPondok Ciamis Ñ,510032020001,32.02.01\n".encode("latin-1"), "is not UTF-8 text"),
        (b"", "The submitted file is empty"),
        (b"nama,nspp\nPondok,510032020001\n", "The header lacks the column(s) kecamatan"),
        (b"nama,nspp,kecamatan\n\n", "has no pesantren rows"),
        (b'nama,nspp,kecamatan\n"Pondok,510032020001,32.02.01\n', "cannot be read as CSV"),
    ],
)
def test_unreadable_files_get_a_clear_error_and_save_nothing(english, sukabumi_officer, content, message):
    english.force_login(sukabumi_officer)

    response = english.post(import_url(), {"file": upload(content)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MappedPesantren.objects.exists()


def test_files_over_the_size_or_row_limit_are_refused(english, areas, sukabumi_officer):
    english.force_login(sukabumi_officer)
    kecamatan = areas["sukabumi"]["kecamatan"][0].code
    too_many = csv_text([[f"Pondok {i}", f"5100320{i:05d}", kecamatan] for i in range(MAX_ROWS + 1)], COLUMNS[:3])
    too_large = "nama,nspp,kecamatan\n" + "x" * (MAX_FILE_BYTES + 1)

    rows_response = english.post(import_url(), {"file": upload(too_many)})
    size_response = english.post(import_url(), {"file": upload(too_large)})

    assert rows_response.status_code == 400
    assert f"at most {MAX_ROWS} pesantren" in rows_response.content.decode()
    assert size_response.status_code == 400
    assert "larger than 512 KB" in size_response.content.decode()
    assert not MappedPesantren.objects.exists()


def test_an_officer_cannot_import_into_another_kabupaten(english, areas, sukabumi_officer):
    english.force_login(sukabumi_officer)
    text = csv_text([["Pondok Bandung", "510032040001", "32.04.01", "", "", "", ""]])

    response = english.post(import_url("32.04"), {"file": upload(text)})

    assert response.status_code == 404
    assert not MappedPesantren.objects.exists()
    with pytest.raises(Exception):  # noqa: B017 - the service refuses too, whatever the view does
        services.mapping_import(
            scope=access.scope_for(sukabumi_officer),
            kabupaten=areas["bandung"]["kabupaten"],
            upload=upload(text),
            recorded_by=sukabumi_officer,
        )


# --- Nominations --------------------------------------------------------------------------------


def test_nominating_writes_history_and_nominating_twice_is_refused(english, areas, sukabumi_officer):
    record = make_mapped(areas["sukabumi"])
    english.force_login(sukabumi_officer)
    url = reverse("programme:nominate", args=[record.pk])

    first = english.post(url, {"reason": "Kolam lele terbesar di kecamatan"})
    second = english.post(url, {"reason": "lagi"})

    assert first.status_code == 302
    assert second.status_code == 400
    assert "Pondok Lele Barokah is already nominated." in second.content.decode()
    nomination = Nomination.objects.get()
    assert (nomination.status, nomination.kecamatan_id, nomination.nominated_by) == (
        NominationStatus.NOMINATED,
        record.kecamatan_id,
        sukabumi_officer,
    )
    event = NominationEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "",
        "nominated",
        sukabumi_officer,
        "Kolam lele terbesar di kecamatan",
    )


def test_a_withdrawal_needs_a_reason_and_then_the_pesantren_can_be_nominated_again(english, areas, sukabumi_officer):
    record = make_mapped(areas["sukabumi"])
    scope = access.scope_for(sukabumi_officer)
    nomination = services.nominate(scope=scope, pesantren=record, nominated_by=sukabumi_officer)
    english.force_login(sukabumi_officer)
    url = reverse("programme:nomination-withdraw", args=[nomination.pk])

    refused = english.post(url, {"reason": "  "})
    nomination.refresh_from_db()
    assert refused.status_code == 400 and nomination.status == NominationStatus.NOMINATED

    assert english.post(url, {"reason": "Pindah ke kecamatan lain"}).status_code == 302
    again = services.nominate(scope=scope, pesantren=record, nominated_by=sukabumi_officer)

    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN
    assert again.status == NominationStatus.NOMINATED
    history = [(e.from_status, e.to_status) for e in selectors.nomination_history(pesantren=record)]
    assert history == [("", "nominated"), ("nominated", "withdrawn"), ("", "nominated")]
    with translation.override("en"), pytest.raises(ValidationError, match="cannot go from"):
        services.nomination_withdraw(scope=scope, nomination=nomination, withdrawn_by=None, reason="x")


def test_tables_and_map_show_kecamatan_without_a_nominee_and_without_a_verified_pesantren(
    english, areas, sukabumi_officer
):
    sukabumi = areas["sukabumi"]
    make_seller(name="Pondok Terverifikasi", regions=sukabumi)  # verified, in kecamatan 1
    record = make_mapped(sukabumi, index=1)
    services.nominate(scope=access.scope_for(sukabumi_officer), pesantren=record, nominated_by=sukabumi_officer)
    english.force_login(sukabumi_officer)

    page = english.get(reverse("programme:kabupaten", args=["32.02"]))
    counts = english.get(reverse("programme:map-counts")).json()

    rows = {row.code: (row.verified, row.mapped, row.nominated) for row in page.context["rows"]}
    assert rows == {"32.02.01": (1, 0, 0), "32.02.02": (0, 1, 1), "32.02.03": (0, 0, 0)}
    assert [row.code for row in page.context["without_nominee"]] == ["32.02.01", "32.02.03"]
    assert [row.code for row in page.context["uncovered"]] == ["32.02.02", "32.02.03"]
    body = page.content.decode()
    assert "<strong>2</strong> of 3 kecamatan have no nominee yet." in body
    assert body.count('data-no-nominee="true"') == 2
    # the map of a district officer holds its own kabupaten only
    assert sorted(counts["kecamatan"]) == ["32.02.01", "32.02.02", "32.02.03"]
    assert counts["kecamatan"]["32.02.02"]["nominated"] == 1
    assert counts["without_nominee"] == 2
    table = {row.code: row for row in selectors.kabupaten_table()}
    assert (table["32.02"].mapped, table["32.02"].kecamatan_without_nominee) == (1, 2)
    assert (table["32.04"].mapped, table["32.04"].kecamatan_without_nominee) == (0, 2)


# --- Invitations to register --------------------------------------------------------------------


def test_an_invited_pesantren_registers_with_its_application_pre_filled(
    client, areas, sukabumi_officer, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MARKETPLACE_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    record = make_mapped(areas["sukabumi"], index=1, contact_name="Ustadz Ali", products="Lele segar")
    client.force_login(sukabumi_officer)

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("programme:invite", args=[record.pk]), {"email": "Lele@Example.com"})
    again = client.post(reverse("programme:invite", args=[record.pk]), {"email": "lain@example.com"})

    assert sent.status_code == 302 and again.status_code == 400
    invitation = PesantrenInvitation.objects.get()
    assert invitation.email == "lele@example.com"
    assert [m.to for m in mail.outbox] == [["lele@example.com"]]
    link = reverse("programme-public:invitation", args=[invitation.token])
    assert link in mail.outbox[0].body

    client.logout()
    form = client.get(link).context["form"]
    assert form.initial["name"] == "Pondok Lele Barokah"
    assert form.initial["nspp"] == "510032020001"
    assert (form.initial["kabupaten"], form.initial["kecamatan"]) == ("32.02", record.kecamatan_id)

    data = {
        "account-account_email": "lele@example.com",
        "account-password1": "Sangat-Rahasia-2026",
        "account-password2": "Sangat-Rahasia-2026",
        "name": "Pondok Lele Barokah",
        "nspp": "510032020001",
        "sector": "fisheries",
        "address_line": "Jl. Kolam 1",
        "kabupaten": "32.02",
        "kecamatan": record.kecamatan_id,
        "desa": areas["sukabumi"]["desa"][1].code,
        "postal_code": "43111",
        "contact_name": "Ustadz Ali",
        "whatsapp": "081234567890",
        "nspp_certificate": SimpleUploadedFile("nspp.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"),
    }
    response = client.post(link, data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    seller = Seller.objects.get(nspp="510032020001")
    record.refresh_from_db()
    invitation.refresh_from_db()
    assert record.seller == seller
    assert invitation.accepted_at is not None and invitation.accepted_by == seller.owner
    assert client.get(link).status_code == 410
    client.force_login(sukabumi_officer)
    with translation.override("en"), pytest.raises(ValidationError, match="already registered"):
        services.invitation_send(
            scope=access.scope_for(sukabumi_officer), pesantren=record, email="x@example.com", invited_by=None
        )


def test_an_unknown_invitation_token_is_not_found(client):
    assert client.get(reverse("programme-public:invitation", args=["tidak-ada"])).status_code == 404
