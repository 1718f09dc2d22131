"""``optuna_hpo``: propose the next trial with an Optuna sampler (TPE or GP) fed with the history.

Config ``[plugins.optuna_hpo]``: ``sampler = "tpe" | "gp"`` (default tpe), ``seed``
(default ``hpo.seed``), ``n_startup_trials`` (random proposals before the model
is used; default 2, as AutoMMLab budgets are a handful of trials), ``fixed``
(values not searched), ``storage`` (an Optuna RDB URL: ``sqlite:///path/optuna.db``
on one machine, ``postgresql://user:pw@host/db`` for a cluster; default: none, the
study is rebuilt from the run's history for every proposal), ``study_name``
(default ``autommlab-<run>-<model>``; give the same name to several runs to let
them share one search). Opt-in: serves only when ``[stages] propose_hparams``
names it. Proposes in batches when trials run in parallel. Optuna is imported
only when a proposal is asked for.
"""

from __future__ import annotations

import importlib.util

from autommlab import hookimpl
from autommlab.errors import UsageError

NAME = "optuna_hpo"
SAMPLERS = ("tpe", "gp")


@hookimpl
def autommlab_propose_hparams(request, data, model, history, ctx):
    sampler, why = _ready(ctx)
    if sampler is None:
        return ctx.decline(NAME, why)
    from .study import propose
    return propose(model, history, ctx, sampler, ctx.plugin_config(NAME))


@hookimpl
def autommlab_propose_batch(request, data, model, history, pending, n, ctx):
    """``n`` asks of one study in which the ``pending`` proposals are running trials (TPE's constant liar)."""
    sampler, _ = _ready(ctx)
    if sampler is None:
        return None
    from .study import propose_many
    return propose_many(model, history, pending, n, ctx, sampler, ctx.plugin_config(NAME))


def _ready(ctx) -> tuple[str | None, str]:
    """``(sampler, "")`` when this strategy can serve, else ``(None, why not)``; a bad sampler is a usage error."""
    from .space import selected
    if not selected(ctx, NAME):
        return None, f"opt-in strategy: set [stages] propose_hparams = \"{NAME}\" to use it"
    cfg = ctx.plugin_config(NAME)
    sampler = str(cfg.get("sampler", "tpe")).lower()
    if sampler not in SAMPLERS:
        raise UsageError(f"[plugins.{NAME}] sampler = {cfg.get('sampler')!r}; choose one of {', '.join(SAMPLERS)}")
    if importlib.util.find_spec("optuna") is None:
        return None, "optuna is not installed (pip install 'autommlab-contrib[optuna]')"
    if sampler == "gp" and (importlib.util.find_spec("torch") is None or importlib.util.find_spec("scipy") is None):
        return None, "Optuna's GP sampler needs torch and scipy, which are not installed"
    return sampler, ""


@hookimpl
def autommlab_plugin_info():
    return {"description": "Optuna TPE / GP sampler over the AutoMMLab HPO space", "requires": ["optuna"]}
