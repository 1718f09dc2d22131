"""Informed refinement of the recipe strategy: the next proposal from the trials so far.

In: the first (recipe) proposal, the history of ``Trial``s (oldest first), task and
budget scale. Out: a new ``HParams`` not tried before, with a rationale.

Rules, in order:
- nothing finished: the last trial failed -> halve the batch on out-of-memory,
  else divide lr by 10 (divergence is the usual cause); after two failures of a
  non-AdamW optimizer, fall back to the robust AdamW default.
- otherwise a local search around the best trial: a step of x3 in lr (towards
  the side not yet found worse), then the other side, then switch schedule, then
  optimizer, then weight decay x10 / /10, then finer lr steps of x1.7; each move
  is skipped when a trial already explored it. Deterministic: no randomness
  except a seeded lr jitter when every move was tried.
"""

from __future__ import annotations

import math
import random
from typing import Callable, Iterable

from ..schemas import HParams, Trial
from .recipe import PROPOSER, ROBUST
from .space import make_hparams, same_config

Move = tuple[str, Callable[[HParams], dict]]


def _explored(lr: float, opt: str, history: Iterable[Trial], factor: float = 1.5) -> bool:
    """A trial with this optimizer already ran within ``factor`` of ``lr``."""
    return any(t.hparams.optimizer == opt and abs(math.log(t.hparams.lr / lr)) < math.log(factor) for t in history)


def _is_oom(error: str | None) -> bool:
    e = (error or "").lower()
    return "out of memory" in e or "oom" in e.split() or "cannot allocate" in e


def _build(task: str, scale: float, base: HParams, rationale: str, **change) -> HParams:
    fields = base.model_dump(include={"optimizer", "lr", "weight_decay", "lr_schedule", "iters", "batch_size",
                                      "momentum", "warmup_iters"})
    fields.update(change)
    return make_hparams(task, scale, proposer=PROPOSER, rationale=rationale, **fields)


def _after_failures(task: str, scale: float, history: list[Trial]) -> HParams:
    last = history[-1]
    h = last.hparams
    if _is_oom(last.error) and h.batch_size > 1:
        b = max(1, h.batch_size // 2)
        factor = 0.5 if h.optimizer in ("SGD", "RMSprop") else math.sqrt(0.5)
        return _build(task, scale, h, f"trial {last.index} ran out of memory: batch {h.batch_size} -> {b}, lr scaled",
                      batch_size=b, lr=h.lr * factor)
    failed_same = [t for t in history if t.status == "failed" and t.hparams.optimizer == h.optimizer]
    if len(failed_same) >= 2 and h.optimizer != "AdamW":
        return _build(task, scale, h, f"{len(failed_same)} {h.optimizer} trials failed: robust default AdamW lr 1e-3",
                      optimizer="AdamW", lr=ROBUST["lr"], weight_decay=ROBUST["weight_decay"],
                      lr_schedule=ROBUST["lr_schedule"], momentum=None)
    lr = h.lr / 10
    while _explored(lr, h.optimizer, history) and lr > 1e-7:
        lr /= 10
    return _build(task, scale, h, f"trial {last.index} failed ({(last.error or 'no metric')[:60]}): lr {h.lr:.3g} -> "
                  f"{lr:.3g}", lr=lr)


def _moves(task: str, best: Trial, history: list[Trial]) -> list[Move]:
    b = best.hparams
    worse_above = any(t.hparams.optimizer == b.optimizer and t.hparams.lr > b.lr * 1.2 for t in history
                      if t is not best)
    lr_steps: list[Move] = [
        ("lr x3", lambda h: {"lr": h.lr * 3}),
        ("lr /3", lambda h: {"lr": h.lr / 3}),
    ]
    if worse_above:  # a higher lr was already worse or failed: look below first
        lr_steps.reverse()
    other_sched = "CosineAnnealingLR" if b.lr_schedule != "CosineAnnealingLR" else (
        "PolyLR" if task == "segmentation" else "MultiStepLR")
    if b.optimizer == "AdamW" or b.optimizer == "Adam":
        # SGD at the usual fine-tuning lr 0.01 for batch 16, scaled linearly
        opt_switch = {"optimizer": "SGD", "lr": 0.01 * b.batch_size / 16, "weight_decay": 1e-4, "momentum": 0.9}
    else:
        opt_switch = {"optimizer": "AdamW", "lr": ROBUST["lr"], "weight_decay": ROBUST["weight_decay"],
                      "momentum": None}
    return lr_steps + [
        (f"schedule {b.lr_schedule} -> {other_sched}", lambda h: {"lr_schedule": other_sched}),
        (f"optimizer {b.optimizer} -> {opt_switch['optimizer']}", lambda h: dict(opt_switch)),
        ("weight decay x10", lambda h: {"weight_decay": h.weight_decay * 10}),
        ("weight decay /10", lambda h: {"weight_decay": h.weight_decay / 10}),
        ("lr x1.7", lambda h: {"lr": h.lr * 1.7}),
        ("lr /1.7", lambda h: {"lr": h.lr / 1.7}),
    ]


def next_proposal(task: str, scale: float, history: list[Trial], seed: int = 0) -> HParams:
    """The next proposal given a non-empty ``history`` (see the module docstring for the rules)."""
    if not history:
        raise ValueError("next_proposal needs at least one trial; use recipe.first_proposal first")
    finished = [t for t in history if t.status == "finished"]
    tried = [t.hparams for t in history]
    if not finished:
        return _after_failures(task, scale, history)
    best = max(finished, key=lambda t: (t.score, -t.index))
    score = f"{best.primary_metric}={best.score:.4g}"
    for name, change in _moves(task, best, history):
        cand = _build(task, scale, best.hparams, f"around best trial {best.index} ({score}): {name}",
                      **change(best.hparams))
        if "lr" in change(best.hparams) and "optimizer" not in change(best.hparams):
            if _explored(cand.lr, cand.optimizer, [t for t in history if t.hparams.lr_schedule ==
                                                    cand.lr_schedule]):
                continue
        if not any(same_config(cand, h) for h in tried):
            return cand
    rng = random.Random(seed * 1000 + len(history))
    lr = best.hparams.lr * 10 ** rng.uniform(-1, 1)
    return _build(task, scale, best.hparams, f"every local move around trial {best.index} tried: seeded lr jitter",
                  lr=lr)
