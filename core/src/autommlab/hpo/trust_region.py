"""Later proposals of the recipe strategy: a deterministic trust-region search seeded by the recipe.

In: the trials so far (oldest first, at least one finished), task, budget scale and,
when known, the ``ModelCandidate`` (its zoo recipe). Out: the next ``HParams``, not
tried before, with a rationale naming the move and the trial it starts from.

The search works in the coordinates that matter for a handful of trials, with
steps sized to what a trial can tell apart:

1. **Second prior.** When the first proposal replaced the model's own zoo recipe
   (the robust AdamW default), the recipe itself, batch-scaled, is tried next:
   two independent priors before any local step.
2. **Log-space lr bracket around the best trial**, one decade each way (larger
   side first unless a higher lr was already worse or failed). A step that
   improves moves the centre; the bracket around the new centre then continues
   in that direction by itself (a line search). No step goes above a lr that
   diverged with the same optimizer.
3. **Refine, then switch.** Once the lr is bracketed at a decade: one
   half-decade lr step (the vertex of a parabola through the best trial and its
   finished neighbours on the lr axis, same optimizer and schedule, when they
   bracket it; else a step towards the better neighbour); then the switches the
   results leave open: the other schedule, the other optimizer family (at its
   usual lr), weight decay x10 and /10; then the remaining half- and
   quarter-decade lr steps.

Each move is skipped when a trial already explored it (same optimizer and
schedule within half a step in lr; categorical moves: same configuration).
No randomness: the same history always gives the same proposal.
"""

from __future__ import annotations

import math
from typing import Iterable

from ..schemas import HParams, ModelCandidate, Trial
from .recipe import PROPOSER, ROBUST, canonical_optimizer, canonical_schedule, scale_lr
from .space import make_hparams, same_config

#: first lr step, in decades (``[plugins.recipe_hpo] lr_step``); later steps halve it twice
LR_STEP = 1.0


def steps(lr_step: float = LR_STEP) -> tuple[float, float, float]:
    """Successive lr step sizes in decades: the bracket first, then finer."""
    return (lr_step, lr_step / 2, lr_step / 4)


_FIELDS = {"optimizer", "lr", "weight_decay", "lr_schedule", "iters", "batch_size", "momentum", "warmup_iters"}


def _build(task: str, scale: float, base: HParams, rationale: str, **change) -> HParams:
    fields = base.model_dump(include=_FIELDS)
    fields.update(change)
    return make_hparams(task, scale, proposer=PROPOSER, rationale=rationale, **fields)


def _decades(a: float, b: float) -> float:
    return abs(math.log10(a / b))


def lr_explored(cand: HParams, history: Iterable[Trial], step: float) -> bool:
    """A trial with the same optimizer and schedule ran within half a step (decades) of ``cand.lr``."""
    return any(t.hparams.optimizer == cand.optimizer and t.hparams.lr_schedule == cand.lr_schedule
               and _decades(t.hparams.lr, cand.lr) < step / 2 for t in history)


def _diverged_below(cand: HParams, history: Iterable[Trial]) -> bool:
    """A failed trial with this optimizer used a lr at or below ``cand.lr`` (going higher is pointless)."""
    return any(t.status == "failed" and t.hparams.optimizer == cand.optimizer and t.hparams.lr <= cand.lr * 1.01
               for t in history)


def _tried(cand: HParams, history: Iterable[Trial]) -> bool:
    return any(same_config(cand, t.hparams) for t in history)


def recipe_as_written(model: ModelCandidate | None, first: HParams, task: str, scale: float) -> HParams | None:
    """The zoo recipe's optimizer, lr (batch-scaled), wd and schedule on the first trial's batch and length;
    None when the recipe is unknown or the first proposal already used it."""
    if model is None or model.recipe.lr is None:
        return None
    r = model.recipe
    opt = canonical_optimizer(r.optimizer)
    if opt is None or opt == first.optimizer:
        return None
    lr = scale_lr(r.lr, opt, first.batch_size, r.batch_size)
    wd = r.weight_decay if r.weight_decay is not None else (1e-4 if opt == "SGD" else 0.05)
    sched = canonical_schedule(r.schedule) or first.lr_schedule
    return _build(task, scale, first, f"second prior: {model.name}'s own recipe {opt} lr {r.lr:g} @ batch "
                  f"{r.batch_size or '?'} -> {lr:.3g} @ batch {first.batch_size}, {sched}",
                  optimizer=opt, lr=lr, weight_decay=wd, lr_schedule=sched, momentum=r.momentum)


def _lr_pair(task: str, scale: float, best: Trial, history: list[Trial], step: float) -> list[HParams]:
    """lr x10^step and /10^step around ``best`` (the side not yet found worse first)."""
    b = best.hparams
    others = [t for t in history if t is not best and t.hparams.optimizer == b.optimizer]
    worse_above = any(t.hparams.lr > b.lr * 1.2 for t in others)
    factor = 10 ** step
    label = f"{factor:.3g}"
    up = _build(task, scale, b, f"lr x{label} (log-space step)", lr=b.lr * factor)
    down = _build(task, scale, b, f"lr /{label} (log-space step)", lr=b.lr / factor)
    return [down, up] if worse_above else [up, down]


def _parabola_lr(best: Trial, history: list[Trial], step: float) -> float | None:
    """Vertex (in log10 lr) of the parabola through the best trial and its nearest finished neighbours below
    and above it (same optimizer and schedule), kept within ``step`` decades of the best; None without a
    bracket or when the points do not curve downwards."""
    b = best.hparams
    same = [t for t in history if t.status == "finished" and t is not best and t.hparams.optimizer == b.optimizer
            and t.hparams.lr_schedule == b.lr_schedule and _decades(t.hparams.lr, b.lr) > 1e-3]
    below = [t for t in same if t.hparams.lr < b.lr]
    above = [t for t in same if t.hparams.lr > b.lr]
    if not below or not above:
        return None
    lo = max(below, key=lambda t: t.hparams.lr)
    hi = min(above, key=lambda t: t.hparams.lr)
    x0, x1, x2 = (math.log10(t.hparams.lr) for t in (lo, best, hi))
    y0, y1, y2 = lo.score, best.score, hi.score
    denom = (x0 - x1) * (x0 - x2) * (x1 - x2)
    a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denom
    if a >= 0:  # flat or convex: no interior maximum to aim at
        return None
    bb = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denom
    vertex = -bb / (2 * a)
    vertex = min(max(vertex, x1 - step), x1 + step)
    return 10 ** vertex


def _switches(task: str, scale: float, best: Trial) -> list[HParams]:
    b = best.hparams
    other_sched = "CosineAnnealingLR" if b.lr_schedule != "CosineAnnealingLR" else (
        "PolyLR" if task == "segmentation" else "MultiStepLR")
    if b.optimizer in ("AdamW", "Adam"):
        # SGD at the usual lr 0.01 for batch 16, scaled linearly
        opt = {"optimizer": "SGD", "lr": 0.01 * b.batch_size / 16, "weight_decay": 1e-4, "momentum": 0.9}
    else:
        opt = {"optimizer": "AdamW", "lr": ROBUST["lr"], "weight_decay": ROBUST["weight_decay"], "momentum": None}
    return [
        _build(task, scale, b, f"schedule {b.lr_schedule} -> {other_sched}", lr_schedule=other_sched),
        _build(task, scale, b, f"optimizer {b.optimizer} -> {opt['optimizer']} at lr {opt['lr']:.3g}", **opt),
        _build(task, scale, b, "weight decay x10", weight_decay=b.weight_decay * 10),
        _build(task, scale, b, "weight decay /10", weight_decay=b.weight_decay / 10),
    ]


def _lr_ok(cand: HParams, best: Trial, history: list[Trial], step: float) -> bool:
    if cand.lr > best.hparams.lr and _diverged_below(cand, history):
        return False
    return not lr_explored(cand, history, step) and not _tried(cand, history)


def candidates(task: str, scale: float, history: list[Trial], model: ModelCandidate | None = None,
               lr_step: float = LR_STEP, second_prior: bool = True):
    """Every move in order of preference (the first one not yet explored is proposed); yields HParams."""
    finished = [t for t in history if t.status == "finished"]
    best = max(finished, key=lambda t: (t.score, -t.index))
    second = recipe_as_written(model, history[0].hparams, task, scale) if second_prior else None
    if second is not None:
        yield second
    first_step, *finer = steps(lr_step)
    for cand in _lr_pair(task, scale, best, history, first_step):
        if _lr_ok(cand, best, history, first_step):
            yield cand
    refine = [(step, cand) for step in finer for cand in _refinements(task, scale, best, history, step)]
    # one refinement of the bracketed lr first (it matters most), then the switches, then the rest
    for step, cand in refine[:1]:
        if _lr_ok(cand, best, history, step):
            yield cand
    for cand in _switches(task, scale, best):
        if not _tried(cand, history):
            yield cand
    for step, cand in refine:
        if _lr_ok(cand, best, history, step):
            yield cand


def _refinements(task: str, scale: float, best: Trial, history: list[Trial], step: float) -> list[HParams]:
    """lr moves of ``step`` decades: the parabola's vertex when the best trial is bracketed, else a step
    towards the better (finished, higher-scoring) neighbour first, then the other way."""
    vertex = _parabola_lr(best, history, step)
    if vertex is not None:
        return [_build(task, scale, best.hparams, f"lr {vertex:.3g} (vertex of a parabola through the best trial "
                       "and its neighbours on the lr axis)", lr=vertex)]
    b = best.hparams
    pair = _lr_pair(task, scale, best, history, step)
    same = [t for t in history if t is not best and t.hparams.optimizer == b.optimizer]
    score_below = max((t.score for t in same if t.status == "finished" and t.hparams.lr < b.lr), default=None)
    score_above = max((t.score for t in same if t.status == "finished" and t.hparams.lr > b.lr), default=None)
    if score_below is not None and (score_above is None or score_below > score_above):
        pair.sort(key=lambda h: h.lr)  # downwards first
    elif score_above is not None:
        pair.sort(key=lambda h: -h.lr)
    return pair


def next_proposal(task: str, scale: float, history: list[Trial], model: ModelCandidate | None = None,
                  lr_step: float = LR_STEP, second_prior: bool = True) -> HParams | None:
    """The first unexplored move around the best finished trial; None when every move was explored.

    :param history: trials so far, at least one finished.
    :param lr_step: the first lr step in decades (then halved twice).
    :param second_prior: try the zoo recipe as written when the first proposal replaced it.
    """
    finished = [t for t in history if t.status == "finished"]
    if not finished:
        raise ValueError("trust_region.next_proposal needs a finished trial (refine handles failures)")
    best = max(finished, key=lambda t: (t.score, -t.index))
    for cand in candidates(task, scale, history, model, lr_step, second_prior):
        if _tried(cand, history):
            continue
        where = f"around best trial {best.index} ({best.primary_metric}={best.score:.4g}): "
        if cand.rationale.startswith("second prior"):
            where = ""
        return cand.model_copy(update={"rationale": where + cand.rationale})
    return None
