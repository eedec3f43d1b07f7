"""Login lockout (django-axes, core/login_lockout.py): per account, per address, with no account enumeration."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.ratelimit import too_many_attempts_message
from tests.factories import make_region_tree, make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-123"
ACCOUNT_LIMIT = settings.AXES_FAILURE_LIMIT
ADDRESS_LIMIT = settings.MARKETPLACE_LOGIN_ADDRESS_FAILURE_LIMIT
COOL_OFF_MINUTES = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def too_many_attempts(minutes: int) -> str:
    # In the catalogue's Indonesian: "Terlalu banyak percobaan. Coba lagi dalam N menit."
    with translation.override("id"):
        return too_many_attempts_message(minutes * 60)


def storefront_login(client, email: str, password: str, address: str):
    data = {"login-username": email, "login-password": password, "login-redirect_url": "", "login_submit": "1"}
    return client.post(reverse("customer:login"), data, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def assert_locked(response):
    assert response.status_code == 429
    assert too_many_attempts(COOL_OFF_MINUTES) in response.content.decode()
    assert int(response["Retry-After"]) == COOL_OFF_MINUTES * 60


def test_an_account_locks_after_its_failure_limit_even_from_many_addresses(client):
    # given
    user = make_user("siti@example.com", password=PASSWORD)

    # when: one guess from each address, with the email in other cases
    answers = [
        storefront_login(client, email, "tebakan", f"10.0.0.{number}")
        for number, email in enumerate(["siti@example.com", "Siti@Example.com", " SITI@example.com "] * 2, start=1)
    ][:ACCOUNT_LIMIT]

    # then: the guesses before the limit are an ordinary form error, the last one locks
    assert [answer.status_code for answer in answers] == [200] * (ACCOUNT_LIMIT - 1) + [429]
    assert_locked(answers[-1])

    # the right password from a new address is refused as well, without checking it
    refused = storefront_login(client, user.email, PASSWORD, "10.9.9.9")
    assert_locked(refused)
    assert not signed_in(client)

    # another account from that address still signs in
    other = make_user("aminah@example.com", password=PASSWORD)
    assert storefront_login(client, other.email, PASSWORD, "10.9.9.9").status_code == 302
    assert signed_in(client)


def test_an_address_locks_after_failures_on_many_accounts(client):
    # given
    user = make_user("ustadz@example.com", password=PASSWORD)
    attacker = "203.0.113.7"

    # when: one guess on each of many accounts, known or not
    answers = [
        storefront_login(client, f"santri{number}@example.com", "tebakan", attacker) for number in range(ADDRESS_LIMIT)
    ]

    # then
    assert [answer.status_code for answer in answers[:-1]] == [200] * (ADDRESS_LIMIT - 1)
    assert_locked(answers[-1])
    assert_locked(storefront_login(client, user.email, PASSWORD, attacker))
    assert not signed_in(client)
    # the account itself is not locked: from its owner's own address it signs in
    assert storefront_login(client, user.email, PASSWORD, "198.51.100.20").status_code == 302


def test_the_answers_do_not_tell_which_emails_have_an_account(client):
    make_user("terdaftar@example.com", password=PASSWORD)

    known = storefront_login(client, "terdaftar@example.com", "salah", "10.1.0.1")
    unknown = storefront_login(client, "tidak-ada@example.com", "salah", "10.1.0.2")
    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known).replace("terdaftar@example.com", "EMAIL") == without_csrf(unknown).replace(
        "tidak-ada@example.com", "EMAIL"
    )

    for _attempt in range(ACCOUNT_LIMIT):
        known = storefront_login(client, "terdaftar@example.com", "salah", "10.1.0.1")
        unknown = storefront_login(client, "tidak-ada@example.com", "salah", "10.1.0.2")
    assert_locked(known)
    assert_locked(unknown)
    assert without_csrf(known) == without_csrf(unknown)
    assert known["Retry-After"] == unknown["Retry-After"]


def test_a_lock_ends_after_the_cool_off(client):
    # given: locked out
    user = make_user("fatimah@example.com", password=PASSWORD)
    for _attempt in range(ACCOUNT_LIMIT):
        storefront_login(client, user.email, "salah", "10.2.0.1")
    assert_locked(storefront_login(client, user.email, PASSWORD, "10.2.0.1"))

    # when: the cool-off has passed since the last failure
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))

    # then
    assert storefront_login(client, user.email, PASSWORD, "10.2.0.1").status_code == 302
    assert signed_in(client)


def test_staff_can_lift_a_lock_before_the_cool_off(client):
    user = make_user("zainab@example.com", password=PASSWORD)
    for _attempt in range(ACCOUNT_LIMIT):
        storefront_login(client, user.email, "salah", "10.3.0.1")

    reset(username=user.email)

    assert storefront_login(client, user.email, PASSWORD, "10.3.0.1").status_code == 302


def test_a_successful_login_clears_the_accounts_failures_but_not_the_addresss(client):
    # given: failures just under the limit, then the right password
    user = make_user("halimah@example.com", password=PASSWORD)
    for _attempt in range(ACCOUNT_LIMIT - 1):
        assert storefront_login(client, user.email, "salah", "10.4.0.1").status_code == 200
    assert storefront_login(client, user.email, PASSWORD, "10.4.0.1").status_code == 302
    client.logout()

    # then: the count starts again
    for _attempt in range(ACCOUNT_LIMIT - 1):
        assert storefront_login(client, user.email, "salah", "10.4.0.1").status_code == 200
    assert storefront_login(client, user.email, PASSWORD, "10.4.0.1").status_code == 302
    client.logout()

    # but signing into one's own account does not wipe guesses at other accounts from that address
    attacker = "203.0.113.99"
    own = make_user("penyerang@example.com", password=PASSWORD)
    for number in range(ADDRESS_LIMIT - 1):
        storefront_login(client, f"korban{number}@example.com", "tebakan", attacker)
    assert storefront_login(client, own.email, PASSWORD, attacker).status_code == 302
    client.logout()
    assert_locked(storefront_login(client, "korban-lain@example.com", "tebakan", attacker))


def test_a_customer_registered_through_oscar_is_cleared_by_email_on_success(client):
    # Oscar gives customers a random username; failures are counted under the email typed.
    response = client.post(
        reverse("customer:register"),
        {"email": "baru@example.com", "password1": "Rahasia-Sekali-9", "password2": "Rahasia-Sekali-9"},
        REMOTE_ADDR="10.5.0.1",
    )
    assert response.status_code == 302
    client.logout()
    for _attempt in range(ACCOUNT_LIMIT - 1):
        storefront_login(client, "baru@example.com", "salah", "10.5.0.1")
    assert storefront_login(client, "baru@example.com", "Rahasia-Sekali-9", "10.5.0.1").status_code == 302
    assert not AccessAttempt.objects.filter(username="baru@example.com").exists()


def test_the_dashboard_and_admin_logins_share_the_lockout(client):
    staff = make_user("petugas@example.com", password=PASSWORD, is_staff=True, is_superuser=True)

    for _attempt in range(2):
        client.post(reverse("dashboard:login"), {"username": staff.email, "password": "salah"}, REMOTE_ADDR="10.6.0.1")
    wrong = {"username": staff.username, "password": "salah"}
    for _attempt in range(ACCOUNT_LIMIT - 3):
        client.post(reverse("admin:login"), wrong, REMOTE_ADDR="10.6.0.2")
    last = client.post(reverse("admin:login"), wrong, REMOTE_ADDR="10.6.0.3")

    assert_locked(last)
    assert_locked(
        client.post(reverse("dashboard:login"), {"username": staff.email, "password": PASSWORD}, REMOTE_ADDR="10.6.0.4")
    )
    assert_locked(
        client.post(reverse("admin:login"), {"username": staff.username, "password": PASSWORD}, REMOTE_ADDR="10.6.0.5")
    )
    assert_locked(storefront_login(client, staff.email, PASSWORD, "10.6.0.6"))
    assert not signed_in(client)


def test_the_test_clients_login_and_force_login_are_not_login_attempts(client):
    # Tests sign in hundreds of times; neither path may count or lock.
    user = make_user("penguji@example.com", password=PASSWORD)
    for _attempt in range(ACCOUNT_LIMIT + 1):
        assert not client.login(username=user.email, password="salah")
        client.force_login(user)
        client.logout()
    assert client.login(username=user.email, password=PASSWORD)


def test_the_checkout_sign_in_of_returning_customers_is_locked_out_too(client):
    user = make_user("pelanggan@example.com", password=PASSWORD)
    product = make_seller_product(make_seller(regions=make_region_tree()), title="Madu Hutan", price="85000")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})

    def checkout_login(password: str, address: str):
        data = {"username": user.email, "password": password, "options": "existing"}
        return client.post(reverse("checkout:index"), data, REMOTE_ADDR=address)

    answers = [checkout_login("salah", f"10.7.0.{number}") for number in range(ACCOUNT_LIMIT)]

    assert [answer.status_code for answer in answers[:-1]] == [200] * (ACCOUNT_LIMIT - 1)
    assert_locked(answers[-1])
    assert_locked(checkout_login(PASSWORD, "10.7.1.1"))
    assert not signed_in(client)


@pytest.mark.django_db
def test_a_name_longer_than_any_account_is_a_failed_login_not_a_server_error(client):
    response = client.post(reverse("dashboard:login"), {"username": "a" * 5000 + "@example.com", "password": "x"})

    assert response.status_code < 500
