"""``random_hpo``: random search over the paper's space (log-uniform lr and weight decay).

Config ``[plugins.random_hpo]``: ``seed`` (default ``hpo.seed``), ``fixed`` (values
not searched, e.g. ``{batch_size = 8}``). Opt-in: serves only when
``[stages] propose_hparams`` names it. Deterministic given seed and history length;
proposes in batches (``autommlab_propose_batch``) when trials run in parallel.
"""

from __future__ import annotations

import math
import random

from autommlab import hookimpl
from autommlab.schemas import LR_RANGE, OPTIMIZERS, SCHEDULES, WEIGHT_DECAY_RANGE

from .space import seed_from, selected, space_from

NAME = "random_hpo"


def _log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


@hookimpl
def autommlab_propose_hparams(request, data, model, history, ctx):
    if not selected(ctx, NAME):
        return ctx.decline(NAME, f"opt-in strategy: set [stages] propose_hparams = \"{NAME}\" to use it")
    return sample(model.task, ctx, len(history))


@hookimpl
def autommlab_propose_batch(request, data, model, history, pending, n, ctx):
    """``n`` samples at once: proposal k is the same as the k-th sequential one (runs are reproducible)."""
    if not selected(ctx, NAME):
        return None
    start = len(history) + len(pending)
    return [sample(model.task, ctx, start + i) for i in range(n)]


def sample(task: str, ctx, k: int):
    """The k-th proposal (0-based) for ``task`` under the plugin's seed and fixed values."""
    space = space_from(task, ctx, NAME)
    seed = seed_from(ctx, NAME)
    # one stream per (seed, proposal number): the i-th proposal is the same whatever came before
    rng = random.Random(f"{seed}:{k}")
    (ilo, ihi), (blo, bhi) = space.iters, space.batch
    values = {
        "optimizer": rng.choice(OPTIMIZERS),
        "lr": _log_uniform(rng, *LR_RANGE),
        "weight_decay": _log_uniform(rng, *WEIGHT_DECAY_RANGE),
        "lr_schedule": rng.choice(SCHEDULES),
        "iters": rng.randint(ilo, ihi),
        "batch_size": round(_log_uniform(rng, blo, bhi)),
    }
    return space.hparams(values, NAME, f"random sample #{k + 1} (seed {seed})")


@hookimpl
def autommlab_plugin_info():
    return {"description": "random search over the AutoMMLab HPO space", "requires": []}
