import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _


class LanguageMiddleware(MiddlewareMixin):
    """Bahasa Indonesia unless the visitor chose English with the language switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which shows English
    to most Indonesian phones set up in English. The switcher's cookie is the only signal here.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


NUL = "\x00"


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class RejectNulCharactersMiddleware:
    """Answer 400 to a request whose path, query, form fields or JSON body hold a NUL character.

    PostgreSQL refuses NUL in text, so such a value reaching any query or save is a 500. No browser
    sends one and no field of ours can hold one: refusing the request once, here, covers every path
    converter, query parameter and field, including those that never pass through a Django form
    (whose CharField already refuses NUL). Uploaded files are checked by their importers.
    """

    JSON_NUL_ESCAPE = b"\\u0000"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._holds_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    def _holds_nul(self, request) -> bool:
        if NUL in request.path or NUL in request.META.get("QUERY_STRING", ""):
            return True
        if any(_holds_nul(key) or _holds_nul(request.GET.getlist(key)) for key in request.GET):
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return any(_holds_nul(key) or _holds_nul(request.POST.getlist(key)) for key in request.POST)
        if content_type == "application/json" or content_type.endswith("+json"):
            return self._json_holds_nul(request)
        return False

    def _json_holds_nul(self, request) -> bool:
        try:
            body = request.body
        except RequestDataTooBig:
            return False  # the view answers that itself
        if self.JSON_NUL_ESCAPE not in body.lower() and NUL.encode() not in body:
            return False
        try:
            return _holds_nul(json.loads(body))
        except ValueError:
            return NUL.encode() in body

    def _refuse(self, request):
        message = _("The request holds a NUL character (code 0), which no field accepts. Remove it and try again.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


# QueryDict methods a template reaches as request.GET.<name>: Django's template lookup tries the key
# first, so "?items=x" made {% for k, v in request.GET.items %} iterate the string "x" (a 500).
SHADOWING_QUERY_NAMES = {"items", "lists", "keys", "values", "urlencode", "dict", "copy", "get", "getlist"}


class QueryParameterHygieneMiddleware:
    """Drop query parameters named after QueryDict methods (no page of ours has one), and answer a page
    number past the last with 404 rather than the 500 of an uncaught InvalidPage (django-tables2 lists)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SHADOWING_QUERY_NAMES.intersection(request.GET):
            query = request.GET.copy()
            for name in SHADOWING_QUERY_NAMES:
                query.pop(name, None)
            query._mutable = False
            request.GET = query
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, InvalidPage):
            raise Http404(_("Invalid page.")) from exception
        return None
