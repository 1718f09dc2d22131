"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol (tests only).

``/v1/chat/completions`` answers with RECORDED answer texts, in order, as a plain JSON
completion or, when the request says ``"stream": true``, as server-sent events (the
content split into small ``delta`` chunks, then ``data: [DONE]``). Options make it
behave like servers seen in the wild: one that rejects ``response_format`` (HTTP 400),
one that answers HTTP 503 a given number of times first, one that needs an API key.
Every request body and its headers (names lower-cased) are kept for the test to inspect. Loopback only.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAI:
    """``with FakeOpenAI(["answer 1", "answer 2"]) as srv: ... srv.url ... srv.requests``."""

    def __init__(self, answers: list[str], reject_response_format: bool = False, unavailable: int = 0,
                 api_key: str | None = None, chunk: int = 5, model: str = "recorded-model"):
        self.answers = list(answers)
        self.reject_response_format = reject_response_format
        self.unavailable = unavailable
        self.api_key = api_key
        self.chunk = chunk
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _json(self, status: int, obj: Any) -> None:
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path != "/v1/chat/completions":
                    return self._json(404, {"error": {"message": f"no route {self.path}"}})
                with fake._lock:
                    fake.requests.append(body)
                    fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                    if fake.api_key and self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                        return self._json(401, {"error": {"message": "invalid api key"}})
                    if fake.unavailable > 0:
                        fake.unavailable -= 1
                        return self._json(503, {"error": {"message": "model is loading"}})
                    if fake.reject_response_format and "response_format" in body:
                        return self._json(400, {"error": {"message": "response_format is not supported"}})
                    if not fake.answers:
                        return self._json(500, {"error": {"message": "no recorded answer left"}})
                    text = fake.answers.pop(0)
                if body.get("stream"):
                    return self._stream(text)
                self._json(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": fake.model,
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                              "finish_reason": "stop"}]})

            def _stream(self, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = [text[i:i + fake.chunk] for i in range(0, len(text), fake.chunk)]
                events = [{"role": "assistant", "content": ""}] + [{"content": p} for p in pieces]
                for delta in events:
                    chunk = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": fake.model,
                             "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                done = {"id": "chatcmpl-1", "object": "chat.completion.chunk",
                        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f": keep-alive comment\n\ndata: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()
                self.close_connection = True

        return Handler
