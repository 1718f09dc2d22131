"""Limits and targets the user withdraws later in the request: "forget the FLOPs limit", "drop the recall target".

``withdrawn(text)`` returns the quantity kinds ("speed", "flops", "parameters")
and the metric names whose requirement a later sentence takes back. The
caller unsets those keys; everything else the request says still stands.
"""

from __future__ import annotations

import re

from . import entities

_WITHDRAW = re.compile(
    r"\b(?:forget|drop|scratch|remove|ignore|skip|cancel|disregard|never\s+mind|lose|get\s+rid\s+of|no\s+need\s+for)\s+"
    r"(?:about\s+)?(?:the\s+|that\s+|my\s+|this\s+|any\s+)?(?P<what>[\w -]{1,25}?)\s+"
    r"(?:limit|cap|target|budget|requirement|constraint|bound|ceiling|goal|floor|threshold)s?\b", re.I)
_KINDS = (("flops", re.compile(r"\b(?:[kmgt]?flops|compute|operations)\b", re.I)),
          ("parameters", re.compile(r"\b(?:param\w*|size|model\s+size|weights)\b", re.I)),
          ("speed", re.compile(r"\b(?:speed|latency|fps|frame\s+rate|time|runtime|throughput)\b", re.I)))


def withdrawn(text: str) -> tuple[set[str], set[str]]:
    """(quantity kinds, metric names) whose limit or target ``text`` withdraws."""
    kinds: set[str] = set()
    metrics: set[str] = set()
    for m in _WITHDRAW.finditer(text):
        what = m.group("what")
        named = {x.value for x in entities.find_metrics(what)}
        if named:
            metrics |= named
            continue
        kinds |= {kind for kind, rx in _KINDS if rx.search(what)}
    return kinds, metrics
