"""The searchable space for one task, built only from AutoMMLab's public schemas.

In: task, budget scale, and ``fixed`` values from the plugin's config table
(e.g. ``fixed = {batch_size = 8}``). Out: bounds per parameter and a helper that
turns sampled values into a validated ``HParams``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autommlab.errors import UsageError
from autommlab.schemas import LR_RANGE, OPTIMIZERS, SCHEDULES, SEARCH_SPACE, WEIGHT_DECAY_RANGE, HParams, iters_range

PARAMS = ("optimizer", "lr", "weight_decay", "lr_schedule", "iters", "batch_size")


@dataclass
class Space:
    task: str
    scale: float
    fixed: dict[str, Any]

    @property
    def iters(self) -> tuple[int, int]:
        return iters_range(self.task, self.scale)

    @property
    def batch(self) -> tuple[int, int]:
        return tuple(SEARCH_SPACE[self.task].batch_size)  # type: ignore[return-value]

    @property
    def free(self) -> list[str]:
        return [p for p in PARAMS if p not in self.fixed]

    def clip(self, name: str, value: Any) -> Any:
        """Bring a value (e.g. from another strategy's trial) inside this space's bounds."""
        bounds = {"lr": LR_RANGE, "weight_decay": WEIGHT_DECAY_RANGE, "iters": self.iters, "batch_size": self.batch}
        if name in bounds:
            lo, hi = bounds[name]
            return type(value)(min(max(value, lo), hi))
        return value

    def hparams(self, values: dict[str, Any], proposer: str, rationale: str) -> HParams:
        v = {**values, **self.fixed}
        opt = v["optimizer"]
        return HParams(optimizer=opt, lr=float(v["lr"]), weight_decay=float(v["weight_decay"]),
                       lr_schedule=v["lr_schedule"], iters=int(v["iters"]), batch_size=int(v["batch_size"]),
                       momentum=0.9 if opt in ("SGD", "RMSprop") else None, warmup_iters=0,
                       proposer=proposer, rationale=rationale).check(self.task, self.scale)


def space_from(task: str, ctx: Any, plugin: str) -> Space:
    """The space for ``task`` under ``ctx.config.hpo.budget_scale`` and ``[plugins.<plugin>] fixed``."""
    hpo = getattr(getattr(ctx, "config", None), "hpo", None)
    scale = float(getattr(hpo, "budget_scale", 1.0))
    fixed = dict(ctx.plugin_config(plugin).get("fixed", {}) if ctx is not None else {})
    unknown = sorted(set(fixed) - set(PARAMS))
    if unknown:
        raise UsageError(f"[plugins.{plugin}] fixed has unknown keys {unknown}; allowed: {', '.join(PARAMS)}")
    if "optimizer" in fixed and fixed["optimizer"] not in OPTIMIZERS:
        raise UsageError(f"[plugins.{plugin}] fixed.optimizer must be one of {OPTIMIZERS}")
    if "lr_schedule" in fixed and fixed["lr_schedule"] not in SCHEDULES:
        raise UsageError(f"[plugins.{plugin}] fixed.lr_schedule must be one of {SCHEDULES}")
    return Space(task, scale, fixed)


def selected(ctx: Any, plugin: str) -> bool:
    """Whether ``[stages] propose_hparams`` names ``plugin`` (these strategies are opt-in, never a default)."""
    stages = getattr(getattr(ctx, "config", None), "stages", None) or {}
    wanted = stages.get("propose_hparams")
    return plugin == wanted or (isinstance(wanted, list) and plugin in wanted)


def seed_from(ctx: Any, plugin: str) -> int:
    """``[plugins.<plugin>] seed``, else ``hpo.seed``, else 0."""
    cfg = ctx.plugin_config(plugin) if ctx is not None else {}
    if "seed" in cfg:
        return int(cfg["seed"])
    return int(getattr(getattr(getattr(ctx, "config", None), "hpo", None), "seed", 0))
