"""Scaling measurements for docs/bench/scale.md: trials sequential vs on Ray, DDP 2 processes vs 1.

    python -m tests.scale.bench_scale trials --out /tmp/scale --trials 4 --iters 30
    python -m tests.scale.bench_scale ddp --out /tmp/scale --iters 40 --batch 8

``trials``: the classification default model (MobileNetV2, from scratch) on
shared/datapool hymenoptera, ``--trials`` jobs that differ only in lr, run once
through the built-in LocalExecutor (one after another, in this process) and
once through the RayExecutor on a Ray started here with 2 CPUs (1 CPU per
trial, so two at once; Ray sets OMP_NUM_THREADS=1 in such a task). Prints the
wall time of each and each trial's metric. ``--only local`` with
``OMP_NUM_THREADS=1`` gives the sequential run at the same torch threads.

``ddp``: the same model and data, one trial trained with ``[train] nproc = 1``
and with ``nproc = 2`` (torchrun, gloo) at the same total batch; s/iter is the
median of the per-iteration times rank 0's recorder wrote to metrics.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path


def _setup(out: Path):
    from autommlab.config import Settings
    from autommlab.context import Context
    from tests.openmmlab.conftest import default_candidate, hymenoptera_plan, make_ctx

    out.mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    plan = hymenoptera_plan(out / "data")
    cand = default_candidate("classification", plan, make_ctx(out / "home"))
    return plan, cand, Settings, Context


def _job(plan, cand, work: Path, index: int, iters: int, batch: int, lr: float):
    from tests.openmmlab.conftest import make_job

    job = make_job("classification", plan, cand, work, iters=iters, batch=batch, lr=lr, val_interval=iters)
    return job.model_copy(update={"index": index})


def _drain(executor, jobs) -> tuple[float, list]:
    t0 = time.monotonic()
    for j in jobs:
        executor.submit(j)
    done = []
    while len(done) < len(jobs):
        done += executor.wait()
    return time.monotonic() - t0, sorted(done, key=lambda o: o.job.index)


def trials(out: Path, n: int, iters: int, batch: int, only: str | None = None) -> dict:
    from autommlab.executor import LocalExecutor
    from autommlab.plugins import PluginManager

    plan, cand, Settings, Context = _setup(out)
    settings = Settings(home=out / "home", plugins={"mmpretrain": {"precise_bn_batches": 0}})
    lrs = [1e-3 * (1.5 ** i) for i in range(n)]
    result = {"trials": n, "iters": iters, "batch": batch, "model": cand.name}
    pm = PluginManager(stages={"train": "mmpretrain"}, disabled=settings.disabled_plugins)
    ctx = Context(config=settings, run_dir=out)
    if only == "ray":
        local_jobs = []
    else:
        local_jobs = [_job(plan, cand, out / "local" / f"{i + 1:02d}", i + 1, iters, batch, lr) for i, lr in enumerate(lrs)]
    if local_jobs:
        wall, done = _drain(LocalExecutor(pm, ctx), local_jobs)
        result["local"] = {"wall_s": round(wall, 1), "torch_threads": _threads(), "metrics": [_m(o) for o in done]}
        print("local", result["local"], flush=True)
    if only == "local":
        return result

    from autommlab_ray.executor import RayExecutor, RaySettings
    ray_settings = settings.model_copy(update={"stages": {"train": "mmpretrain"}})
    ex = RayExecutor(ray_settings, out, RaySettings(num_cpus=2, cpus_per_trial=1), log=print)
    ray_jobs = [_job(plan, cand, out / "ray" / f"{i + 1:02d}", i + 1, iters, batch, lr) for i, lr in enumerate(lrs)]
    wall, done = _drain(ex, ray_jobs)
    result["ray"] = {"wall_s": round(wall, 1), "capacity": ex.capacity, "metrics": [_m(o) for o in done]}
    print("ray", result["ray"], flush=True)
    ex.close()
    return result


def _threads() -> int:
    import torch

    return torch.get_num_threads()


def _m(outcome) -> dict:
    t = outcome.trial
    if t is None:
        return {"index": outcome.job.index, "error": repr(outcome.error)}
    return {"index": t.index, "status": t.status, "accuracy": t.metrics.get("accuracy"), "wall_s": t.wall_time_s}


def ddp(out: Path, iters: int, batch: int) -> dict:
    from autommlab.plugins import PluginManager

    plan, cand, Settings, Context = _setup(out)
    result = {"iters": iters, "total_batch": batch, "model": cand.name}
    for nproc in (1, 2):
        settings = Settings(home=out / "home", train={"nproc": nproc},
                            plugins={"mmpretrain": {"precise_bn_batches": 0}})
        pm = PluginManager(stages={"train": "mmpretrain"})
        job = _job(plan, cand, out / f"ddp{nproc}", 1, iters, batch, 1e-3)
        t0 = time.monotonic()
        trial = pm.call_single("train", Context(config=settings, run_dir=out), job=job)
        wall = time.monotonic() - t0
        rec = json.loads((job.work_dir / "metrics.json").read_text())
        steady = rec["iter_time_s"][3:] or rec["iter_time_s"]
        result[f"nproc{nproc}"] = {"status": trial.status, "accuracy": trial.metrics.get("accuracy"),
                                   "s_per_iter_median": round(statistics.median(steady), 4),
                                   "train_wall_s": trial.wall_time_s, "call_wall_s": round(wall, 1),
                                   "notes": [n for n in trial.notes if n.startswith("DDP")]}
        print(nproc, result[f"nproc{nproc}"], flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("trials", "ddp"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--trials", type=int, default=4)
    ap.add_argument("--iters", type=int, default=30)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--only", choices=("local", "ray"), help="trials: run one side only")
    a = ap.parse_args()
    res = trials(a.out, a.trials, a.iters, a.batch, a.only) if a.what == "trials" else ddp(a.out, a.iters, a.batch)
    print("RESULT", json.dumps(res))


if __name__ == "__main__":
    main()
