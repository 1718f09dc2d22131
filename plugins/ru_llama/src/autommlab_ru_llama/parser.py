"""Parse a request with an LLM under the Request schema: a local model (heavy imports happen here) or an endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from autommlab.schemas import Request

from .loading import LLM, load
from .prompt import build_messages, generation_schema

_CACHE: dict[tuple, LLM] = {}


def get_llm(model_path: str | Path, adapter_path: str | Path | None = None, device: str = "cpu",
            dtype: str = "auto") -> LLM:
    """A loaded LLM, reused across calls with the same paths/device/dtype (batch parsing loads once)."""
    key = (str(Path(model_path).expanduser().resolve()),
           str(Path(adapter_path).expanduser().resolve()) if adapter_path else None, device, dtype)
    if key not in _CACHE:
        _CACHE.clear()  # keep one model in memory
        _CACHE[key] = load(model_path, adapter_path, device=device, dtype=dtype)
    return _CACHE[key]


def parse_with_llm(text: str, lm: LLM, max_new_tokens: int = 384) -> Request:
    """The local model's parse of ``text``, decoded under the schema and validated as a ``Request``."""
    from .decoding import generate_json
    from .errors import GenerationError

    value = generate_json(lm, build_messages(text), generation_schema(), max_new_tokens=max_new_tokens)
    try:
        return Request.model_validate(value)
    except Exception as e:  # pydantic.ValidationError: name the field
        raise GenerationError(f"RU-LLaMA output does not validate as a Request: {e}") from e


def parse_with_endpoint(text: str, ep: Any, log: Callable[[str], None] = lambda msg: None) -> Request:
    """The endpoint model's parse of ``text`` (``ep``: an ``endpoint.EndpointConfig``), validated as a
    ``Request``; an invalid first answer is retried once with the error fed back."""
    from .endpoint import chat_json

    request, exchange = chat_json(ep, build_messages(text), Request.model_validate, generation_schema(),
                                  name="autommlab_request")
    for note in exchange.notes:
        log(f"ru_llama endpoint {ep.model}: {note}")
    return request
