import pytest
from django.conf import settings
from django.urls import reverse

from companies.models import Company, CompanyMembership, CompanyStatus
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FORM = {
    "legal_name": "CV Toko Amanah",
    "npwp": "3273 0145 0590 0001",
    "business_type": "retailer",
    "address": "Jl. Dago 10, Bandung",
    "contact_name": "Dewi",
    "contact_phone": "081299988877",
    "contact_email": "dewi@amanah.id",
}


@pytest.fixture
def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_registration_requires_login(english_client):
    response = english_client.get(reverse("companies:register"))

    assert response.status_code == 302
    assert settings.LOGIN_URL in response["Location"]


def test_registering_creates_an_applied_company_shown_to_the_user(english_client):
    user = make_user()
    english_client.force_login(user)

    response = english_client.post(reverse("companies:register"), FORM, follow=True)

    company = Company.objects.get()
    assert (company.npwp, company.status) == ("3273014505900001", CompanyStatus.APPLIED)
    assert CompanyMembership.objects.filter(company=company, user=user).exists()
    assert "CV Toko Amanah" in response.content.decode()


def test_bad_npwp_is_refused_with_a_message_and_saves_nothing(english_client):
    english_client.force_login(make_user())

    response = english_client.post(reverse("companies:register"), {**FORM, "npwp": "12.345"})

    assert response.status_code == 400
    assert "Enter a valid NPWP" in response.content.decode()
    assert not Company.objects.exists()
