"""Helpers over the paper's search space (``schemas.SEARCH_SPACE``): clipping and distances.

The ranges themselves live in ``autommlab.schemas``; this module only applies them.
"""

from __future__ import annotations

import math
from typing import Any

from ..schemas import LR_RANGE, SEARCH_SPACE, WEIGHT_DECAY_RANGE, HParams, iters_range


def clip(value: float, lo: float, hi: float) -> float:
    return min(max(value, lo), hi)


def budget_scale(ctx: Any) -> float:
    """``ctx.config.hpo.budget_scale``, or 1.0 outside a configured run."""
    hpo = getattr(getattr(ctx, "config", None), "hpo", None)
    return float(getattr(hpo, "budget_scale", 1.0))


def seed_of(ctx: Any) -> int:
    hpo = getattr(getattr(ctx, "config", None), "hpo", None)
    return int(getattr(hpo, "seed", 0))


def make_hparams(task: str, scale: float, *, optimizer: str, lr: float, weight_decay: float, lr_schedule: str,
                 iters: int, batch_size: int, momentum: float | None = None, warmup_iters: int = 0,
                 proposer: str = "", rationale: str = "") -> HParams:
    """Build an ``HParams`` clipped into the task's ranges (lr, wd, iters, batch, warm-up < iters).

    :return: a proposal that passes ``HParams.check(task, scale)``.
    """
    lo, hi = iters_range(task, scale)
    blo, bhi = SEARCH_SPACE[task].batch_size
    iters = int(clip(round(iters), lo, hi))
    warmup = int(clip(round(warmup_iters), 0, max(0, iters - 1)))
    if optimizer in ("SGD", "RMSprop"):
        momentum = 0.9 if momentum is None else clip(momentum, 0.0, 0.99)
    else:
        momentum = None
    return HParams(
        optimizer=optimizer, lr=clip(lr, *LR_RANGE), weight_decay=clip(weight_decay, *WEIGHT_DECAY_RANGE),
        lr_schedule=lr_schedule, iters=iters, batch_size=int(clip(batch_size, blo, bhi)), momentum=momentum,
        warmup_iters=warmup, proposer=proposer, rationale=rationale,
    ).check(task, scale)


def same_config(a: HParams, b: HParams, rel: float = 0.05) -> bool:
    """True when two proposals would train the same way (lr/wd within ``rel``; discrete fields equal)."""
    return (a.optimizer == b.optimizer and a.lr_schedule == b.lr_schedule and a.batch_size == b.batch_size
            and a.iters == b.iters and abs(math.log(a.lr / b.lr)) < rel
            and abs(math.log(a.weight_decay / b.weight_decay)) < rel)


def vector(h: HParams, task: str, scale: float = 1.0) -> dict[str, float]:
    """Numeric coordinates in [0, 1] of the paper's space (log for lr, wd, batch; linear for iters).

    Categorical fields are kept as their names; ``distance`` treats them as one-hot.
    """
    lo, hi = iters_range(task, scale)
    blo, bhi = SEARCH_SPACE[task].batch_size

    def unit_log(v: float, a: float, b: float) -> float:
        return 0.0 if b <= a else (math.log(clip(v, a, b)) - math.log(a)) / (math.log(b) - math.log(a))

    return {
        "lr": unit_log(h.lr, *LR_RANGE),
        "weight_decay": unit_log(h.weight_decay, *WEIGHT_DECAY_RANGE),
        "iters": 0.0 if hi <= lo else (clip(h.iters, lo, hi) - lo) / (hi - lo),
        "batch_size": unit_log(h.batch_size, blo, bhi),
    }


#: weights of each coordinate in ``distance``; lr dominates because it matters most (and spans 7 decades)
DISTANCE_WEIGHTS = {"lr": 4.0, "weight_decay": 1.0, "iters": 1.0, "batch_size": 1.0, "optimizer": 0.5,
                    "lr_schedule": 0.25}


def distance(a: HParams, b: HParams, task: str, scale: float = 1.0) -> float:
    """Weighted Euclidean distance in the normalised space (categoricals: 0 equal, 1 different)."""
    va, vb = vector(a, task, scale), vector(b, task, scale)
    # the lr axis spans 1e-8..0.1 (7 decades); weight 4 makes one decade of lr worth ~0.57
    d2 = sum(DISTANCE_WEIGHTS[k] ** 2 * (va[k] - vb[k]) ** 2 for k in va)
    d2 += (DISTANCE_WEIGHTS["optimizer"] * (a.optimizer != b.optimizer)) ** 2
    d2 += (DISTANCE_WEIGHTS["lr_schedule"] * (a.lr_schedule != b.lr_schedule)) ** 2
    return math.sqrt(d2)
