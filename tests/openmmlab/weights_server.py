"""A real HTTP file server on 127.0.0.1 for the weights tests and bench (http.server in a thread).

``serve({"/a.pth": b"..."})`` yields a ``Server`` with ``url(path)``, the
requests it saw (method, path, Range header) and switches:
``ignore_range`` (answer 200 with the whole file), ``drop_after`` (bytes
after which the first GET closes the connection, once), ``delay_s`` (sleep
before answering a GET: timeouts).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator


@dataclass
class Server:
    files: dict[str, bytes]
    port: int = 0
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    ignore_range: bool = False
    drop_after: int | None = None
    delay_s: float = 0.0
    sent: int = 0  # body bytes sent

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def gets(self) -> list[tuple[str, str, str | None]]:
        return [r for r in self.requests if r[0] == "GET"]


def zoo_name(stem: str, data: bytes, ext: str = ".pth") -> str:
    """An OpenMMLab-style file name whose 8-hex suffix is the true sha256 prefix of ``data``."""
    return f"{stem}_20261203-{hashlib.sha256(data).hexdigest()[:8]}{ext}"


def _handler(state: Server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _head(self, code: int, length: int, extra: dict[str, str] | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()

        def do_HEAD(self) -> None:
            state.requests.append(("HEAD", self.path, self.headers.get("Range")))
            data = state.files.get(self.path)
            if data is None:
                self._head(404, 0)
            else:
                self._head(200, len(data))

        def do_GET(self) -> None:
            rng = self.headers.get("Range")
            state.requests.append(("GET", self.path, rng))
            if state.delay_s:
                time.sleep(state.delay_s)
            data = state.files.get(self.path)
            if data is None:
                body = b"not found"
                self._head(404, len(body))
                self.wfile.write(body)
                return
            start = 0
            m = re.match(r"bytes=(\d+)-$", rng or "")
            if m and not state.ignore_range:
                start = int(m.group(1))
                if start >= len(data):
                    self._head(416, 0, {"Content-Range": f"bytes */{len(data)}"})
                    return
                self._head(206, len(data) - start, {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"})
            else:
                self._head(200, len(data))
            body = data[start:]
            if state.drop_after is not None:
                cut, state.drop_after = state.drop_after, None
                self.wfile.write(body[:cut])
                state.sent += min(cut, len(body))
                self.wfile.flush()
                self.close_connection = True
                return
            for i in range(0, len(body), 1 << 16):
                self.wfile.write(body[i:i + (1 << 16)])
            state.sent += len(body)

    return Handler


@contextlib.contextmanager
def serve(files: dict[str, bytes]) -> Iterator[Server]:
    state = Server(files=files)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
