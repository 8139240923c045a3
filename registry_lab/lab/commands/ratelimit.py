"""``scripts/lab ratelimit [--json]``: Docker Hub's pull rate limit, read without a pull.

Reads as DOCKERHUB_USERNAME with DOCKERHUB_TOKEN when both are set, else anonymously. Exit
codes are the lab's (``exit_codes``): OK once read (also when Docker Hub reports no limit, or
the limit is used up), CONTRACT when the credentials in the environment are incomplete, else
the code of what stopped the read (UNREACHABLE, UNAUTHORIZED, SERVER_ERROR).
"""

import json
import os
import sys
from urllib.parse import urlparse

from registry_lab.lab import exit_codes, ratelimit
from registry_lab.lab.commands import options
from registry_lab.lab.text_table import format_table

NOT_REPORTED = "not reported"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "ratelimit",
        help="read Docker Hub's pull rate limit without spending a pull",
        description="Read Docker Hub's pull rate-limit headers with a HEAD request, which "
        "spends no pull. Anonymous unless DOCKERHUB_USERNAME and DOCKERHUB_TOKEN are set.",
    )
    options.add_json_option(parser)
    parser.add_argument(
        "--auth-url", type=http_url, default=ratelimit.AUTH_URL,
        help="token service to ask (default: %(default)s)",
    )
    parser.add_argument(
        "--registry-url", type=http_url, default=ratelimit.REGISTRY_URL,
        help="registry API to send the HEAD to (default: %(default)s)",
    )
    parser.set_defaults(func=run)


def http_url(value: str) -> str:
    parts = urlparse(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(value)
    return value


# argparse names the option and the value when a type function raises ValueError.
http_url.__name__ = "http(s) URL"


def run(args) -> int:
    try:
        credentials = ratelimit.hub_credentials(os.environ)
        who = f"as {credentials[0]}" if credentials else "anonymously"
        print(f"reading Docker Hub's pull rate limit {who} (HEAD, spends no pull)",
              file=sys.stderr)
        limit = ratelimit.read_rate_limit(args.auth_url, args.registry_url, credentials)
    except ratelimit.RateLimitError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code

    if args.json:
        print(json.dumps(limit.as_json(), indent=2))
    else:
        sys.stdout.write(table(limit))
    if limit.status == 429:
        print("ratelimit: Docker Hub answered HTTP 429: pulls are refused until the window "
              "moves on", file=sys.stderr)
    if not limit.reported:
        print(
            "ratelimit: no rate-limit headers: the limit is unknown or the account is "
            "unlimited (this is not zero)",
            file=sys.stderr,
        )
    return exit_codes.OK


def table(limit: ratelimit.RateLimit) -> str:
    window = limit.window_seconds
    row = (
        limit.username or "anonymous",
        limit.limit.count if limit.limit else NOT_REPORTED,
        limit.remaining.count if limit.remaining else NOT_REPORTED,
        f"{ratelimit.hours(window)} hours" if window is not None else NOT_REPORTED,
        limit.source or NOT_REPORTED,
    )
    return format_table(("ACCOUNT", "LIMIT", "REMAINING", "WINDOW", "SOURCE"), [row])
