"""An OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, ...) as the LLM of a stage.

In: an ``EndpointConfig`` (base URL such as ``http://127.0.0.1:11434/v1``, model name,
optional API key from an environment variable, timeout, transport retries, streaming),
chat messages, a JSON schema and a validator. Out: the validated value.

How an answer is obtained (``chat_json``):

- ``POST {endpoint}/chat/completions`` with ``temperature`` 0 and, by default,
  ``response_format = {"type": "json_schema", "json_schema": {"name", "schema", "strict"}}``
  so servers that support it decode under the schema. A server that rejects
  ``response_format`` (HTTP 400/422) is asked again without it, once.
- With ``stream`` the answer is read as server-sent events (``data: {...}`` chunks
  of ``choices[0].delta.content`` up to ``data: [DONE]``), else from
  ``choices[0].message.content``.
- The text is parsed with ``json.loads`` (a Markdown code fence or prose around the
  object is skipped) and validated; it is never evaluated. When it does not parse
  or validate, the model is asked exactly once more, with its answer and the
  validation error in the conversation; a second invalid answer is a
  ``GenerationError`` naming the problem.
- Connection errors, timeouts and HTTP 429/5xx are retried ``retries`` times with
  exponential back-off; then ``EndpointError`` says what failed.

The HTTP client is httpx2 (Pydantic's maintained continuation of httpx, same API; it
comes with huggingface_hub and the plugin lists it), or httpx where only that is installed.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Literal, TypeVar

from autommlab.errors import AutoMMLabError, UsageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import GenerationError

T = TypeVar("T")
Messages = list[dict[str, str]]

#: keys of a plugin table that configure the endpoint (the plugin adds its own)
ENDPOINT_KEYS = ("endpoint", "model", "api_key_env", "timeout", "retries", "stream", "response_format")
#: back-off before transport retry i (seconds: 0.5, 1, 2, ... capped)
_BACKOFF_S, _BACKOFF_MAX_S = 0.5, 8.0
_RETRY_STATUS = {408, 429, 500, 502, 503, 504}
#: endpoints that rejected response_format in this process
_NO_RESPONSE_FORMAT: set[str] = set()


class EndpointError(AutoMMLabError):
    """The endpoint could not be reached or answered with an HTTP error (after the retries)."""

    exit_code = 1


class EndpointConfig(BaseModel):
    """The endpoint part of a plugin table (``[plugins.ru_llama]``, ``[plugins.hpo_llama]``)."""

    model_config = ConfigDict(extra="forbid")
    endpoint: str = Field(description="base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1")
    model: str = Field(min_length=1, description="model name as the server knows it")
    api_key_env: str | None = Field(None, description="name of the environment variable holding the API key")
    timeout: float = Field(120.0, gt=0, le=3600, description="seconds per HTTP request")
    retries: int = Field(2, ge=0, le=10, description="transport retries (connection errors, timeouts, 429/5xx)")
    stream: bool = False
    response_format: Literal["json_schema", "json_object", "none"] = "json_schema"
    max_tokens: int | None = Field(None, ge=1)

    @field_validator("endpoint")
    @classmethod
    def _url(cls, v: str) -> str:
        v = v.strip().rstrip("/")
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"expected an http:// or https:// URL, got {v!r}")
        return v

    def api_key(self) -> str | None:
        if not self.api_key_env:
            return None
        key = os.environ.get(self.api_key_env)
        if not key:
            raise UsageError(f"api_key_env names {self.api_key_env}, but that environment variable is not set")
        return key


def endpoint_config(table: dict[str, Any], plugin: str, max_tokens: int | None = None) -> EndpointConfig:
    """Validate the endpoint keys of ``[plugins.<plugin>]``; errors name the key and value."""
    values = {k: table[k] for k in ENDPOINT_KEYS if k in table}
    if "model" not in values:
        raise UsageError(f"plugins.{plugin}: endpoint is set, so model (the server's model name) is required")
    try:
        return EndpointConfig(**values, max_tokens=max_tokens)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']} (got {err.get('input')!r})"
                             for err in e.errors())
        raise UsageError(f"plugins.{plugin}: {problems}") from None


@dataclass
class Answer:
    """One chat completion: the content text and whether the server stopped for length."""

    text: str
    truncated: bool = False


@dataclass
class Exchange:
    """What ``chat_json`` did: the requests' answers and notes (for rationales and logs)."""

    answers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ChatClient:
    """Chat completions against one endpoint (over a pooled httpx client)."""

    def __init__(self, cfg: EndpointConfig, sleep: Callable[[float], None] = time.sleep):
        self.cfg = cfg
        self.sleep = sleep
        self.schema_supported = cfg.response_format != "none" and cfg.endpoint not in _NO_RESPONSE_FORMAT

    def _body(self, messages: Messages, schema: dict[str, Any] | None, name: str) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.cfg.model, "messages": messages, "temperature": 0,
                                "stream": self.cfg.stream}
        if self.cfg.max_tokens:
            body["max_tokens"] = self.cfg.max_tokens
        if self.schema_supported and schema is not None:
            if self.cfg.response_format == "json_schema":
                body["response_format"] = {"type": "json_schema",
                                           "json_schema": {"name": name, "schema": schema, "strict": True}}
            else:
                body["response_format"] = {"type": "json_object"}
        return body

    def complete(self, messages: Messages, schema: dict[str, Any] | None = None, name: str = "answer",
                 notes: list[str] | None = None) -> Answer:
        """One completion (transport retries included); falls back to no ``response_format`` once if rejected."""
        headers = {"Accept": "text/event-stream" if self.cfg.stream else "application/json"}
        key = self.cfg.api_key()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        url = f"{self.cfg.endpoint}/chat/completions"
        body = self._body(messages, schema, name)
        try:
            return self._post(url, body, headers)
        except _Rejected as e:
            if "response_format" not in body or e.status not in (400, 422):
                raise e.error(url) from None
            self.schema_supported = False
            _NO_RESPONSE_FORMAT.add(self.cfg.endpoint)  # not asked again in this process
            if notes is not None:
                notes.append(f"the server rejected response_format (HTTP {e.status}); answers are validated "
                             "after decoding instead")
        try:
            return self._post(url, self._body(messages, schema, name), headers)
        except _Rejected as e:
            raise e.error(url) from None

    def _post(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> Answer:
        httpx = http_module()
        http = _http_client(self.cfg.timeout)
        last = ""
        for attempt in range(self.cfg.retries + 1):
            if attempt:
                self.sleep(min(_BACKOFF_S * 2 ** (attempt - 1), _BACKOFF_MAX_S))
            try:
                with http.stream("POST", url, json=body, headers=headers) as resp:
                    if resp.status_code in _RETRY_STATUS:
                        last = f"HTTP {resp.status_code}: {_detail(resp)}"
                        continue
                    if resp.status_code >= 400:
                        raise _Rejected(resp.status_code, _detail(resp))
                    if body.get("stream"):
                        return _read_stream(resp.iter_lines(), url)
                    resp.read()
                    return _read_message(resp, url)
            except httpx.TransportError as e:  # connection refused, reset, timeout
                last = f"{type(e).__name__}: {e}"
        raise EndpointError(f"{url}: no answer after {self.cfg.retries + 1} attempt(s) ({last}); is the server "
                            f"running and is endpoint right?")


_CLIENTS: dict[float, Any] = {}


def http_module() -> Any:
    """``httpx2`` if installed, else ``httpx`` (the same API); a clear error when neither is."""
    try:
        import httpx2 as httpx
    except ImportError:
        try:
            import httpx
        except ImportError:
            raise UsageError("an LLM endpoint needs an HTTP client: pip install 'httpx2>=2.0'") from None
    return httpx


def _http_client(timeout: float) -> Any:
    """One pooled client per timeout, kept for the process (creating one costs ~0.3 s: TLS setup)."""
    httpx = http_module()
    if timeout not in _CLIENTS:
        _CLIENTS[timeout] = httpx.Client(timeout=httpx.Timeout(timeout))
    return _CLIENTS[timeout]


class _Rejected(Exception):
    """An HTTP error status that retrying will not fix."""

    def __init__(self, status: int, detail: str):
        self.status, self.detail = status, detail

    def error(self, url: str) -> EndpointError:
        hint = {401: "; set api_key_env to the variable holding the key", 403: "; is the API key allowed?",
                404: "; endpoint should be the API base URL (often ending in /v1) and model a name the server "
                     "serves"}.get(self.status, "")
        return EndpointError(f"{url}: HTTP {self.status}: {self.detail}{hint}")


def _detail(resp: Any) -> str:
    try:
        resp.read()
        text = resp.text
    except Exception:  # a broken body still has a status line
        return "(no body)"
    try:
        err = json.loads(text).get("error")
        if isinstance(err, dict):
            return str(err.get("message") or err)[:300]
        if err:
            return str(err)[:300]
    except (json.JSONDecodeError, AttributeError):
        pass
    return text[:300]


def _read_message(resp: Any, url: str) -> Answer:
    try:
        data = resp.json()
        choice = data["choices"][0]
        content = choice["message"].get("content") or ""
    except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError) as e:
        raise EndpointError(f"{url}: not an OpenAI chat completion ({type(e).__name__}: {e}): "
                            f"{resp.text[:200]!r}") from None
    return Answer(content, choice.get("finish_reason") == "length")


def _read_stream(lines: Iterator[str], url: str) -> Answer:
    """Concatenate ``choices[0].delta.content`` of server-sent events until ``[DONE]`` (or the stream ends)."""
    parts: list[str] = []
    truncated = False
    data: list[str] = []

    def flush() -> bool:
        nonlocal truncated
        if not data:
            return False
        payload = "\n".join(data)
        data.clear()
        if payload.strip() == "[DONE]":
            return True
        try:
            chunk = json.loads(payload)
        except json.JSONDecodeError as e:
            raise EndpointError(f"{url}: a streamed event is not JSON ({e}): {payload[:120]!r}") from None
        if isinstance(chunk, dict) and chunk.get("error"):
            raise EndpointError(f"{url}: the server reported an error while streaming: {chunk['error']}")
        for choice in (chunk.get("choices") or [])[:1] if isinstance(chunk, dict) else []:
            piece = (choice.get("delta") or {}).get("content")
            if piece:
                parts.append(piece)
            truncated = truncated or choice.get("finish_reason") == "length"
        return False

    for line in lines:
        if not line.strip():  # a blank line ends an event
            if flush():
                break
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())
        # other fields (event:, id:, retry:) and ": comments" carry nothing we need
    else:
        flush()
    return Answer("".join(parts), truncated)


def extract_json(text: str) -> Any:
    """The first JSON value in ``text`` (after a Markdown fence or prose); ``json`` only, never evaluated.

    :raises ValueError: naming what was found instead.
    """
    s = text.strip()
    if s.startswith("```"):
        s = s.split("\n", 1)[1] if "\n" in s else ""
        s = s.rsplit("```", 1)[0]
    start = min((i for i in (s.find("{"), s.find("[")) if i >= 0), default=-1)
    if start < 0:
        raise ValueError(f"no JSON object in the answer: {text[:120]!r}")
    try:
        value, _ = json.JSONDecoder().raw_decode(s[start:])
    except json.JSONDecodeError as e:
        raise ValueError(f"the answer is not valid JSON ({e.msg} at character {e.pos}): {text[:120]!r}") from None
    return value


def _problem(e: Exception) -> str:
    if isinstance(e, ValidationError):
        return "; ".join(f"{'.'.join(map(str, err['loc'])) or 'value'}: {err['msg']}" for err in e.errors())
    return str(e)


def chat_json(cfg: EndpointConfig, messages: Messages, validate: Callable[[Any], T],
              schema: dict[str, Any] | None = None, name: str = "answer",
              client: ChatClient | None = None) -> tuple[T, Exchange]:
    """Ask for a JSON answer and validate it; one retry with the error fed back (see the module docstring).

    :param validate: turns the parsed JSON into the result (e.g. ``Request.model_validate``); raises
        ``ValueError`` / ``pydantic.ValidationError`` on an invalid answer.
    :raises GenerationError: two invalid answers. :raises EndpointError: the server failed.
    """
    client = client or ChatClient(cfg)
    ex = Exchange()
    convo = list(messages)
    problem = ""
    for attempt in (1, 2):
        ans = client.complete(convo, schema, name, ex.notes)
        ex.answers.append(ans.text)
        try:
            if ans.truncated:
                raise ValueError("the answer was cut off at max_tokens before the JSON closed")
            return validate(extract_json(ans.text)), ex
        except (ValueError, ValidationError) as e:  # ValidationError is a ValueError; named for clarity
            problem = _problem(e)
        if attempt == 1:
            ex.notes.append(f"first answer invalid ({problem[:160]}); asked once more")
            convo = convo + [
                {"role": "assistant", "content": ans.text},
                {"role": "user", "content": f"That answer is not valid: {problem}. Reply with only the corrected "
                                            f"JSON object" + (" matching the schema." if schema else ".")}]
    raise GenerationError(f"{cfg.model} at {cfg.endpoint} gave no valid answer in two tries: {problem}")


def schema_for(model_cls: type[BaseModel], **bounds: Any) -> dict[str, Any]:
    """The decoding schema of a pydantic model (refs inlined, every key required) for ``response_format``."""
    from .schema import decoding_schema

    return decoding_schema(model_cls, require_all=True, **bounds)
