"""Briefly trained Trials for the deploy tests, through the openmmlab plugins' own train hook.

``train_trial(task, root)`` -> (Trial, DeployTarget factory inputs). The four
default models of the codebase plugins are trained from scratch for a few
iterations on the shared datapool (small val splits): enough for a real
checkpoint and config, not for good metrics.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from autommlab.config import Settings
from autommlab.context import Context
from autommlab.schemas import DataPlan, DeployTarget, HParams, ModelCandidate, Request, Trial, TrainJob

from . import plans

#: task -> (plugin module, default zoo model, iterations, batch size)
DEFAULTS = {
    "classification": ("autommlab_mmpretrain.plugin", "mobilenet-v2_8xb32_in1k", 12, 8),
    "detection": ("autommlab_mmdet.plugin", "rtmdet_tiny_8xb32-300e_coco", 8, 4),
    "segmentation": ("autommlab_mmseg.plugin", "segformer_mit-b0_8xb2-160k_ade20k-512x512", 8, 4),
    "keypoint": ("autommlab_mmpose.plugin", "rtmpose-t_8xb256-420e_coco-256x192", 8, 8),
}


@dataclass
class Trained:
    trial: Trial
    data: DataPlan
    model: ModelCandidate
    request: Request

    def target(self, out_dir: Path, backend: str = "onnxruntime", device: str = "cpu", runs: int = 10,
               warmup: int = 2, min_fps: float | None = None, precision: str = "fp32") -> DeployTarget:
        return DeployTarget(backend=backend, device=device, precision=precision, out_dir=out_dir,
                            request=self.request, data=self.data, model=self.model, min_fps=min_fps,
                            latency_runs=runs, warmup_runs=warmup)


def context(stage: str = "train") -> Context:
    return Context(config=Settings(), stage=stage)


def train_trial(task: str, root: Path) -> Trained:
    module, name, iters, batch = DEFAULTS[task]
    from autommlab_openmmlab.compat import prepare_imports

    prepare_imports()  # transformers >= 5 breaks mmpretrain's multimodal import
    plugin = importlib.import_module(module)
    spec = plugin.CODEBASE
    from autommlab_openmmlab import zoo

    entry = zoo.find(zoo.load_zoo(spec), name)
    assert entry is not None, f"{name} not in the {spec.package} zoo"
    data = plans.BUILDERS[task](root / "data")
    cand = ModelCandidate(codebase=spec.name, name=entry.name, task=task, config=str(entry.config),
                          input_size=list(spec.input_size) if spec.input_size else [])
    request = Request.model_validate({"data": {"object": data.classes}, "model": {"task": task}})
    hp = HParams(optimizer="AdamW", lr=1e-3, weight_decay=1e-4, lr_schedule="CosineAnnealingLR", iters=iters,
                 batch_size=batch)
    job = TrainJob(index=1, request=request, data=data, model=cand, hparams=hp, work_dir=root / "trial",
                   val_interval=iters)
    trial = plugin.autommlab_train(job=job, ctx=context())
    assert trial is not None and trial.status == "finished", f"training {task} failed: {trial}"
    return Trained(trial=trial, data=data, model=cand, request=request)
