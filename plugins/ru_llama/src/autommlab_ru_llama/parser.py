"""Parse a request with a loaded LLM under the Request schema (heavy imports happen here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autommlab.schemas import Request

from . import llm as L
from .prompt import build_messages, generation_schema

DEFAULTS: dict[str, Any] = {"device": "cpu", "dtype": "auto", "max_new_tokens": 384}
_CACHE: dict[tuple, L.LLM] = {}


def get_llm(model_path: str | Path, adapter_path: str | Path | None = None, device: str = "cpu",
            dtype: str = "auto") -> L.LLM:
    """A loaded LLM, reused across calls with the same paths/device/dtype (batch parsing loads once)."""
    key = (str(Path(model_path).expanduser().resolve()),
           str(Path(adapter_path).expanduser().resolve()) if adapter_path else None, device, dtype)
    if key not in _CACHE:
        _CACHE.clear()  # keep one model in memory
        _CACHE[key] = L.load(model_path, adapter_path, device=device, dtype=dtype)
    return _CACHE[key]


def parse_with_llm(text: str, lm: L.LLM, max_new_tokens: int = 384) -> Request:
    """The model's parse of ``text``, decoded under the schema and validated as a ``Request``."""
    value = L.generate_json(lm, build_messages(text), generation_schema(), max_new_tokens=max_new_tokens)
    try:
        return Request.model_validate(value)
    except Exception as e:  # pydantic.ValidationError: name the field
        raise L.GenerationError(f"RU-LLaMA output does not validate as a Request: {e}") from e
