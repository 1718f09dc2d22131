"""Run a parser over gold requests and score it with LAMP.

``load_gold(path)`` reads JSONL lines ``{"id", "requirement", "parse"}``;
``evaluate(items, parse_fn)`` parses every requirement (an exception counts
as an unparsed request, wrong on every key) and returns the LAMP report,
the per-request parse times and the failure messages.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from ..errors import DataError
from ..jsonl import iter_json_objects
from ..schemas import Request
from .lamp import LampReport, score


@dataclass
class GoldItem:
    id: str
    requirement: str
    parse: dict[str, Any]


@dataclass
class EvalResult:
    report: LampReport
    seconds: list[float]
    failures: dict[str, str] = field(default_factory=dict)
    preds: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    @property
    def mean_ms(self) -> float:
        return 1000 * statistics.fmean(self.seconds) if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return 1000 * statistics.median(self.seconds) if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**self.report.to_dict(), "parse_ms_mean": self.mean_ms, "parse_ms_p50": self.p50_ms,
                "failures": self.failures}


def load_gold(path: str | Path) -> list[GoldItem]:
    """Gold requests; errors name the file, line and field."""
    p = Path(path)
    items: list[GoldItem] = []
    for n, row in iter_json_objects(p, "gold file"):
        for key in ("requirement", "parse"):
            if key not in row:
                raise DataError(f"{p}:{n}: missing field {key!r}")
        try:
            Request.model_validate(row["parse"])
        except ValidationError as e:
            raise DataError(f"{p}:{n}: gold 'parse' is not a valid Request: {e}") from e
        items.append(GoldItem(str(row.get("id", n)), row["requirement"], row["parse"]))
    if not items:
        raise DataError(f"{p}: no gold requests")
    return items


def evaluate(items: list[GoldItem], parse_fn: Callable[[str], Any],
             on_item: Callable[[GoldItem], None] | None = None,
             fatal: tuple[type[BaseException], ...] = ()) -> EvalResult:
    """Parse each item's requirement with ``parse_fn`` and score against its gold parse.

    Exceptions of the ``fatal`` types (e.g. no parser installed) stop the run instead of
    counting as unparsed requests.
    """
    preds: list[Any] = []
    seconds: list[float] = []
    failures: dict[str, str] = {}
    for it in items:
        t0 = time.perf_counter()
        try:
            pred = parse_fn(it.requirement)
        except fatal:
            raise
        except Exception as e:  # a failure is an unparsed request, not a crash of the evaluation
            pred = None
            failures[it.id] = f"{type(e).__name__}: {e}"
        seconds.append(time.perf_counter() - t0)
        preds.append(pred)
        if on_item:
            on_item(it)
    report = score([it.parse for it in items], preds, [it.id for it in items])
    dumped = {it.id: (p.to_json_dict() if isinstance(p, Request) else p) for it, p in zip(items, preds)}
    return EvalResult(report, seconds, failures, dumped)
