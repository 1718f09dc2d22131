"""Request understanding without an LLM: the offline parser and LAMP scoring.

- ``parse_request(text) -> Request`` (``rules``): the built-in parse stage.
- ``lamp.score(golds, preds)``: LAMP item/list/key/request-level accuracy.
- ``plugin``: the built-in plugin "offline_parser" (parse hook, ``autommlab eval ru``).
"""

from .rules import parse_request

__all__ = ["parse_request"]
