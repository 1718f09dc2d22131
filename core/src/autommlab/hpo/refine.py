"""Informed refinement of the recipe strategy: the next proposal from the trials so far.

In: the first (recipe) proposal, the history of ``Trial``s (oldest first), task and
budget scale. Out: a new ``HParams`` not tried before, with a rationale.

Rules, in order:
- nothing finished: the last trial failed -> halve the batch on out-of-memory,
  else divide lr by 10 (divergence is the usual cause); after two failures of a
  non-AdamW optimizer, fall back to the robust AdamW default.
- otherwise the trust-region search of ``trust_region`` around the best trial
  (the recipe as written when the first proposal replaced it, lr +-1 decade,
  one half-decade refinement, schedule / optimizer / weight-decay switches, then
  finer lr steps). Deterministic: no randomness except a seeded lr jitter when every
  move was tried.
"""

from __future__ import annotations

import math
import random
from typing import Iterable

from ..schemas import HParams, ModelCandidate, Trial
from . import trust_region
from .recipe import PROPOSER, ROBUST
from .space import make_hparams


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


def next_proposal(task: str, scale: float, history: list[Trial], seed: int = 0,
                  model: ModelCandidate | None = None, lr_step: float = trust_region.LR_STEP,
                  second_prior: bool = True) -> HParams:
    """The next proposal given a non-empty ``history`` (see the module docstring for the rules).

    ``model`` (its zoo recipe) lets the search try the recipe as written when the first
    proposal replaced it; ``lr_step`` and ``second_prior`` are ``trust_region``'s settings.
    """
    if not history:
        raise ValueError("next_proposal needs at least one trial; use recipe.first_proposal first")
    finished = [t for t in history if t.status == "finished"]
    if not finished:
        return _after_failures(task, scale, history)
    proposal = trust_region.next_proposal(task, scale, history, model, lr_step, second_prior)
    if proposal is not None:
        return proposal
    best = max(finished, key=lambda t: (t.score, -t.index))
    rng = random.Random(seed * 1000 + len(history))
    lr = best.hparams.lr * 10 ** rng.uniform(-1, 1)
    return _build(task, scale, best.hparams, f"every local move around trial {best.index} tried: seeded lr jitter",
                  lr=lr)
