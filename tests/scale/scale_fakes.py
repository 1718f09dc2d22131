"""A train plugin for orchestration tests (executors, retries, batches); no ML library.

Registered in Ray workers through ``plugin_modules = ["tests.scale.scale_fakes"]``
and served through ``[stages] train = "scale_fakes"``. Its ``[plugins.scale_fakes]``
table: ``sleep_s`` (time one trial takes), ``kill_first_attempt`` (trial indices
whose first attempt SIGKILLs its own worker process mid-trial), ``raise_first_attempt``
(trial indices whose first attempt raises, as a plugin bug would). Every attempt
appends ``{"pid", "start", "end"}`` to ``work_dir/attempts.jsonl`` (an attempt
that was killed has no ``end``), which is what the tests measure.
"""

from __future__ import annotations

import json
import math
import os
import signal
import time

from autommlab import hookimpl
from autommlab.schemas import Trial

NAME = "scale_fakes"


def attempts(work_dir) -> list[dict]:
    f = work_dir / "attempts.jsonl"
    return [json.loads(line) for line in f.read_text().splitlines()] if f.exists() else []


def _log(work_dir, row: dict) -> None:
    with open(work_dir / "attempts.jsonl", "a") as f:
        f.write(json.dumps(row) + "\n")
        f.flush()
        os.fsync(f.fileno())


@hookimpl
def autommlab_train(job, ctx):
    cfg = ctx.plugin_config(NAME)
    job.work_dir.mkdir(parents=True, exist_ok=True)
    first = not attempts(job.work_dir)
    start = time.time()
    _log(job.work_dir, {"pid": os.getpid(), "start": start, "event": "start"})
    if first and job.index in cfg.get("kill_first_attempt", []):
        time.sleep(0.5)  # mid-trial: started, wrote something, not finished
        os.kill(os.getpid(), signal.SIGKILL)
    if first and job.index in cfg.get("raise_first_attempt", []):
        raise RuntimeError(f"simulated bug in trial {job.index}")
    time.sleep(float(cfg.get("sleep_s", 0.5)))
    acc = round(max(0.0, 0.95 - 0.2 * abs(math.log10(job.hparams.lr) + 3)), 4)
    _log(job.work_dir, {"pid": os.getpid(), "start": start, "end": time.time(), "event": "end"})
    return Trial(index=job.index, model=job.model.name, codebase="fakes", task=job.model.task, hparams=job.hparams,
                 status="finished", metrics={"accuracy": acc}, primary_metric="accuracy",
                 wall_time_s=round(time.time() - start, 3))
