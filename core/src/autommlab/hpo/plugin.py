"""Built-in plugin ``recipe_hpo``: the default propose-hparams strategy (no LLM) and the HPO commands.

Config table ``[plugins.recipe_hpo]``: ``batch_size`` (int, optional) overrides
the per-device default batch size; ``lr_step`` (decades, default 1) is the first
lr step of the later proposals' trust-region search; ``second_prior`` (default
true) tries the zoo recipe as written when the first proposal replaced it.
"""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl
from .recipe import PROPOSER, first_proposal
from .refine import next_proposal
from .space import budget_scale, seed_of


@hookimpl
def autommlab_propose_hparams(request, data, model, history, ctx) -> Any:
    """First trial: the model's recipe adapted to batch/data/budget; later: refinement from ``history``."""
    scale = budget_scale(ctx)
    cfg = ctx.plugin_config(PROPOSER) if ctx is not None else {}
    if not history:
        device = str(getattr(getattr(ctx, "config", None), "device", "cpu"))
        override = cfg.get("batch_size")
        if override is not None and (not isinstance(override, int) or override < 1):
            from ..errors import UsageError
            raise UsageError(f"[plugins.{PROPOSER}] batch_size must be a positive integer, got {override!r}")
        return first_proposal(model, data, device, scale, batch_override=override)
    lr_step, second_prior = _search_settings(cfg)
    return next_proposal(model.task, scale, list(history), seed=seed_of(ctx), model=model, lr_step=lr_step,
                         second_prior=second_prior)


def _search_settings(cfg: dict) -> tuple[float, bool]:
    """(lr_step, second_prior) from the config table; a bad value is a usage error naming the key."""
    from ..errors import UsageError
    from .trust_region import LR_STEP
    lr_step = cfg.get("lr_step", LR_STEP)
    if isinstance(lr_step, bool) or not isinstance(lr_step, (int, float)) or not 0.05 <= lr_step <= 3:
        raise UsageError(f"[plugins.{PROPOSER}] lr_step must be a number of decades in [0.05, 3], got {lr_step!r}")
    second_prior = cfg.get("second_prior", True)
    if not isinstance(second_prior, bool):
        raise UsageError(f"[plugins.{PROPOSER}] second_prior must be true or false, got {second_prior!r}")
    return float(lr_step), second_prior


@hookimpl
def autommlab_register_commands(cli) -> None:
    from .commands import register
    register(cli)


@hookimpl
def autommlab_plugin_info() -> dict:
    return {"description": "default HPO: the model's zoo recipe adapted to batch and data size, then local "
                           "refinement from the trials so far (no LLM)", "requires": []}
