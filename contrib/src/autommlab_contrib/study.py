"""Build an Optuna study from the trial history and ask it for the next configuration(s).

In: the model candidate, history (``autommlab.schemas.Trial``), proposals still
running (``pending``), ctx, sampler name, config table. Out: ``HParams``.
Finished trials enter as COMPLETE with their primary metric, failed ones as
FAIL, running ones as RUNNING; values outside this space (another strategy's
trial) are clipped.

Two stores for the study:

- none (default): an in-memory study rebuilt from the run's history for every
  proposal; deterministic given the seed and the history.
- ``storage = "sqlite:///..."`` / ``"postgresql://..."``: Optuna's RDB storage,
  one study per ``study_name``, shared by every process that names it (other
  runs, other machines of a cluster). Asked trials stay RUNNING there until
  their result arrives in a later proposal's history, so concurrent askers see
  each other's proposals; history trials the study lacks are added once
  (matched by run and parameters).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import TrialState, create_trial

from autommlab.errors import UsageError
from autommlab.schemas import LR_RANGE, OPTIMIZERS, SCHEDULES, WEIGHT_DECAY_RANGE

from .space import Space, seed_from, space_from

NAME = "optuna_hpo"
RUN_ATTR = "autommlab_run"  # user attribute: the run a study trial belongs to
STORAGE_SCHEMES = ("sqlite:///", "postgresql://", "postgresql+psycopg2://", "mysql://", "mysql+pymysql://")


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


def make_sampler(kind: str, seed: int, n_startup: int, constant_liar: bool = False) -> optuna.samplers.BaseSampler:
    if kind == "gp":
        return optuna.samplers.GPSampler(seed=seed, n_startup_trials=n_startup)
    return optuna.samplers.TPESampler(seed=seed, n_startup_trials=n_startup, multivariate=True,
                                      constant_liar=constant_liar)


def propose(model, history: list, ctx: Any, kind: str, cfg: dict):
    """The next proposal (one trial at a time)."""
    return propose_many(model, history, [], 1, ctx, kind, cfg)[0]


def propose_many(model, history: list, pending: list, n: int, ctx: Any, kind: str, cfg: dict) -> list:
    """``n`` proposals; ``pending`` HParams are trials running now (not proposed again)."""
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # per-ask notices would flood a run's log
    space = space_from(model.task, ctx, NAME)
    seed = seed_from(ctx, NAME)
    n_startup = int(cfg.get("n_startup_trials", 2))
    dists = distributions(space)
    sampler = make_sampler(kind, seed, n_startup, constant_liar=bool(pending) or n > 1)
    storage = cfg.get("storage")
    if storage:
        study = _stored_study(str(storage), cfg, ctx, model, sampler, history, dists, space)
    else:
        study = optuna.create_study(direction="maximize", sampler=sampler)
        for t in history:
            study.add_trial(_as_trial(t, space, dists))
        for hp in pending:
            study.add_trial(create_trial(params=_params(hp, space, dists), distributions=dists,
                                         state=TrialState.RUNNING))
    n_done = sum(t.state == TrialState.COMPLETE for t in study.get_trials(deepcopy=False))
    mode = "random start-up" if n_done < n_startup else f"{kind.upper()} model of {n_done} finished trial(s)"
    out = []
    for _ in range(n):
        trial = study.ask(dists)
        if storage:
            trial.set_user_attr(RUN_ATTR, _run_id(ctx))
        out.append(space.hparams(dict(trial.params), NAME, f"Optuna {kind.upper()} (seed {seed}): {mode}"))
    return out


def _params(hp, space: Space, dists: dict) -> dict[str, Any]:
    return {k: space.clip(k, getattr(hp, k)) for k in dists}


def _as_trial(t, space: Space, dists: dict, attrs: dict | None = None):
    params = _params(t.hparams, space, dists)
    if t.status == "finished" and t.score is not None:
        return create_trial(params=params, distributions=dists, value=float(t.score), user_attrs=attrs or {})
    return create_trial(params=params, distributions=dists, state=TrialState.FAIL, user_attrs=attrs or {})


def _run_id(ctx: Any) -> str:
    run_dir = getattr(ctx, "run_dir", None)
    return run_dir.name if run_dir is not None else "-"


def _key(params: dict[str, Any]) -> tuple:
    """Parameters as a hashable key; floats to 12 significant digits (they went through JSON and a database)."""
    return tuple(sorted((k, float(f"{v:.12g}") if isinstance(v, float) else v) for k, v in params.items()))


def _stored_study(url: str, cfg: dict, ctx: Any, model, sampler, history: list, dists: dict, space: Space):
    """Open (or create) the RDB study and bring this run's finished trials into it, each once."""
    if not url.startswith(STORAGE_SCHEMES):
        raise UsageError(f"[plugins.{NAME}] storage = {url!r}: expected an RDB URL starting with one of "
                         f"{', '.join(STORAGE_SCHEMES)}")
    run = _run_id(ctx)
    name = str(cfg.get("study_name") or f"autommlab-{run}-{model.name}")
    try:
        storage = optuna.storages.RDBStorage(url)
    except Exception as e:  # a bad path, an unreachable server, a missing driver (psycopg2)
        raise UsageError(f"[plugins.{NAME}] storage = {url!r} cannot be opened: {type(e).__name__}: {e}") from e
    study = optuna.create_study(storage=storage, study_name=name, direction="maximize", sampler=sampler,
                                load_if_exists=True)
    mine = [t for t in study.get_trials(deepcopy=False) if t.user_attrs.get(RUN_ATTR) == run]
    recorded = Counter(_key(t.params) for t in mine if t.state != TrialState.RUNNING)
    running = {}
    for t in mine:
        if t.state == TrialState.RUNNING:
            running.setdefault(_key(t.params), []).append(t.number)
    for t in history:
        key = _key(_params(t.hparams, space, dists))
        if recorded[key] > 0:
            recorded[key] -= 1
            continue
        if running.get(key):  # asked by us earlier: finish that trial instead of adding a copy
            number = running[key].pop(0)
            if t.status == "finished" and t.score is not None:
                study.tell(number, float(t.score))
            else:
                study.tell(number, state=TrialState.FAIL)
        else:
            study.add_trial(_as_trial(t, space, dists, {RUN_ATTR: run}))
    return study
