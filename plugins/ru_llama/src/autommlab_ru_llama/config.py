"""The ``[plugins.ru_llama]`` table: its keys, defaults and validation (shared by the hooks and the commands).

Local model: ``model_path`` (+ ``adapter_path``, ``device``, ``dtype``). Endpoint:
``endpoint`` + ``model`` (+ ``api_key_env``, ``timeout``, ``retries``, ``stream``,
``response_format``; see ``endpoint``). Both: ``max_new_tokens``, ``precheck``.
"""

from __future__ import annotations

from typing import Any

from .endpoint import ENDPOINT_KEYS

NAME = "ru_llama"
DEFAULTS: dict[str, Any] = {"device": "cpu", "dtype": "auto", "max_new_tokens": 384, "precheck": True}
KEYS = {"model_path", "adapter_path", *DEFAULTS, *ENDPOINT_KEYS}


def settings(cfg: dict[str, Any]) -> dict[str, Any]:
    """The table with defaults filled in; an unknown key is a usage error naming it."""
    unknown = set(cfg) - KEYS
    if unknown:
        from autommlab.errors import UsageError

        raise UsageError(f"plugins.{NAME} config table: unknown key(s) {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(sorted(KEYS))})")
    return {**DEFAULTS, **cfg}


def endpoint_of(table: dict[str, Any]):
    """The validated ``EndpointConfig`` when the table (as configured, before defaults) sets ``endpoint``,
    else None. ``max_new_tokens``, when the table sets it, becomes the request's ``max_tokens``."""
    if not table.get("endpoint"):
        return None
    from .endpoint import endpoint_config

    raw = table.get("max_new_tokens")
    return endpoint_config(table, NAME, max_tokens=int(raw) if raw is not None else None)
