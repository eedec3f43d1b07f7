from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from customer.views import password_reset
from marketplace import views
from midtrans import urls as midtrans_urls
from sellers import urls as sellers_urls

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("", views.HomeView.as_view(), name="home"),
    path("wilayah/", include("regions.urls")),
    path("dashboard/pesantren/", include("sellers.dashboard.urls")),
    path("dashboard/pesanan/", include("fulfilment.dashboard.urls")),
    path("dashboard/keuangan/", include("payouts.dashboard.urls")),
    path("dashboard/ongkir/", include("shipping.dashboard.urls")),
    path("dashboard/kurir/", include("couriers.dashboard_urls")),
    path("kurir/", include("couriers.urls")),
    path("dashboard/program/kurasi/", include("curation.urls")),
    path("dashboard/program/lomba/", include("competitions.urls")),
    path("dashboard/program/", include("programme.urls")),
    path("dashboard/lomba/", include("competitions.seller_urls")),
    path("dashboard/program/acara/", include("events.programme_urls")),
    path("dashboard/acara/", include("events.dashboard_urls")),
    path("acara/", include("events.urls")),
    path("dashboard/program/laporan/", include("reports.urls")),
    path("data-terbuka/", include("reports.open_data_urls")),
    path("pesantren/daftar/undangan/", include("programme.public_urls")),
    path("dashboard/ulasan/", include("ratings.dashboard.urls")),
    path("ulasan/", include("ratings.urls")),
    path("pembayaran/stripe/", include("payments.urls")),
    path("pembayaran/transfer/", include("bank_transfers.urls")),
    path("pembayaran/midtrans/", include("midtrans.urls")),
    path("payments/midtrans/", include((midtrans_urls.notification_urlpatterns, "midtrans-notification"))),
    path("dashboard/offtaker/", include("companies.dashboard_urls")),
    path("dashboard/grosir/", include("wholesale.urls")),
    path("dashboard/penawaran/", include("quotes.dashboard_urls")),
    path("dashboard/faktur/", include("invoices.dashboard_urls")),
    path("offtaker/rfq/", include("quotes.urls")),
    path("offtaker/faktur/", include("invoices.urls")),
    path("offtaker/acara/", include("events.offtaker_urls")),
    # The business area: the company account (companies) and its buying (purchasing) share one prefix.
    path("offtaker/", include("companies.urls")),
    path("offtaker/", include("purchasing.urls")),
    path("api/v1/", include("api.urls")),
    # A storefront is a search of one pesantren's products, so the project (above both apps) adds it
    # to the sellers namespace, after the fixed `pesantren/...` addresses that its slug would shadow.
    path(
        "",
        include(
            (
                [
                    *sellers_urls.urlpatterns,
                    path("pesantren/<slug:slug>/", views.StorefrontView.as_view(), name="storefront"),
                ],
                sellers_urls.app_name,
            )
        ),
    ),
    # Ahead of Oscar's own patterns for the same paths (see the views' docstrings).
    path("accounts/wishlists/create/", login_required(views.WishListCreateView.as_view())),
    path(
        "accounts/wishlists/create/with-product/<int:product_pk>/",
        login_required(views.WishListCreateView.as_view()),
    ),
    path("accounts/wishlists/<str:key>/update/", login_required(views.WishListUpdateView.as_view())),
    # Ahead of Oscar's own, at the same address: the password reset with its rate limits.
    path("password-reset/", password_reset, name="password-reset"),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
