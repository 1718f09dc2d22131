"""train for one codebase: build the config, run mmengine's Runner, return a Trial.

In: a ``TrainJob`` and the run ``Context``. Out: a ``Trial`` with the metrics
of the best validation (canonical names, fractions), ``best.pth``, the dumped
``config.py`` and the wall time; status "failed" with the error when the loss
diverged. Writes under ``job.work_dir``: config.py, best.pth, metrics.json
(every validation and the loss per iteration) and mmengine's logs.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time
from pathlib import Path
from typing import Any

from autommlab import faults
from autommlab.errors import UsageError
from autommlab.schemas import Trial

from .spec import CodebaseSpec


PRECISE_BN_BATCHES = 10  # default of [plugins.<name>] precise_bn_batches (0 turns it off)


class Diverged(RuntimeError):
    """The training loss stopped being a finite number."""


def _number(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def make_recorder(progress, val_at_start: bool, precise_bn_batches: int = 0, seed: int = 0):
    """An mmengine hook that checks the loss, feeds ``ctx.progress``, re-estimates BN statistics
    before each validation during training (``precise_bn.py``) and records every validation."""
    from mmengine.hooks import Hook

    class Recorder(Hook):
        priority = "LOW"

        def __init__(self) -> None:
            self.losses: list[float] = []
            self.iter_times: list[float] = []
            self.history: list[dict[str, Any]] = []
            self._t = 0.0

        def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
            self._t = time.perf_counter()

        def before_train(self, runner) -> None:
            if val_at_start:  # the untrained baseline, evaluated without triggering checkpoint hooks
                loop = runner.val_loop
                runner.model.eval()
                for batch in loop.dataloader:
                    loop.evaluator.process(data_samples=runner.model.val_step(batch), data_batch=batch)
                metrics = loop.evaluator.evaluate(len(loop.dataloader.dataset))
                self.history.append({"iter": 0, "metrics": _clean(metrics)})

        def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
            loss = (outputs or {}).get("loss")
            value = float(loss.detach() if hasattr(loss, "detach") else loss) if loss is not None else float("nan")
            if not math.isfinite(value):
                raise Diverged(f"training diverged: loss is {value} at iteration {runner.iter + 1}")
            self.losses.append(value)
            self.iter_times.append(time.perf_counter() - self._t)  # data loading + forward + backward + step
            progress.update(1, loss=round(value, 4))
            faults.point("train:iter")

        def before_val_epoch(self, runner) -> None:
            if precise_bn_batches > 0 and runner.iter > 0:
                from .precise_bn import recompute_bn_stats

                dl = runner.train_dataloader
                model = getattr(runner.model, "module", runner.model)  # unwrapped under DDP
                recompute_bn_stats(model, dl.dataset, dl.collate_fn, dl.batch_size, precise_bn_batches, seed)

        def after_val_epoch(self, runner, metrics=None) -> None:
            self.history.append({"iter": runner.iter, "metrics": _clean(metrics or {})})

    return Recorder()


def _clean(metrics: dict) -> dict[str, float]:
    return {k: f for k, v in metrics.items() if (f := _number(v)) is not None}


def _device(job) -> str:
    import torch

    dev = job.device or "cpu"
    if dev.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError(f"job.device={dev!r} but CUDA is not available here; use device = \"cpu\"")
    return dev


def run_training(spec: CodebaseSpec, job, ctx, distributed: bool = False) -> Trial | None:
    """Train ``job`` (assumed to be this codebase's) and return its Trial (None on DDP ranks but 0: ddp.py)."""
    from .build import build_config_with_notes
    from .checkpoints import slim
    from .compat import (CONSOLE_LEVELS, build_runner, library_warnings_to, prepare_imports, runner_device,
                         trusted_checkpoint_loading)
    from .finetune import make_check
    from .validate import validate
    from .weights import resolve

    prepare_imports()

    validate(job.data)
    adapter = spec.load_adapter()
    device = _device(job)
    work = Path(job.work_dir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob("best_*.pth"):  # left by an attempt that was killed: never the result of this one
        stale.unlink()
    # the zoo weights (weights_dir, cache, or downloaded now); a failed download or hash check raises RunFailed
    resolved, weight_notes = resolve(job.model, ctx, spec.name, progress=ctx.progress)
    if job.val_interval is None and ctx.plugin_config(spec.name).get("val_interval"):  # e.g. one validation only
        job = job.model_copy(update={"val_interval": int(ctx.plugin_config(spec.name)["val_interval"])})
    if resolved is not None:
        job = job.model_copy(update={"model": job.model.model_copy(update={"weights_local": resolved.path})})
    cfg, notes = build_config_with_notes(job)
    notes.extend(weight_notes)
    cfg.work_dir = str(work)
    cfg_path = work / "config.py"
    if distributed:
        from .ddp import distribute, world
        distribute(cfg, device, notes)
    rank0 = not distributed or world()[0] == 0
    if rank0:
        cfg.dump(str(cfg_path))
    run_cfg = cfg  # a unique experiment name: mmengine keys its logger/message hub/visualizer instances by it
    run_cfg.experiment_name = f"{cfg.experiment_name}_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}_{time.monotonic_ns()}"
    pcfg = ctx.plugin_config(spec.name)
    val_at_start = bool(pcfg.get("val_at_start", False))
    precise_bn = int(pcfg.get("precise_bn_batches", PRECISE_BN_BATCHES))
    console = str(pcfg.get("console_log", "warning")).lower()
    if console not in CONSOLE_LEVELS:
        raise UsageError(f"[plugins.{spec.name}] console_log = {pcfg.get('console_log')!r}: expected one of "
                         f"{', '.join(CONSOLE_LEVELS)}")
    if precise_bn > 0:
        notes.append(f"BatchNorm statistics re-estimated on up to {precise_bn} training batches before each "
                     f"validation (precise BN; weights unchanged)")

    check = make_check(resolved, adapter, work) if resolved is not None else None
    trusted = trusted_checkpoint_loading() if check is not None and check.needs_trust else contextlib.nullcontext()
    t0 = time.monotonic()
    error = None
    with ctx.progress(f"train {job.model.name} (trial {job.index})", total=job.hparams.iters) as progress:
        recorder = make_recorder(progress, val_at_start, precise_bn, job.seed)
        with runner_device(device), library_warnings_to(work / "warnings.txt", console):
            runner = build_runner(run_cfg, console)
            runner.register_hook(recorder)
            if check is not None:
                runner.register_hook(check)
            try:
                with trusted:
                    runner.train()
            except Diverged as e:
                error = str(e)
    wall = time.monotonic() - t0
    if not rank0:  # DDP: rank 0 alone records the trial
        return None
    if check is not None:
        notes.extend(check.notes())

    base = dict(index=job.index, model=job.model.name, codebase=spec.name, task=spec.task, hparams=job.hparams,
                config=cfg_path, work_dir=work, wall_time_s=round(wall, 2), pretrained=str(resolved.path) if resolved else None,
                pretrained_url=resolved.url if resolved else None,
                pretrained_sha256=resolved.sha256 if resolved else None, notes=notes, primary_metric=adapter.PRIMARY)
    record = {"best_key": adapter.BEST_KEY, "history": recorder.history, "loss": recorder.losses,
              "iter_time_s": [round(t, 4) for t in recorder.iter_times]}
    if error:
        _write(work / "metrics.json", record)
        return Trial(status="failed", error=error, **base)

    trained = [h for h in recorder.history if h["iter"] > 0 and adapter.BEST_KEY in h["metrics"]]
    best = max(trained, key=lambda h: h["metrics"][adapter.BEST_KEY]) if trained else None
    ckpt = runner.message_hub.get_info("best_ckpt")
    if best is None or not ckpt or not Path(ckpt).is_file():
        _write(work / "metrics.json", record)
        return Trial(status="failed", error=f"validation produced no {adapter.BEST_KEY!r} metric "
                                            f"(history: {recorder.history})", **base)
    best_path = work / "best.pth"
    slim(Path(ckpt), best_path)  # weights only: everything after loads it with torch's weights_only=True
    metrics = {k: v for k, v in adapter.canonical_metrics(best["metrics"]).items() if v is not None and 0 <= v <= 1}
    record.update(best_iter=best["iter"], metrics=metrics)
    _write(work / "metrics.json", record)
    if adapter.PRIMARY not in metrics:
        return Trial(status="failed", error=f"metric {adapter.PRIMARY} undefined on val: {best['metrics']}", **base)
    return Trial(status="finished", metrics=metrics, checkpoint=best_path, **base)


def _write(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, path)


def train(spec: CodebaseSpec, job, ctx) -> Trial | None:
    """The ``autommlab_train`` hook body shared by every codebase plugin."""
    if job.model.codebase != spec.name:
        return ctx.decline(spec.name, f"trains {spec.name} models, not {job.model.codebase}")
    if job.data.task != spec.task:
        return ctx.decline(spec.name, f"trains {spec.task}, the data plan is for {job.data.task}")
    nproc = int(getattr(getattr(ctx.config, "train", None), "nproc", 1) or 1)
    if nproc > 1 and not os.environ.get("AUTOMMLAB_DDP_WORKER"):
        from .ddp import launch
        return launch(spec, job, ctx, nproc)
    return run_training(spec, job, ctx)
