"""Build an Optuna study from the trial history and ask it for the next configuration.

In: task, history (``autommlab.schemas.Trial``), ctx, sampler name, config table.
Out: ``HParams``. Finished trials enter as COMPLETE with their primary metric,
failed ones as FAIL; values outside this space (another strategy's trial) are clipped.
"""

from __future__ import annotations

from typing import Any

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import TrialState, create_trial

from autommlab.schemas import LR_RANGE, OPTIMIZERS, SCHEDULES, WEIGHT_DECAY_RANGE

from .space import Space, seed_from, space_from

NAME = "optuna_hpo"


def distributions(space: Space) -> dict[str, Any]:
    d = {
        "optimizer": CategoricalDistribution(OPTIMIZERS),
        "lr": FloatDistribution(*LR_RANGE, log=True),
        "weight_decay": FloatDistribution(*WEIGHT_DECAY_RANGE, log=True),
        "lr_schedule": CategoricalDistribution(SCHEDULES),
        "iters": IntDistribution(*space.iters),
        "batch_size": IntDistribution(*space.batch, log=True),
    }
    return {k: v for k, v in d.items() if k in space.free}


def make_sampler(kind: str, seed: int, n_startup: int) -> optuna.samplers.BaseSampler:
    if kind == "gp":
        return optuna.samplers.GPSampler(seed=seed, n_startup_trials=n_startup)
    return optuna.samplers.TPESampler(seed=seed, n_startup_trials=n_startup, multivariate=True)


def propose(task: str, history: list, ctx: Any, kind: str, cfg: dict):
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # per-ask notices would flood a run's log
    space = space_from(task, ctx, NAME)
    seed = seed_from(ctx, NAME)
    n_startup = int(cfg.get("n_startup_trials", 2))
    dists = distributions(space)
    study = optuna.create_study(direction="maximize", sampler=make_sampler(kind, seed, n_startup))
    for t in history:
        params = {k: space.clip(k, getattr(t.hparams, k)) for k in dists}
        if t.status == "finished" and t.score is not None:
            study.add_trial(create_trial(params=params, distributions=dists, value=float(t.score)))
        else:
            study.add_trial(create_trial(params=params, distributions=dists, state=TrialState.FAIL))
    trial = study.ask(dists)
    n_done = sum(t.status == "finished" for t in history)
    mode = "random start-up" if n_done < n_startup else f"{kind.upper()} model of {n_done} finished trial(s)"
    return space.hparams(dict(trial.params), NAME, f"Optuna {kind.upper()} (seed {seed}): {mode}")
