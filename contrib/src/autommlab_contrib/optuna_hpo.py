"""``optuna_hpo``: propose the next trial with an Optuna sampler (TPE or GP) fed with the history.

Config ``[plugins.optuna_hpo]``: ``sampler = "tpe" | "gp"`` (default tpe), ``seed``
(default ``hpo.seed``), ``n_startup_trials`` (random proposals before the model
is used; default 2, as AutoMMLab budgets are a handful of trials), ``fixed``
(values not searched). Opt-in: serves only when ``[stages] propose_hparams``
names it. Optuna is imported only when a proposal is asked for.
"""

from __future__ import annotations

import importlib.util

from autommlab import hookimpl
from autommlab.errors import UsageError

NAME = "optuna_hpo"
SAMPLERS = ("tpe", "gp")


@hookimpl
def autommlab_propose_hparams(request, data, model, history, ctx):
    from .space import selected
    if not selected(ctx, NAME):
        return ctx.decline(NAME, f"opt-in strategy: set [stages] propose_hparams = \"{NAME}\" to use it")
    cfg = ctx.plugin_config(NAME)
    sampler = str(cfg.get("sampler", "tpe")).lower()
    if sampler not in SAMPLERS:
        raise UsageError(f"[plugins.{NAME}] sampler = {cfg.get('sampler')!r}; choose one of {', '.join(SAMPLERS)}")
    if importlib.util.find_spec("optuna") is None:
        return ctx.decline(NAME, "optuna is not installed (pip install 'autommlab-contrib[optuna]')")
    if sampler == "gp" and (importlib.util.find_spec("torch") is None or importlib.util.find_spec("scipy") is None):
        return ctx.decline(NAME, "Optuna's GP sampler needs torch and scipy, which are not installed")
    from .study import propose
    return propose(model.task, history, ctx, sampler, cfg)


@hookimpl
def autommlab_plugin_info():
    return {"description": "Optuna TPE / GP sampler over the AutoMMLab HPO space", "requires": ["optuna"]}
