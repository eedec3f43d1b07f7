"""python -m localservers.midtrans --port PORT --server-key KEY --notification-url URL [--state-file none]"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile

from .server import make_server, parse_delays


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m localservers.midtrans",
        description="A local Midtrans-compatible server (Core API subset, notifications, simulator).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8421, help="port to listen on (default 8421)")
    parser.add_argument("--server-key", required=True, help="the server key clients must send (Basic auth)")
    parser.add_argument("--notification-url", default=None, help="where signed notifications are POSTed")
    parser.add_argument(
        "--public-url", default=None, help="base URL put into action and QR URLs (default http://HOST:PORT)"
    )
    parser.add_argument(
        "--state-file",
        default=None,
        help="JSON file keeping the transactions across restarts; 'none' keeps them in memory only "
        "(default: localmidtrans-PORT.json in the temporary directory)",
    )
    parser.add_argument(
        "--retry-delays",
        default="0.5,1,2,4,8",
        help="seconds between delivery attempts of a notification that was not answered 2xx",
    )
    parser.add_argument("--workers", type=int, default=4, help="notification delivery threads (default 4)")
    parser.add_argument("--merchant-id", default="G000000001", help="merchant_id reported in answers")
    parser.add_argument("--quiet", action="store_true", help="do not log every request")
    args = parser.parse_args(argv)

    state_file = args.state_file
    if state_file is None:
        state_file = os.path.join(tempfile.gettempdir(), f"localmidtrans-{args.port}.json")
    elif state_file.lower() == "none":
        state_file = None
    try:
        delays = parse_delays(args.retry_delays)
    except ValueError as error:
        parser.error(f"--retry-delays: {error}")
    server = make_server(
        host=args.host,
        port=args.port,
        server_key=args.server_key,
        notification_url=args.notification_url,
        public_url=args.public_url,
        state_file=state_file,
        retry_delays=delays,
        workers=max(1, args.workers),
        merchant_id=args.merchant_id,
        quiet=args.quiet,
    )
    signal.signal(signal.SIGTERM, _interrupt)
    print(
        f"localmidtrans listening on {server.url} (simulator {server.engine.config.public_url}/simulator/, "
        f"notifications to {args.notification_url or 'nowhere yet'}, state {state_file or 'in memory'})",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.engine.notifier.stop()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
