"""In-test plugins for the core tests: small, deterministic stage implementations.

They exercise the hook contract and the pipeline without any ML library.
``FAKE`` holds switches the tests flip (crash on a trial, decline, ...).
"""

from __future__ import annotations

import json
from pathlib import Path

from autommlab import hookimpl
from autommlab.schemas import (ClassMatch, DataPlan, Deployment, HParams, Latency, ModelCandidate, Request, Trial)

FAKE = {"crash_on_trial": None, "train_calls": [], "parse_calls": 0, "propose_calls": 0, "lr_sequence": None}


def reset() -> None:
    FAKE.update(crash_on_trial=None, train_calls=[], parse_calls=0, propose_calls=0, lr_sequence=None)


@hookimpl
def autommlab_parse(text, ctx):
    FAKE["parse_calls"] += 1
    payload = json.loads(text)  # the fake request "text" is the parse itself, as JSON
    return Request.model_validate(payload)


@hookimpl
def autommlab_select_data(request, ctx):
    root = Path(ctx.run_dir or ".") / "data"
    root.mkdir(parents=True, exist_ok=True)
    objs = request.data.object
    return [DataPlan(source="fakes", datasets=["toy"], task=request.model.task, format="imagenet", root=root,
                     classes=[o.rstrip("s") for o in objs], files={"train_list": "train.txt"},
                     matches=[ClassMatch(request_object=o, categories=[o.rstrip("s")], reason="plural", score=1.0)
                              for o in objs],
                     train_counts={o.rstrip("s"): 10 for o in objs}, val_counts={o.rstrip("s"): 5 for o in objs})]


@hookimpl
def autommlab_select_model(request, data, ctx):
    return [
        ModelCandidate(codebase="fakes", name="big-net", task=request.model.task, family="BigNet", params_m=25.0,
                       flops_g=4.0, input_size=[224, 224], reported_metrics={"accuracy": 0.80}),
        ModelCandidate(codebase="fakes", name="small-net", task=request.model.task, family="SmallNet", params_m=3.0,
                       flops_g=0.3, input_size=[112, 112], reported_metrics={"accuracy": 0.72}),
    ]


@hookimpl
def autommlab_propose_hparams(request, data, model, history, ctx):
    FAKE["propose_calls"] += 1
    seq = FAKE["lr_sequence"] or [0.01, 0.003, 0.001, 0.0003, 0.0001]
    lr = seq[len(history) % len(seq)]
    from autommlab.schemas import iters_range
    iters = iters_range(request.model.task, ctx.config.hpo.budget_scale)[0]
    return HParams(optimizer="AdamW", lr=lr, weight_decay=0.01, lr_schedule="CosineAnnealingLR", iters=iters,
                   batch_size=4, proposer="fakes")


@hookimpl
def autommlab_train(job, ctx):
    FAKE["train_calls"].append(job.index)
    if FAKE["crash_on_trial"] == job.index:
        raise RuntimeError(f"simulated crash in trial {job.index}")
    job.work_dir.mkdir(parents=True, exist_ok=True)
    (job.work_dir / "best.pth").write_bytes(b"fake")
    # A deterministic "metric": best at lr=1e-3, falling off per decade.
    import math
    acc = max(0.0, 0.95 - 0.2 * abs(math.log10(job.hparams.lr) + 3))
    with ctx.progress("train", total=job.hparams.iters) as bar:
        for _ in range(job.hparams.iters):
            bar.update(1, loss=1.0)
    return Trial(index=job.index, model=job.model.name, codebase="fakes", task=job.model.task, hparams=job.hparams,
                 status="finished", metrics={"accuracy": round(acc, 4)}, primary_metric="accuracy",
                 checkpoint=job.work_dir / "best.pth", wall_time_s=1.0)


@hookimpl
def autommlab_deploy(trial, target, ctx):
    target.out_dir.mkdir(parents=True, exist_ok=True)
    return Deployment(backend=target.backend, device=target.device,
                      latency=Latency(p50_ms=10.0, p90_ms=12.0, mean_ms=10.5, throughput_fps=95.0, runs=5, warmup=1),
                      metrics=dict(trial.metrics), speed_requirement_met=None if target.min_fps is None else 100 >= target.min_fps)
