"""`python -m localservers.biteship --port P --api-key K --webhook-url URL --webhook-token T`."""

import argparse

from localservers.biteship.server import serve


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localservers.biteship", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8430)
    parser.add_argument("--api-key", default="biteship_test_local", help="the key clients must send")
    parser.add_argument("--webhook-url", default="", help="where order.status webhooks are POSTed")
    parser.add_argument("--webhook-token", default="", help="sent with every webhook in --webhook-header")
    parser.add_argument("--webhook-header", default="X-Biteship-Signature")
    args = parser.parse_args(argv)
    serve(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        webhook_url=args.webhook_url,
        webhook_token=args.webhook_token,
        webhook_header=args.webhook_header,
    )


if __name__ == "__main__":
    main()
