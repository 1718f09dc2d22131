"""Build the complete mmengine ``Config`` of one trial (no string templates).

In: a ``TrainJob`` (zoo config + DataPlan + HParams + device + seed). Out: an
``mmengine.Config`` with the adapted model, the DataPlan's dataloaders and the
task's own evaluator, a top-level ``test_pipeline`` (the evaluation pipeline,
which mmdeploy exports with), optimizer/schedule from the HParams, an
IterBasedTrainLoop and best-checkpoint saving. ``build_config_with_notes`` also
returns what differs from the zoo recipe (e.g. removed remote pretrained weights).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from .compat import strip_pretrained, sync_bn_to_bn
from .registry import spec_for
from .selection import head_size
from .spec import CodebaseSpec


def resolve_config(spec: CodebaseSpec, ref: str) -> Path:
    """Absolute path of a zoo config given as an absolute path or as ``configs/...`` inside the package's .mim.

    Only files inside the installed ``spec.package`` are accepted: reading a
    Python config runs it, so a path that came from anywhere else (a request,
    a dataset, a hand-edited model.json) is refused with a UsageError, never read.
    """
    import os

    from autommlab.errors import UsageError

    from .zoo import mim_dir

    root = mim_dir(spec.package)
    if root is None:
        raise UsageError(f"model config {ref!r}: {spec.package} is not installed (no {spec.package}/.mim zoo)")
    package = Path(os.path.normpath(root.parent.absolute()))
    p = Path(ref)
    cand = Path(os.path.normpath(p if p.is_absolute() else root / p))  # lexical: '..' cannot climb out
    if not cand.is_relative_to(package):
        raise UsageError(f"model config {ref!r} is outside the installed {spec.package} package ({package}): "
                         "configs are read only from installed packages or the run directory (a Python config "
                         "runs code when read)")
    if not cand.is_file():
        raise UsageError(f"model config {ref!r} not found (as a file or inside {spec.package}/.mim)")
    return cand


def optim_wrapper(hp, base: Any) -> dict:
    """Optimizer from the HParams; the zoo's paramwise rules and grad clipping are kept."""
    opt: dict[str, Any] = dict(type=hp.optimizer, lr=hp.lr, weight_decay=hp.weight_decay)
    if hp.optimizer in ("SGD", "RMSprop"):
        opt["momentum"] = 0.9 if hp.momentum is None else hp.momentum
    elif hp.momentum is not None:
        opt["betas"] = (hp.momentum, 0.999)
    ow: dict[str, Any] = dict(type="OptimWrapper", optimizer=opt)
    base_ow = base.get("optim_wrapper") or {}
    for key in ("paramwise_cfg", "clip_grad"):
        if base_ow.get(key):
            ow[key] = copy.deepcopy(base_ow[key]).to_dict() if hasattr(base_ow[key], "to_dict") else base_ow[key]
    return ow


def param_schedulers(hp) -> list[dict]:
    """Iteration-based warm-up + the HParams' schedule over the remaining iterations."""
    n, w = hp.iters, min(hp.warmup_iters, max(hp.iters - 1, 0))
    out: list[dict] = []
    if w:
        # mmengine's LinearLR reaches end_factor at step end - 1 and a chained schedule starting at that step
        # multiplies whatever lr it finds: with end=w a 1-iteration warm-up would leave the lr at 1e-3 x
        out.append(dict(type="LinearLR", start_factor=1e-3, by_epoch=False, begin=0, end=w + 1))
    span = max(n - w, 1)
    common = dict(by_epoch=False, begin=w, end=n)
    if hp.lr_schedule == "CosineAnnealingLR":
        out.append(dict(type="CosineAnnealingLR", T_max=span, eta_min=hp.lr * 1e-2, **common))
    elif hp.lr_schedule == "MultiStepLR":
        out.append(dict(type="MultiStepLR", milestones=sorted({max(1, int(span * 0.67)), max(1, int(span * 0.89))}),
                        gamma=0.1, **common))
    elif hp.lr_schedule == "StepLR":
        out.append(dict(type="StepLR", step_size=max(1, span // 3), gamma=0.3, **common))
    elif hp.lr_schedule == "PolyLR":
        out.append(dict(type="PolyLR", eta_min=0.0, power=0.9, **common))
    return out


def default_val_interval(iters: int) -> int:
    """Validate a few times; the interval divides ``iters`` so the final validation (which
    mmengine always runs) is not run twice."""
    for k in (3, 4, 2, 5):
        if iters % k == 0:
            return iters // k
    return iters


def build_config(job, input_size: list[int] | None = None):
    """The mmengine ``Config`` for ``job``; see the module docstring."""
    return build_config_with_notes(job, input_size)[0]


def build_config_with_notes(job, input_size: list[int] | None = None):
    """``(Config, notes)``: notes say what differs from the zoo recipe (for ``Trial.notes``)."""
    spec = spec_for(job.model.codebase)
    config_path = resolve_config(spec, job.model.config)  # refuses a config from outside, before any import
    from mmengine.config import Config

    adapter = spec.load_adapter()
    base = Config.fromfile(str(config_path))
    size = list(input_size or job.model.input_size or adapter.config_input_size(base))
    notes: list[str] = []

    model = copy.deepcopy(base.model.to_dict())
    removed = strip_pretrained(model)
    if removed:
        notes.append(f"removed the config's remote initialisation of parts ({', '.join(removed)}): the model starts "
                     f"from the whole zoo checkpoint when it is available, else from scratch")
    sync_bn_to_bn(model)
    adapter.adapt_model(model, num_classes=head_size(spec, job.data), input_size=size, metainfo=job.data.metainfo)

    hp = job.hparams
    data = adapter.data_config(job.data, size, base, hp.batch_size, job.device.split(":")[0])
    val_interval = job.val_interval or default_val_interval(hp.iters)
    weights = job.model.weights_local
    cfg = dict(
        default_scope=spec.scope,
        model=model,
        work_dir=str(job.work_dir),
        experiment_name=f"trial{job.index:02d}_{job.model.name}",
        train_dataloader=data["train_dataloader"],
        val_dataloader=data["val_dataloader"],
        test_dataloader=copy.deepcopy(data["val_dataloader"]),
        val_evaluator=data["val_evaluator"],
        test_evaluator=copy.deepcopy(data["val_evaluator"]),
        test_pipeline=data["test_pipeline"],
        train_cfg=dict(type="IterBasedTrainLoop", max_iters=hp.iters, val_interval=val_interval),
        val_cfg=dict(type="ValLoop"),
        test_cfg=dict(type="TestLoop"),
        optim_wrapper=optim_wrapper(hp, base),
        param_scheduler=param_schedulers(hp),
        default_hooks=dict(
            timer=dict(type="IterTimerHook"),
            logger=dict(type="LoggerHook", interval=max(1, min(10, hp.iters // 10)), log_metric_by_epoch=False),
            param_scheduler=dict(type="ParamSchedulerHook"),
            # interval -1: no periodic checkpoints, only the best one (saved after each validation)
            checkpoint=dict(type="CheckpointHook", by_epoch=False, interval=-1, save_best=adapter.BEST_KEY,
                            rule="greater", save_last=False),
            sampler_seed=dict(type="DistSamplerSeedHook"),
        ),
        env_cfg=dict(cudnn_benchmark=False, mp_cfg=dict(mp_start_method="fork", opencv_num_threads=0),
                     dist_cfg=dict(backend="nccl")),
        log_processor=dict(by_epoch=False, window_size=max(1, min(10, hp.iters // 10))),
        log_level="INFO",
        randomness=dict(seed=job.seed, deterministic=False),
        load_from=str(weights) if weights else None,
        resume=False,
        launcher="none",
    )
    if base.get("visualizer"):
        vis = copy.deepcopy(base.visualizer.to_dict())
        vis["vis_backends"] = [dict(type="LocalVisBackend")]
        vis.pop("name", None)  # a shared name would make every trial in one process reuse the first visualizer
        cfg["visualizer"] = vis
    if not weights:
        notes.append(f"trained from scratch: no local weights for {job.model.name}")
    if base.get("custom_hooks"):
        notes.append("zoo custom hooks (EMA, epoch-based pipeline switch) not used in iteration-based CPU trials")
    notes.extend(data.get("notes", []))
    return Config(cfg), notes
