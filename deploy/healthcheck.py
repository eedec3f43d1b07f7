"""Container health probe: GET /healthz on the local gunicorn, exit 0 only on HTTP 200.

It sends a Host header taken from ALLOWED_HOSTS (Django rejects unknown hosts) and the forwarded
HTTPS header the reverse proxy would add, so the request passes the production host and SSL checks.
The image ships no curl; the standard library is enough.
"""

import os
import sys
import urllib.error
import urllib.request


def probe_host() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    port = os.environ.get("HEALTHCHECK_PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": probe_host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status = response.status
            body = response.read(2000)
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read(2000)
    except OSError as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"healthcheck: HTTP {status} {body.decode(errors='replace')}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
