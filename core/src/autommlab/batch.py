"""``autommlab run --batch requests.jsonl``: many requests, one run directory each, one summary.

In: a JSONL file of ``{"id": ..., "requirement": "..."}`` lines (the format of
``parse --batch``), the settings and plugin manager. Every line is checked
before anything runs (a bad line is a usage error naming the file and line).
Requests run one after another, or ``jobs`` at once in threads of this
process; each run's trials go to the configured executor (``executor =
"ray"`` spreads them over the cluster), so requests also share the cluster.
Out: one ``BatchItem`` per request, in file order, and ``batch-<time>.jsonl``
in ``run_dir`` with the same rows; a failed request never stops the others.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from .errors import EXIT_REQUIREMENT_MISSED, UsageError
from .rundir import atomic_write_text

#: worst first: a failed run outranks a missed requirement, which outranks success
_SEVERITY = {1: 3, EXIT_REQUIREMENT_MISSED: 2, 0: 1}


@dataclass
class BatchItem:
    id: str
    line: int
    text: str
    run_dir: str | None = None
    exit_code: int = 1
    best_model: str | None = None
    metric: str | None = None
    score: float | None = None
    failed_stage: str | None = None
    error: str | None = None


def read_batch(path: Path) -> list[BatchItem]:
    """Every request of the file; ``UsageError`` names the file and line of a bad one or a repeated id."""
    items: list[BatchItem] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rid, text = str(row["id"]), row["requirement"]
        except (ValueError, KeyError, TypeError) as e:
            raise UsageError(f"{path}:{n}: expected a JSON object with 'id' and 'requirement' ({e})") from e
        if not isinstance(text, str) or not text.strip():
            raise UsageError(f"{path}:{n}: 'requirement' must be a non-empty string")
        if rid in seen:
            raise UsageError(f"{path}:{n}: id {rid!r} already used on line {seen[rid]}")
        seen[rid] = n
        items.append(BatchItem(id=rid, line=n, text=text))
    if not items:
        raise UsageError(f"{path}: no requests (expected JSONL lines with 'id' and 'requirement')")
    return items


def exit_code(result) -> int:
    """The exit code ``autommlab run`` gives for one ``RunResult``."""
    if result.failed_stage:
        return 1
    return EXIT_REQUIREMENT_MISSED if result.requirements_met is False else 0


def worst(codes: list[int]) -> int:
    return max(codes, key=lambda c: _SEVERITY.get(c, 4)) if codes else 0


def run_batch(items: list[BatchItem], make_pipeline: Callable[[Callable[[str], None]], object], jobs: int,
              log: Callable[[str], None], summary_dir: Path) -> list[BatchItem]:
    """Run every item with ``make_pipeline(log_fn).run(text)``; fill each item in place and return them."""

    def one(item: BatchItem) -> BatchItem:
        tag = f"[{item.id}] " if jobs > 1 else ""
        log(f"{tag}request {item.id} (line {item.line})")
        try:
            result = make_pipeline(lambda m: log(tag + m)).run(item.text)
        except Exception as e:  # one crashed request (a plugin's bug, a bad config value) must not end the batch
            item.error = f"{type(e).__name__}: {e}"
            log(f"{tag}failed: {item.error}")
            return item
        item.run_dir = str(result.run_dir)
        item.exit_code = exit_code(result)
        item.failed_stage, item.error = result.failed_stage, result.error
        if result.best is not None:
            item.best_model, item.metric, item.score = result.best.model, result.best.primary_metric, result.best.score
        return item

    if jobs > 1:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="autommlab-batch") as pool:
            list(pool.map(one, items))
    else:
        for item in items:
            one(item)
    out = Path(summary_dir) / f"batch-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
    atomic_write_text(out, "".join(json.dumps(asdict(i)) + "\n" for i in items))
    log(f"batch summary: {out}")
    return items
