"""Reading Docker Hub's rate limit, against a fake auth service and registry on 127.0.0.1.

The fake plays both hosts: /token hands out a token, the manifest answers a HEAD with the
headers a test sets, and a GET of the manifest (which would spend a pull) is recorded and
refused, so a test can assert none was made. Nothing here talks to Docker Hub.
"""

import base64
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from registry_lab.lab import cli, exit_codes, ratelimit

MANIFEST_PATH = "/v2/ratelimitpreview/test/manifests/latest"
TOKEN = "fake-pull-token"
HUB_HEADERS = {
    "ratelimit-limit": "100;w=21600",
    "ratelimit-remaining": "76;w=21600",
    "docker-ratelimit-source": "192.0.2.10",
}


class FakeHub:
    """What the fake answers, and every request it got (method, path, query, headers)."""

    def __init__(self):
        self.requests = []
        self.manifest_headers = dict(HUB_HEADERS)
        self.manifest_status = 200
        self.token_status = 200
        self.accepted_login = None


def make_handler(hub):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def record(self):
            url = urlparse(self.path)
            hub.requests.append(
                (self.command, url.path, parse_qs(url.query), dict(self.headers))
            )
            return url.path

        def do_GET(self):
            if self.record() != "/token":
                self.send_error(405, "a GET of a manifest spends a pull")
                return
            status = hub.token_status
            if hub.accepted_login and self.headers.get("Authorization") != hub.accepted_login:
                status = 401
            body = json.dumps({"token": TOKEN}).encode() if status == 200 else b"{}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_HEAD(self):
            if self.record() != MANIFEST_PATH:
                self.send_error(404)
                return
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self.send_error(401)
                return
            self.send_response(hub.manifest_status)
            for name, value in hub.manifest_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "1234")
            self.end_headers()

    return Handler


@pytest.fixture
def hub():
    """The fake on an ephemeral loopback port; its base URL is hub.url. Stopped after."""
    state = FakeHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def read(hub, credentials=None):
    return ratelimit.read_rate_limit(f"{hub.url}/token", hub.url, credentials)


def lab(hub, *options):
    return cli.main(["ratelimit", "--auth-url", f"{hub.url}/token", "--registry-url", hub.url,
                     *options])


@pytest.fixture(autouse=True)
def no_hub_credentials(monkeypatch):
    monkeypatch.delenv("DOCKERHUB_USERNAME", raising=False)
    monkeypatch.delenv("DOCKERHUB_TOKEN", raising=False)


def test_limit_remaining_window_and_source_come_from_the_headers(hub):
    limit = read(hub)

    assert limit.limit == ratelimit.Quota(100, 21600)
    assert limit.remaining == ratelimit.Quota(76, 21600)
    assert (limit.window_seconds, limit.source, limit.username) == (21600, "192.0.2.10", None)


def test_the_manifest_is_read_with_a_head_never_a_get(hub):
    read(hub)

    assert [(method, path) for method, path, _, _ in hub.requests] == [
        ("GET", "/token"),
        ("HEAD", MANIFEST_PATH),
    ]


def test_an_anonymous_pull_token_is_asked_for_the_preview_repository(hub):
    read(hub)

    method, _, query, headers = hub.requests[0]
    assert query == {
        "service": ["registry.docker.io"],
        "scope": ["repository:ratelimitpreview/test:pull"],
    }
    assert "Authorization" not in headers


def test_credentials_from_the_environment_go_to_the_token_request_only(hub, monkeypatch, capsys):
    login = "Basic " + base64.b64encode(b"lab-user:hub-access-token").decode()
    hub.accepted_login = login
    monkeypatch.setenv("DOCKERHUB_USERNAME", "lab-user")
    monkeypatch.setenv("DOCKERHUB_TOKEN", "hub-access-token")

    code = lab(hub, "--json")

    assert code == 0
    assert hub.requests[0][3]["Authorization"] == login
    assert hub.requests[1][3]["Authorization"] == f"Bearer {TOKEN}"
    captured = capsys.readouterr()
    assert json.loads(captured.out)["username"] == "lab-user"
    assert "hub-access-token" not in captured.out + captured.err


def test_missing_headers_mean_not_reported_never_zero(hub, capsys):
    hub.manifest_headers = {}

    code = lab(hub, "--json")

    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out) == {
        "reported": False, "limit": None, "remaining": None, "windowSeconds": None,
        "windowHours": None, "source": None, "username": None, "status": 200,
    }
    assert "unknown or the account is unlimited (this is not zero)" in captured.err


def test_the_table_shows_the_window_in_hours(hub, capsys):
    code = lab(hub)

    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "ACCOUNT    LIMIT  REMAINING  WINDOW   SOURCE",
        "anonymous  100    76         6 hours  192.0.2.10",
    ]


def test_the_table_says_not_reported_where_headers_are_missing(hub, capsys):
    hub.manifest_headers = {}

    lab(hub)

    assert capsys.readouterr().out.splitlines() == [
        "ACCOUNT    LIMIT         REMAINING     WINDOW        SOURCE",
        "anonymous  not reported  not reported  not reported  not reported",
    ]


def test_the_json_report_gives_the_window_in_seconds_and_hours(hub, capsys):
    hub.manifest_headers = dict(HUB_HEADERS, **{
        "ratelimit-limit": "200;w=5400", "ratelimit-remaining": "0;w=5400"})

    lab(hub, "--json")

    report = json.loads(capsys.readouterr().out)
    assert (report["limit"], report["remaining"]) == (200, 0)
    assert (report["windowSeconds"], report["windowHours"]) == (5400, 1.5)


def test_a_rate_limited_caller_still_gets_its_numbers(hub, capsys):
    hub.manifest_status = 429
    hub.manifest_headers = dict(HUB_HEADERS, **{"ratelimit-remaining": "0;w=21600"})

    code = lab(hub, "--json")

    captured = capsys.readouterr()
    assert code == 0
    assert (json.loads(captured.out)["remaining"], json.loads(captured.out)["status"]) == (0, 429)
    assert "HTTP 429" in captured.err


@pytest.mark.parametrize("value, quota", [
    ("100;w=21600", ratelimit.Quota(100, 21600)),
    (" 7 ; w=3600 ", ratelimit.Quota(7, 3600)),
    ("100", ratelimit.Quota(100, None)),
    ("100;comment=\"x\";w=60", ratelimit.Quota(100, 60)),
])
def test_quota_headers_parse_count_and_window(value, quota):
    assert ratelimit.parse_quota("ratelimit-limit", value) == quota


def test_a_malformed_header_is_an_error_not_a_number():
    with pytest.raises(ratelimit.RateLimitError) as error:
        ratelimit.parse_quota("ratelimit-remaining", "lots")

    assert str(error.value) == "header ratelimit-remaining: 'lots' is not COUNT;w=SECONDS"


@pytest.mark.parametrize("present, missing", [
    ("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN"),
    ("DOCKERHUB_TOKEN", "DOCKERHUB_USERNAME"),
])
def test_half_of_the_credentials_is_an_error_naming_the_other_half(hub, capsys, monkeypatch,
                                                                    present, missing):
    monkeypatch.setenv(present, "value")

    code = lab(hub)

    assert code == exit_codes.CONTRACT
    assert capsys.readouterr().err.startswith(
        f"error: {missing} is not set but {present} is: set both"
    )
    assert hub.requests == []


def test_refused_credentials_are_one_line_naming_the_user(hub, capsys, monkeypatch):
    hub.accepted_login = "Basic something-else"
    monkeypatch.setenv("DOCKERHUB_USERNAME", "lab-user")
    monkeypatch.setenv("DOCKERHUB_TOKEN", "wrong-token")

    code = lab(hub)

    err = capsys.readouterr().err
    assert code == exit_codes.UNAUTHORIZED
    assert err.splitlines()[-1] == (
        f"error: {hub.url}/token: HTTP 401: the auth service refused "
        "DOCKERHUB_USERNAME='lab-user' with DOCKERHUB_TOKEN (check the access token)"
    )
    assert "wrong-token" not in err


def test_an_unexpected_registry_answer_is_an_error(hub):
    hub.manifest_status = 503

    with pytest.raises(ratelimit.RateLimitError) as error:
        read(hub)

    assert str(error.value) == f"{hub.url}{MANIFEST_PATH}: HTTP 503 for HEAD"
    assert error.value.exit_code == exit_codes.SERVER_ERROR


def test_an_unexpected_answer_is_one_error_line_and_the_server_error_code(hub, capsys):
    hub.manifest_status = 503

    code = lab(hub)

    assert code == exit_codes.SERVER_ERROR
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: {hub.url}{MANIFEST_PATH}: HTTP 503 for HEAD")


def closed_loopback_port():
    """A loopback port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_auth_service_is_one_clear_line(hub, capsys):
    closed = f"http://127.0.0.1:{closed_loopback_port()}/token"

    code = cli.main(["ratelimit", "--auth-url", closed, "--registry-url", hub.url])

    err = capsys.readouterr().err.splitlines()
    assert code == exit_codes.UNREACHABLE
    assert err[-1].startswith(f"error: {closed}: unreachable: ")


def test_a_url_that_is_not_http_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["ratelimit", "--registry-url", "ftp://127.0.0.1/"])

    assert exit_.value.code == 2
    assert "argument --registry-url: invalid http(s) URL value: 'ftp://127.0.0.1/'" in (
        capsys.readouterr().err
    )
