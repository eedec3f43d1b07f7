from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView
from oscar.apps.customer.wishlists.views import WishListCreateView as OscarWishListCreateView
from oscar.apps.customer.wishlists.views import WishListUpdateView as OscarWishListUpdateView
from oscar.core.loading import get_model

from core.page_cache import cache_anonymous_page
from core.redirects import is_same_site_url, safe_redirect_url
from marketplace.health import check_services
from marketplace.selectors import home_page_context, storefront_products
from search.forms import SearchForm
from sellers.selectors import seller_for_storefront

Product = get_model("catalogue", "Product")


@method_decorator(cache_anonymous_page(), name="dispatch")
class HomeView(TemplateView):
    template_name = "marketplace/home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **home_page_context()}


@method_decorator(cache_anonymous_page(), name="dispatch")
class StorefrontView(ListView):
    """A pesantren's page: its products through search, so it lives above both sellers and search."""

    template_name = "sellers/storefront.html"
    context_object_name = "products"
    paginate_by = 24

    def get_queryset(self):
        self.seller = seller_for_storefront(slug=self.kwargs["slug"])
        if self.seller is None:
            raise Http404
        self.search_form = SearchForm(self.request.GET)
        return storefront_products(seller=self.seller, query=self.search_form.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(seller=self.seller, storefront_search_form=self.search_form, query=self.search_form.query)
        if not self.search_form.query:
            # From the listing's own stars facet ("1" = at least one valid star): no query of its own.
            stars = {value: count for value, _label, count in self.object_list.facets.get("stars", [])}
            context["curated_count"] = stars.get("1", 0)
        return context


# Never inside a request-wide transaction (should ATOMIC_REQUESTS come back): opening it would fail
# with a 500 before the database check could report the outage as a 503.
@transaction.non_atomic_requests
@never_cache
def healthz(request):
    checks = check_services()
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if not healthy:
        body["down"] = sorted(name for name, check in checks.items() if not check["ok"])
    return JsonResponse(body, status=200 if healthy else 503)


class SharedEmailsSkipDeletedFormsMixin:
    """Oscar 4.2 saves every changed shared-email form, even one ticked for deletion: the formset does
    not validate those, so saving one raised ValueError (a 500). Deleted rows are not saved."""

    def process_wishlist_forms(self, wishlist_form, shared_emails_formset):
        deleted = set(map(id, shared_emails_formset.deleted_forms))
        shared_emails_formset.forms = [form for form in shared_emails_formset.forms if id(form) not in deleted]
        return super().process_wishlist_forms(wishlist_form, shared_emails_formset)


class WishListCreateView(SharedEmailsSkipDeletedFormsMixin, OscarWishListCreateView):
    """Oscar 4.2's wish list creation, with a missing product sent to the form rather than to a 500.

    Oscar redirects to the un-namespaced "wishlists-create", which does not reverse (NoReverseMatch).
    """

    def dispatch(self, request, *args, **kwargs):
        if "product_pk" in kwargs and not Product.objects.filter(pk=kwargs["product_pk"]).exists():
            messages.error(request, _("The requested product no longer exists"))
            return redirect("customer:wishlists-create")
        return super().dispatch(request, *args, **kwargs)


class WishListUpdateView(SharedEmailsSkipDeletedFormsMixin, OscarWishListUpdateView):
    pass


@require_POST
def set_language(request):
    """The language switcher: remember the choice in the cookie LanguageMiddleware reads, then go back.

    Django's own view, except that where to go goes through the one same-site check
    (core.redirects) that sign-in uses too.
    """
    next_url = request.POST.get("next") or request.GET.get("next")
    if not is_same_site_url(request, next_url):
        next_url = safe_redirect_url(request, request.headers.get("referer"), "/")
    response = HttpResponseRedirect(next_url)
    language = request.POST.get("language", "")
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
