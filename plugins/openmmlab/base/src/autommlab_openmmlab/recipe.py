"""The training recipe of a zoo config: what its authors trained with.

In: a loaded mmengine ``Config`` and the config's file name. Out: a
``schemas.Recipe`` (optimizer, lr, weight decay, momentum, total batch,
schedule, iterations, warm-up) so an HPO strategy can adapt it.
"""

from __future__ import annotations

import re
from typing import Any

from autommlab.schemas import Recipe

_WARMUPS = {"LinearLR", "ConstantLR", "LinearParamScheduler", "QuadraticWarmupLR"}


def total_batch(config_name: str, cfg: Any) -> int | None:
    """Total batch the lr was tuned for: "8xb32" in the name -> 256, else the dataloader's."""
    m = re.search(r"(\d+)xb(\d+)", config_name)
    if m:
        return int(m.group(1)) * int(m.group(2))
    dl = cfg.get("train_dataloader") or {}
    bs = dl.get("batch_size")
    return int(bs) if isinstance(bs, int) else None


def extract_recipe(cfg: Any, config_name: str) -> Recipe:
    ow = cfg.get("optim_wrapper") or {}
    opt = ow.get("optimizer") or cfg.get("optimizer") or {}
    sched = cfg.get("param_scheduler") or []
    if isinstance(sched, dict):
        sched = [sched]
    main = [s for s in sched if isinstance(s, dict) and s.get("type") not in _WARMUPS]
    warm = [s for s in sched if isinstance(s, dict) and s.get("type") in _WARMUPS and s.get("by_epoch") is False]
    train_cfg = cfg.get("train_cfg") or {}
    iters = train_cfg.get("max_iters")
    return Recipe(
        optimizer=opt.get("type"),
        lr=opt.get("lr"),
        weight_decay=opt.get("weight_decay"),
        momentum=opt.get("momentum"),
        batch_size=total_batch(config_name, cfg),
        schedule=main[-1].get("type") if main else None,
        iters=int(iters) if isinstance(iters, (int, float)) else None,
        warmup_iters=int(warm[0].get("end", 0)) if warm else None,
    )
