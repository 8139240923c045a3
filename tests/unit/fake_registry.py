"""A small HTTP server on 127.0.0.1 that answers like a registry, as a test tells it to."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Tuple

Answer = Tuple[int, Dict[str, str], bytes]


@dataclass
class Seen:
    method: str
    path: str
    headers: Dict[str, str] = field(default_factory=dict)


class FakeRegistry:
    """``answer(seen) -> (status, headers, body)`` decides each reply; ``seen`` logs requests."""

    def __init__(self, answer: Callable[[Seen], Answer]):
        self.answer = answer
        self.seen: List[Seen] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self):
                seen = Seen(self.command, self.path, dict(self.headers))
                registry.seen.append(seen)
                status, headers, body = registry.answer(seen)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = _reply

            def log_message(self, *args):
                pass

        return Handler
