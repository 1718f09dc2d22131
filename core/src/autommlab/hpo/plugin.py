"""Built-in plugin ``recipe_hpo``: the default propose-hparams strategy (no LLM) and the HPO commands.

Config table ``[plugins.recipe_hpo]``: ``batch_size`` (int, optional) overrides
the per-device default batch size.
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
    if not history:
        cfg = ctx.plugin_config(PROPOSER) if ctx is not None else {}
        device = str(getattr(getattr(ctx, "config", None), "device", "cpu"))
        override = cfg.get("batch_size")
        if override is not None and (not isinstance(override, int) or override < 1):
            from ..errors import UsageError
            raise UsageError(f"[plugins.{PROPOSER}] batch_size must be a positive integer, got {override!r}")
        return first_proposal(model, data, device, scale, batch_override=override)
    return next_proposal(model.task, scale, list(history), seed=seed_of(ctx))


@hookimpl
def autommlab_register_commands(cli) -> None:
    from .commands import register
    register(cli)


@hookimpl
def autommlab_plugin_info() -> dict:
    return {"description": "default HPO: the model's zoo recipe adapted to batch and data size, then local "
                           "refinement from the trials so far (no LLM)", "requires": []}
