"""JSON schemas for decoding: refs inlined, strings and arrays bounded, optionally every key required.

Pure Python. Used by the local constrained decoder (``decoding``) and sent to
OpenAI-compatible endpoints as ``response_format`` (``endpoint``).
"""

from __future__ import annotations

from typing import Any

from autommlab.errors import UsageError
from pydantic import BaseModel

#: bounds added to a schema for decoding, so a generation always terminates
MAX_STRING_CHARS = 200
MAX_ARRAY_ITEMS = 16


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].split("/")[-1]
            if name not in defs:
                raise UsageError(f"JSON schema: unresolved $ref {node['$ref']!r}")
            merged = {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
            return _inline_refs(merged, defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k not in ("$defs", "definitions")}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def _bound(node: Any, max_string: int, max_items: int, require_all: bool) -> Any:
    if isinstance(node, list):
        return [_bound(v, max_string, max_items, require_all) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _bound(v, max_string, max_items, require_all) for k, v in node.items()}
    if node.get("type") == "string" and "enum" not in node and "const" not in node:
        node["maxLength"] = min(node.get("maxLength", max_string), max_string)
    if node.get("type") == "array":
        node["maxItems"] = min(node.get("maxItems", max_items), max_items)
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
        if require_all:
            node["required"] = list(node["properties"])
    return node


def decoding_schema(schema: dict[str, Any] | type[BaseModel], max_string: int = MAX_STRING_CHARS,
                    max_items: int = MAX_ARRAY_ITEMS, require_all: bool = False) -> dict[str, Any]:
    """The schema the decoder enforces: refs inlined, strings/arrays bounded (so decoding ends),
    optionally every property required (the model then writes the whole structure)."""
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        schema = schema.model_json_schema(by_alias=True)
    if not isinstance(schema, dict):
        raise UsageError(f"schema must be a JSON schema dict or a pydantic model class, got {type(schema).__name__}")
    defs = {**schema.get("definitions", {}), **schema.get("$defs", {})}
    return _bound(_inline_refs(schema, defs), max_string, max_items, require_all)


def all_numbers_non_negative(node: Any) -> bool:
    if isinstance(node, list):
        return all(all_numbers_non_negative(v) for v in node)
    if not isinstance(node, dict):
        return True
    if node.get("type") in ("number", "integer"):
        lo = node.get("minimum", node.get("exclusiveMinimum"))
        if lo is None or lo < 0:
            return False
    return all(all_numbers_non_negative(v) for k, v in node.items() if k not in ("enum", "const", "default"))
