"""Where a page may send the visitor next: only to this site.

Login and the language switch take a `next=` from the request; a link from a phishing mail can make
it point elsewhere. Django's `url_has_allowed_host_and_scheme` rejects other hosts, schemes such as
`javascript:`, `//host` and the backslash forms browsers read as slashes. A value is also checked
once more after each percent-decoding, so that `/%2F%2Fevil.example` is refused even if something
downstream (a proxy, an app server's normalisation) decodes the path before the browser sees it.
"""

from urllib.parse import unquote

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

_MAX_DECODINGS = 3


def is_same_site_url(request: HttpRequest, url: str | None) -> bool:
    if not url or not url.strip():
        return False
    # Over HTTPS a redirect must not fall back to plain HTTP on the same host.
    require_https = request.is_secure()
    allowed_hosts = {request.get_host()}
    candidate = url.strip()
    for _decoding in range(_MAX_DECODINGS + 1):
        if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed_hosts, require_https=require_https):
            return False
        decoded = unquote(candidate)
        if decoded == candidate:
            return True
        candidate = decoded
    return False  # still encoded after several decodings: nobody writes a link like that


def safe_redirect_url(request: HttpRequest, url: str | None, fallback: str = "/") -> str:
    """`url` when it stays on this site, else `fallback`."""
    return url.strip() if is_same_site_url(request, url) else fallback
