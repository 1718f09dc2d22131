"""Pydantic models passed between stages: the data half of the plugin contract.

Every stage hook receives and returns these models (see ``hookspecs.py``).
They are plain, JSON-serialisable pydantic v2 models; invalid data raises
``pydantic.ValidationError`` whose message names the offending field.

The ``Request`` is exactly the AutoMMLab request parse (shared/lamp/SCHEMA.md),
with ``Request.normalized`` giving units the rest of the pipeline can compare:
speed in fps, parameters in millions, FLOPs in G, metric names canonical and
metric targets as fractions.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

Task = Literal["classification", "detection", "segmentation", "keypoint"]
TASKS: tuple[str, ...] = ("classification", "detection", "segmentation", "keypoint")

SpeedUnit = Literal["ms", "s", "min", "h", "fps", "none"]
FlopsUnit = Literal["FLOPs", "MFLOPs", "GFLOPs", "TFLOPs", "none"]
ParamUnit = Literal["K", "M", "B", "none"]
GpuChoice = Literal["gpu", "cpu", "none"]
Engine = Literal["onnxruntime", "tensorrt", "openvino", "ncnn", "none"]
Optimizer = Literal["SGD", "Adam", "AdamW", "RMSprop"]
Schedule = Literal["MultiStepLR", "CosineAnnealingLR", "StepLR", "PolyLR"]


class _Model(BaseModel):
    """Base: reject unknown fields so typos in JSON are caught, not ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --------------------------------------------------------------------------- request


class Speed(_Model):
    value: float = Field(0, ge=0)
    unit: SpeedUnit = "none"


class Flops(_Model):
    value: float = Field(0, ge=0)
    unit: FlopsUnit = "none"


class Parameters(_Model):
    value: float = Field(0, ge=0)
    unit: ParamUnit = "none"


class MetricTarget(_Model):
    name: str = Field(min_length=1)
    value: float = Field(ge=0)


class DataRequirement(_Model):
    description: str = ""
    scenario: str = ""
    object: list[str] = Field(default_factory=list)
    modality: str = "rgb"
    specific: list[str] = Field(default_factory=list)


class ModelRequirement(_Model):
    description: str = ""
    task: Task
    # set when no word states the task and the parser chose the most likely one: why (not part of the
    # AutoMMLab schema, so left out of its JSON schema and of dumps when unset)
    task_guess: SkipJsonSchema[str | None] = Field(None, exclude_if=lambda v: v is None)
    specific_model: str = "none"
    speed: Speed = Field(default_factory=Speed)
    flops: Flops = Field(default_factory=Flops)
    parameters: Parameters = Field(default_factory=Parameters)
    metrics: list[MetricTarget] = Field(default_factory=list)


class DeployRequirement(_Model):
    description: str = ""
    gpu: GpuChoice = "none"
    inference_engine: Engine = Field("none", alias="inference engine")


# Canonical metric names used everywhere after parsing; keys are lower-cased
# spellings seen in requests and in OpenMMLab evaluators.
METRIC_ALIASES: dict[str, str] = {
    "accuracy": "accuracy", "acc": "accuracy", "top-1 accuracy": "accuracy",
    "top1 accuracy": "accuracy", "top-1": "accuracy", "top1": "accuracy",
    "top-5 accuracy": "top5_accuracy", "top5 accuracy": "top5_accuracy",
    "top-5": "top5_accuracy", "top5": "top5_accuracy",
    "precision": "precision", "recall": "recall",
    "f1-score": "f1", "f1 score": "f1", "f1": "f1", "f1_score": "f1", "f-score": "f1",
    "ap": "AP", "map": "AP", "box ap": "AP", "bbox ap": "AP", "bbox map": "AP",
    "keypoint ap": "AP", "oks ap": "AP", "mask ap": "AP",
    "ap50": "AP50", "ap@50": "AP50", "map50": "AP50", "ap@0.5": "AP50", "map@0.5": "AP50",
    "miou": "mIoU", "iou": "mIoU", "mean iou": "mIoU", "mean intersection over union": "mIoU",
    "dice": "dice", "mdice": "dice", "dice score": "dice",
    "pixel accuracy": "pixel_accuracy", "aacc": "pixel_accuracy", "pixel acc": "pixel_accuracy",
    "pck": "PCK",
}


#: the metric the HPO loop maximises for each task (canonical names)
PRIMARY_METRIC: dict[str, str] = {
    "classification": "accuracy", "detection": "AP", "segmentation": "mIoU", "keypoint": "AP",
}


def canonical_metric(name: str) -> str:
    """Map a metric name as written ("mAP", "F1 score", "mean IoU") to its canonical name.

    Unknown names are returned stripped, so nothing is silently dropped.
    """
    key = re.sub(r"\s+", " ", name.strip().lower())
    return METRIC_ALIASES.get(key, name.strip())


def as_fraction(value: float) -> float:
    """Percent-like values above 1 become fractions (92 -> 0.92); fractions stay."""
    return value / 100.0 if value > 1 else value


class NormalizedRequest(_Model):
    """The request in units the pipeline compares against (None: not stated)."""

    task: Task
    task_guessed: bool = False
    task_note: str | None = None  # why the task was guessed
    objects: list[str]
    datasets: list[str]
    modality: str
    specific_model: str | None
    min_fps: float | None = None
    max_params_m: float | None = None
    max_flops_g: float | None = None
    metric_targets: dict[str, float] = Field(default_factory=dict)
    device: Literal["gpu", "cpu"] | None = None
    engine: str | None = None


_SPEED_TO_SECONDS = {"ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0}
_FLOPS_TO_G = {"FLOPs": 1e-9, "MFLOPs": 1e-3, "GFLOPs": 1.0, "TFLOPs": 1e3}
_PARAMS_TO_M = {"K": 1e-3, "M": 1.0, "B": 1e3}


class Request(_Model):
    """The AutoMMLab request parse: ``data`` / ``model`` / ``deploy``.

    Serialise with ``model_dump(by_alias=True)`` to get the exact schema keys
    (``"inference engine"`` with a space).
    """

    data: DataRequirement = Field(default_factory=DataRequirement)
    model: ModelRequirement
    deploy: DeployRequirement = Field(default_factory=DeployRequirement)

    @property
    def normalized(self) -> NormalizedRequest:
        m, d = self.model, self.deploy
        fps = None
        if m.speed.unit == "fps" and m.speed.value > 0:
            fps = m.speed.value
        elif m.speed.unit in _SPEED_TO_SECONDS and m.speed.value > 0:
            fps = 1.0 / (m.speed.value * _SPEED_TO_SECONDS[m.speed.unit])
        params = m.parameters.value * _PARAMS_TO_M[m.parameters.unit] if m.parameters.unit != "none" and m.parameters.value > 0 else None
        flops = m.flops.value * _FLOPS_TO_G[m.flops.unit] if m.flops.unit != "none" and m.flops.value > 0 else None
        targets: dict[str, float] = {}
        for t in m.metrics:
            targets[canonical_metric(t.name)] = as_fraction(t.value)
        sm = m.specific_model.strip()
        return NormalizedRequest(
            task=m.task,
            task_guessed=m.task_guess is not None,
            task_note=m.task_guess,
            objects=list(self.data.object),
            datasets=list(self.data.specific),
            modality=self.data.modality or "rgb",
            specific_model=None if sm.lower() in ("", "none") else sm,
            min_fps=fps,
            max_params_m=params,
            max_flops_g=flops,
            metric_targets=targets,
            device=None if d.gpu == "none" else d.gpu,
            engine=None if d.inference_engine == "none" else d.inference_engine,
        )

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


# --------------------------------------------------------------------------- data


class ClassMatch(_Model):
    """How one object named in the request was matched to dataset categories."""

    request_object: str
    categories: list[str]
    reason: str  # "exact", "plural", "synonym", "hypernym", "embedding", ...
    score: float = Field(ge=0, le=1)


DataFormat = Literal["imagenet", "coco", "semantic_masks", "coco_keypoints"]


class DataPlan(_Model):
    """A train/val subset written on disk in the format the trainer asks for.

    ``classes`` is the label order the trainer uses (index = label id).
    ``files`` holds the written artefacts, e.g. ``{"train_ann": ..., "val_ann":
    ...}`` (COCO), ``{"train_list": ..., "val_list": ...}`` (ImageNet lists) or
    ``{"train_img_dir", "train_mask_dir", ...}`` (masks); paths are relative to
    ``root`` unless absolute.
    """

    source: str  # plugin that produced it
    datasets: list[str]
    task: Task
    format: DataFormat
    root: Path
    classes: list[str]
    files: dict[str, str] = Field(default_factory=dict)
    matches: list[ClassMatch] = Field(default_factory=list)
    unmatched: list[str] = Field(default_factory=list)
    train_counts: dict[str, int] = Field(default_factory=dict)
    val_counts: dict[str, int] = Field(default_factory=dict)
    metainfo: dict[str, Any] = Field(default_factory=dict)  # keypoint names, skeleton, sigmas, palette
    score: float = Field(1.0, ge=0, le=1)  # how well it serves the request (for ranking plans)
    notes: list[str] = Field(default_factory=list)

    @field_validator("classes")
    @classmethod
    def _classes_nonempty(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("a DataPlan needs at least one class")
        if len(set(v)) != len(v):
            raise ValueError(f"duplicate class names: {v}")
        return v

    @property
    def num_train(self) -> int:
        return sum(self.train_counts.values())

    @property
    def num_val(self) -> int:
        return sum(self.val_counts.values())

    def path(self, key: str) -> Path:
        """Absolute path of ``files[key]``; KeyError names the missing key."""
        if key not in self.files:
            raise KeyError(f"DataPlan.files has no {key!r} (has: {sorted(self.files)})")
        p = Path(self.files[key])
        return p if p.is_absolute() else self.root / p


# --------------------------------------------------------------------------- model


class Recipe(_Model):
    """Training recipe of a zoo model's own config (what its authors trained with)."""

    optimizer: str | None = None
    lr: float | None = None
    weight_decay: float | None = None
    momentum: float | None = None
    batch_size: int | None = None  # total batch the lr was tuned for
    schedule: str | None = None
    iters: int | None = None
    warmup_iters: int | None = None


class ModelCandidate(_Model):
    """One model a codebase plugin offers for the request.

    ``params_m`` and ``flops_g`` are computed at ``input_size`` (None: not
    computed). ``latency_ms`` is a measured number or None, never an estimate
    presented as a measurement.
    """

    codebase: str  # plugin name that can train it
    name: str
    task: Task
    family: str = ""
    params_m: float | None = Field(None, ge=0)
    flops_g: float | None = Field(None, ge=0)
    input_size: list[int] = Field(default_factory=list)  # [h, w]
    source_dataset: str = ""
    reported_metrics: dict[str, float] = Field(default_factory=dict)
    latency_ms: float | None = Field(None, ge=0)
    latency_device: str | None = None
    config: str = ""  # path of the config file inside the installed package
    weights: str | None = None  # URL in the zoo
    weights_local: Path | None = None  # local file when present
    # where training would get the zoo weights (set by the plugin): "cached" (a local file), "fetchable" (the URL
    # answered), "unreachable", "offline" (not looked up: offline = true) or "none" (the zoo names no weights)
    weights_status: Literal["cached", "fetchable", "unreachable", "offline", "none"] | None = None
    weights_note: str = ""  # how the status was found, e.g. "HEAD 200, 14.0 MB" or the network error
    recipe: Recipe = Field(default_factory=Recipe)
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)  # filled by the core ranking
    violations: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- HPO


class TaskRange(_Model):
    iters: tuple[int, int]
    batch_size: tuple[int, int]


# AutoMMLab paper's HPO search space (Table of the paper); iterations may be
# scaled down by a budget scale so CPU users can run short trials.
SEARCH_SPACE: dict[str, TaskRange] = {
    "classification": TaskRange(iters=(2000, 5000), batch_size=(1, 64)),
    "detection": TaskRange(iters=(4000, 9000), batch_size=(1, 16)),
    "segmentation": TaskRange(iters=(2000, 7000), batch_size=(2, 8)),
    "keypoint": TaskRange(iters=(2000, 5000), batch_size=(2, 64)),
}
LR_RANGE = (1e-8, 0.1)
WEIGHT_DECAY_RANGE = (1e-5, 0.1)
OPTIMIZERS: tuple[str, ...] = ("SGD", "Adam", "AdamW", "RMSprop")
SCHEDULES: tuple[str, ...] = ("MultiStepLR", "CosineAnnealingLR", "StepLR", "PolyLR")


def iters_range(task: str, budget_scale: float = 1.0) -> tuple[int, int]:
    """Allowed iteration range for ``task`` after scaling by ``budget_scale``."""
    if not 0 < budget_scale <= 1:
        raise ValueError(f"budget_scale must be in (0, 1], got {budget_scale}")
    lo, hi = SEARCH_SPACE[task].iters
    return max(1, round(lo * budget_scale)), max(1, round(hi * budget_scale))


class HParams(_Model):
    """One hyperparameter proposal; ranges are the paper's (see ``check``)."""

    optimizer: Optimizer
    lr: float = Field(ge=LR_RANGE[0], le=LR_RANGE[1])
    weight_decay: float = Field(ge=WEIGHT_DECAY_RANGE[0], le=WEIGHT_DECAY_RANGE[1])
    lr_schedule: Schedule
    iters: int = Field(ge=1)
    batch_size: int = Field(ge=1)
    momentum: float | None = Field(None, ge=0, lt=1)
    warmup_iters: int = Field(0, ge=0)
    proposer: str = ""  # plugin that proposed it
    rationale: str = ""

    def check(self, task: str, budget_scale: float = 1.0) -> "HParams":
        """Raise ValueError naming the field when iters/batch are outside the task's range."""
        lo, hi = iters_range(task, budget_scale)
        if not lo <= self.iters <= hi:
            raise ValueError(f"hparams.iters={self.iters} outside [{lo}, {hi}] for {task} (budget scale {budget_scale})")
        blo, bhi = SEARCH_SPACE[task].batch_size
        if not blo <= self.batch_size <= bhi:
            raise ValueError(f"hparams.batch_size={self.batch_size} outside [{blo}, {bhi}] for {task}")
        if self.warmup_iters >= self.iters:
            raise ValueError(f"hparams.warmup_iters={self.warmup_iters} must be < iters={self.iters}")
        return self


# --------------------------------------------------------------------------- train


class TrainJob(_Model):
    """Everything a train plugin needs for one trial; it writes only under ``work_dir``."""

    index: int = Field(ge=1)
    request: Request
    data: DataPlan
    model: ModelCandidate
    hparams: HParams
    work_dir: Path
    device: str = "cpu"
    seed: int = 0
    val_interval: int | None = None  # iterations between validations (None: plugin decides)


TrialStatus = Literal["running", "finished", "failed"]


class Trial(_Model):
    """The result of training one HParams proposal, evaluated on the val split.

    ``metrics`` use canonical names (``accuracy``, ``AP``, ``AP50``, ``mIoU``...)
    as fractions in [0, 1]; ``primary_metric`` names the one the HPO loop maximises.
    """

    index: int = Field(ge=1)
    model: str
    codebase: str
    task: Task
    hparams: HParams
    status: TrialStatus
    metrics: dict[str, float] = Field(default_factory=dict)
    primary_metric: str = ""
    checkpoint: Path | None = None
    config: Path | None = None
    work_dir: Path | None = None
    wall_time_s: float = Field(0, ge=0)
    pretrained: str | None = None  # local weights it started from; None = from scratch
    pretrained_url: str | None = None  # where those weights came from (zoo URL), when known
    pretrained_sha256: str | None = None  # sha256 of the weight file it started from
    error: str | None = None
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _finished_has_metric(self) -> "Trial":
        if self.status == "finished":
            if not self.primary_metric or self.primary_metric not in self.metrics:
                raise ValueError(
                    f"a finished trial needs metrics[primary_metric]; primary_metric={self.primary_metric!r}, "
                    f"metrics={sorted(self.metrics)}")
        return self

    @property
    def score(self) -> float | None:
        return self.metrics.get(self.primary_metric) if self.status == "finished" else None


# --------------------------------------------------------------------------- deploy


class DeployTarget(_Model):
    """Where and how to deploy the best trial; ``out_dir`` is the plugin's to write."""

    backend: str  # "onnxruntime", "tensorrt", ...
    device: Literal["cpu", "cuda"] = "cpu"
    precision: Literal["fp32", "fp16"] = "fp32"
    out_dir: Path
    request: Request
    data: DataPlan
    model: ModelCandidate
    min_fps: float | None = None  # the request's speed requirement in fps
    latency_runs: int = Field(200, ge=1)
    warmup_runs: int = Field(20, ge=0)


class Latency(_Model):
    p50_ms: float = Field(ge=0)
    p90_ms: float = Field(ge=0)
    mean_ms: float = Field(ge=0)
    throughput_fps: float = Field(ge=0)
    runs: int = Field(ge=1)
    warmup: int = Field(ge=0)
    batch_size: int = 1
    input_size: list[int] = Field(default_factory=list)
    threads: int | None = None


class Deployment(_Model):
    """A deployed artefact and everything measured on it."""

    backend: str
    device: str
    precision: str = "fp32"
    artifacts: dict[str, Path] = Field(default_factory=dict)
    latency: Latency
    parity: dict[str, Any] = Field(default_factory=dict)  # max_abs_diff, label agreement, ...
    metrics: dict[str, float] = Field(default_factory=dict)  # task metric of the deployed model on val
    speed_requirement_met: bool | None = None  # None: the request stated no speed
    notes: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- run


StageName = Literal["parse", "select_data", "select_model", "hpo", "deploy", "report"]
STAGES: tuple[str, ...] = ("parse", "select_data", "select_model", "hpo", "deploy", "report")
StageState = Literal["pending", "running", "done", "failed", "skipped"]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StageRecord(_Model):
    status: StageState = "pending"
    plugin: str | None = None
    started: str | None = None
    finished: str | None = None
    error: str | None = None
    output: str | None = None  # file in the run directory holding the stage output


class RunRecord(_Model):
    """``run.json``: the state of one run, rewritten atomically after every change."""

    run_id: str
    created: str = Field(default_factory=_now)
    text: str
    stages: dict[str, StageRecord] = Field(default_factory=lambda: {s: StageRecord() for s in STAGES})
    trials: list[int] = Field(default_factory=list)  # finished or failed trial indices
    best_trial: int | None = None
    stop_reason: str | None = None
    requirements_met: bool | None = None
    config: dict[str, Any] = Field(default_factory=dict)

    def first_unfinished(self) -> str | None:
        for name in STAGES:
            if self.stages[name].status not in ("done", "skipped"):
                return name
        return None
