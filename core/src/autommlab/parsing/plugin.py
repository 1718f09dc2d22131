"""Built-in plugin ``offline_parser``: the parse stage without any model weights.

Serves when no LLM parser is configured (or always, if ``[stages] parse =
"offline_parser"``). Adds ``autommlab eval ru``.
"""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl

NAME = "offline_parser"


@hookimpl
def autommlab_parse(text: str, ctx: Any) -> Any:
    """Parse ``text`` with the rule-based parser; raises RequestError for empty/unsupported/contradictory text."""
    from .rules import parse_request

    return parse_request(text)


@hookimpl
def autommlab_register_commands(cli: Any) -> None:
    from .commands import register

    register(cli)


@hookimpl
def autommlab_plugin_info() -> dict[str, Any]:
    return {"description": "rule-based request parser (no LLM): units, metrics, engines, devices, models, "
                           "datasets, corrections, objects; `autommlab eval ru` scores any parser with LAMP",
            "requires": ["rapidfuzz"]}
