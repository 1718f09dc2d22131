"""Collect a replay table: train a small grid of real trials for one request (``autommlab hpo grid``).

In: a request text, settings, an output JSONL. The request goes through the
installed parse / select-data / select-model plugins (as in a run); the top
model is then trained once per grid configuration through the train plugin and
every trial (finished or failed) is appended to the output as a ``TrialRecord``.
Configurations already in the output are skipped, so an interrupted collection
continues where it stopped.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from ..config import Settings
from ..context import Context
from ..plugins import PluginManager
from ..ranking import rank_candidates
from ..schemas import DataPlan, HParams, ModelCandidate, Request, TrainJob, Trial
from .recipe import first_proposal
from .space import make_hparams, same_config
from .store import TrialStore, make_record

#: lr levels per optimizer: a decade apart around the usual values, so the table spans good and bad
GRID_LRS = {"SGD": (1e-3, 1e-2, 1e-1), "AdamW": (1e-4, 1e-3, 1e-2)}
GRID_WD = {"SGD": 1e-4, "AdamW": 0.05}


def default_grid(model: ModelCandidate, data: DataPlan, device: str, scale: float,
                 iters: int | None = None, batch_size: int | None = None) -> list[HParams]:
    """2 schedules x 2 optimizers x 3 lrs (12 configs); batch, iters and warm-up from the recipe proposal."""
    base = first_proposal(model, data, device, scale, batch_override=batch_size)
    it = iters or base.iters
    second = "PolyLR" if model.task == "segmentation" else "MultiStepLR"
    out = []
    # schedule outermost: ``--limit 6`` keeps every optimizer x lr pair under one schedule
    for sched in ("CosineAnnealingLR", second):
        for opt, lrs in GRID_LRS.items():
            for lr in lrs:
                out.append(make_hparams(model.task, scale, optimizer=opt, lr=lr, weight_decay=GRID_WD[opt],
                                        lr_schedule=sched, iters=it, batch_size=base.batch_size,
                                        warmup_iters=min(base.warmup_iters, it // 10), proposer="grid",
                                        rationale="replay-table grid"))
    return out


def prepare(pm: PluginManager, ctx: Context, text: str) -> tuple[Request, DataPlan, ModelCandidate]:
    """Parse, select data and rank models as a run would; returns the top model."""
    request = pm.call_single("parse", ctx, text=text)
    plans = pm.call_collect("select_data", ctx, request=request)
    plans.sort(key=lambda p: -p.score)
    offered = pm.call_collect("select_model", ctx, request=request, data=plans[0])
    ranked, _ = rank_candidates(offered, request.normalized)
    return request, plans[0], ranked[0]


def collect(settings: Settings, text: str, out: Path, work_dir: Path, model_name: str | None = None,
            iters: int | None = None, batch_size: int | None = None, limit: int | None = None,
            log: Callable[[str], None] = print) -> list[Trial]:
    """Train the grid for ``text`` and append each trial to ``out``; returns the trials run now."""
    pm = PluginManager(stages=settings.stages, disabled=settings.disabled_plugins, modules=settings.plugin_modules)
    work_dir.mkdir(parents=True, exist_ok=True)
    ctx = Context(config=settings, run_dir=work_dir, log=log)
    request, data, model = prepare(pm, ctx, text)
    if model_name:
        offered = pm.call_collect("select_model", ctx, request=request, data=data)
        named = [m for m in offered if m.name == model_name]
        if not named:
            from ..errors import UsageError
            raise UsageError(f"--model {model_name!r} not offered; offered: {', '.join(m.name for m in offered)}")
        model = named[0]
    scale = settings.hpo.budget_scale
    grid = default_grid(model, data, settings.device, scale, iters, batch_size)[:limit]
    store = TrialStore(out)
    done = [r.hparams for r in store if r.model.get("name") == model.name and r.task == model.task]
    log(f"grid: {len(grid)} configs for {model.name} on {', '.join(data.datasets)} "
        f"({data.num_train} train / {data.num_val} val), {sum(any(same_config(h, d) for d in done) for h in grid)} "
        "already recorded")
    trials = []
    for i, hp in enumerate(grid, 1):
        if any(same_config(hp, d) for d in done):
            continue
        # validate once, at the end: the table records the final model, and mid-run validation costs time
        job = TrainJob(index=i, request=request, data=data, model=model, hparams=hp,
                       work_dir=work_dir / f"trial{i:02d}", device=settings.device, seed=settings.hpo.seed,
                       val_interval=hp.iters)
        started = time.monotonic()
        ctx.stage = "train"
        trial: Trial = pm.call_single("train", ctx, job=job)
        if trial.wall_time_s == 0:
            trial = trial.model_copy(update={"wall_time_s": round(time.monotonic() - started, 3)})
        store.append(make_record(f"grid-{model.task}", request, data, model, trial, budget_scale=scale))
        log(f"grid {i}/{len(grid)}: {hp.optimizer} lr={hp.lr:g} {hp.lr_schedule} -> {trial.status} "
            f"{trial.primary_metric}={trial.score if trial.score is not None else trial.error} "
            f"({trial.wall_time_s:.0f}s)")
        trials.append(trial)
    return trials
