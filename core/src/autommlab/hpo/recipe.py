"""First proposal of the recipe strategy: the model's own zoo recipe, adapted to this job.

In: the ``ModelCandidate`` (its ``Recipe``), the ``DataPlan`` (train size), the
device and budget scale. Out: one ``HParams`` inside the paper's ranges, with a
rationale saying what was adapted and why. When the zoo weights are available
(on disk or fetchable) the proposal is a fine-tuning recipe: the lr lowered as
the zoo's fine-tuning recipes do and a shorter schedule (24 epochs, not 60).
"""

from __future__ import annotations

import math

from ..schemas import OPTIMIZERS, SCHEDULES, SEARCH_SPACE, DataPlan, HParams, ModelCandidate, iters_range
from .space import clip, make_hparams

PROPOSER = "recipe_hpo"

#: batch size per task and device when the config does not set one; small on CPU so a trial stays short
DEFAULT_BATCH = {
    "cpu": {"classification": 8, "detection": 2, "segmentation": 4, "keypoint": 8},
    "cuda": {"classification": 32, "detection": 8, "segmentation": 8, "keypoint": 32},
}

#: epochs over the train subset that the schedule length aims at (then clipped to the task's range)
TARGET_EPOCHS = {"pretrained": 24, "scratch": 60}

#: fine-tuning lr = the scaled recipe lr x this. detection: mmdet's COCO -> Cityscapes fine-tuning config
#: (faster_rcnn_r50_fpn_1x_cityscapes: SGD 0.01 at batch 8, the COCO recipe's 0.02 at 16 linearly scaled) keeps
#: the lr and shortens the schedule (8 epochs instead of 12); the other tasks: our choice, lower for
#: classification, whose ImageNet backbones carry the most transferable features and a 1000-way head to replace
FINETUNE_LR = {"classification": 0.2, "detection": 1.0, "segmentation": 0.5, "keypoint": 0.5}

#: below this batch, from-scratch SGD recipes tuned at batch 256+ are unreliable (they diverged in our runs)
SMALL_BATCH = 16

#: robust default when the recipe is unknown or unusable (AdamW 1e-3 learned from scratch at batch 4)
ROBUST = {"optimizer": "AdamW", "lr": 1e-3, "weight_decay": 0.05, "lr_schedule": "CosineAnnealingLR"}

_OPT_ALIASES = {o.lower(): o for o in OPTIMIZERS}
_SCHED_ALIASES = {s.lower(): s for s in SCHEDULES} | {
    "cosineannealing": "CosineAnnealingLR", "cosine": "CosineAnnealingLR", "poly": "PolyLR",
    "multistep": "MultiStepLR", "step": "StepLR", "cosinerestartlr": "CosineAnnealingLR",
}


def canonical_optimizer(name: str | None) -> str | None:
    """Map a zoo optimizer type ("SGD", "adamw") to the search space's spelling; None if outside it."""
    return _OPT_ALIASES.get((name or "").strip().lower())


def canonical_schedule(name: str | None) -> str | None:
    """Map a zoo scheduler type to the search space's spelling; None if outside it (e.g. OneCycleLR)."""
    return _SCHED_ALIASES.get((name or "").strip().lower())


def is_pretrained(model: ModelCandidate) -> bool:
    """Whether training will start from the zoo weights: on disk, or fetchable (the trainer downloads them)."""
    return model.weights_local is not None or model.weights_status in ("cached", "fetchable")


def choose_batch(task: str, device: str, num_train: int, override: int | None = None) -> int:
    """Batch size: the config's override, else a per-device default; never above the train set size."""
    lo, hi = SEARCH_SPACE[task].batch_size
    b = override or DEFAULT_BATCH["cuda" if device.startswith("cuda") else "cpu"][task]
    if num_train > 0:
        b = min(b, num_train)
    return int(clip(b, lo, hi))


def scale_lr(lr: float, optimizer: str, batch: int, recipe_batch: int | None) -> float:
    """Linear scaling rule for SGD/RMSprop; square-root scaling for Adam-family optimizers.

    The linear rule (Goyal et al. 2017) was derived for SGD; adaptive optimizers
    normalise the gradient scale, so the gentler sqrt rule is the usual choice.
    """
    if not recipe_batch or recipe_batch <= 0:
        return lr
    ratio = batch / recipe_batch
    return lr * (ratio if optimizer in ("SGD", "RMSprop") else math.sqrt(ratio))


def schedule_iters(task: str, scale: float, num_train: int, batch: int, pretrained: bool) -> tuple[int, str]:
    """Schedule length from the dataset size, clipped to ``iters_range(task, scale)``; returns (iters, why)."""
    lo, hi = iters_range(task, scale)
    if num_train <= 0:
        return (lo + hi) // 2, "train size unknown: middle of the iteration range"
    epochs = TARGET_EPOCHS["pretrained" if pretrained else "scratch"]
    want = epochs * math.ceil(num_train / batch)
    iters = int(clip(want, lo, hi))
    why = f"{epochs} epochs of {num_train} images at batch {batch} = {want} iters"
    if iters != want:
        why += f", clipped to [{lo}, {hi}]"
    return iters, why


def first_proposal(model: ModelCandidate, data: DataPlan, device: str, scale: float,
                   batch_override: int | None = None) -> HParams:
    """The model's recipe adapted to batch, dataset size and budget (or the robust default when unusable)."""
    task = model.task
    r = model.recipe
    pretrained = is_pretrained(model)
    batch = choose_batch(task, device, data.num_train, batch_override)
    iters, iters_why = schedule_iters(task, scale, data.num_train, batch, pretrained)
    opt = canonical_optimizer(r.optimizer)
    why: list[str] = []
    if opt is None or r.lr is None:
        use_robust = f"recipe optimizer/lr unknown ({r.optimizer!r}, lr={r.lr})"
    elif opt == "SGD" and not pretrained and batch < SMALL_BATCH and (r.batch_size or 256) >= 4 * batch:
        use_robust = (f"from scratch at batch {batch}, the recipe's SGD (tuned at batch {r.batch_size}) "
                      "is unreliable")
    else:
        use_robust = ""
    if use_robust:
        opt, lr, wd, sched = ROBUST["optimizer"], ROBUST["lr"], ROBUST["weight_decay"], ROBUST["lr_schedule"]
        momentum = None
        why.append(f"{use_robust}: robust default AdamW lr 1e-3, wd 0.05, cosine")
    else:
        lr = scale_lr(r.lr, opt, batch, r.batch_size)
        wd = r.weight_decay if r.weight_decay is not None else (1e-4 if opt == "SGD" else 0.05)
        sched = canonical_schedule(r.schedule) or "CosineAnnealingLR"
        momentum = r.momentum
        rule = "linear" if opt in ("SGD", "RMSprop") else "sqrt"
        why.append(f"{model.name}'s recipe {opt} lr {r.lr:g} @ batch {r.batch_size or '?'} -> {lr:.3g} @ batch "
                   f"{batch} ({rule} scaling)")
        if canonical_schedule(r.schedule) is None:
            why.append(f"schedule {r.schedule!r} outside the space: cosine")
    if pretrained and FINETUNE_LR[task] != 1.0:
        lr *= FINETUNE_LR[task]
        why.append(f"fine-tuning from the zoo weights: lr x{FINETUNE_LR[task]:g} -> {lr:.3g}")
    # warm-up: the recipe's share of its schedule, else 5%; capped at 10% so short trials still train
    share = (r.warmup_iters / r.iters) if (r.warmup_iters and r.iters) else 0.05
    warmup = round(clip(share, 0.0, 0.10) * iters)
    why.append(iters_why)
    why.append(f"pretrained weights ({model.weights_status or 'on disk'})" if pretrained else "from scratch")
    return make_hparams(task, scale, optimizer=opt, lr=lr, weight_decay=wd, lr_schedule=sched, iters=iters,
                        batch_size=batch, momentum=momentum, warmup_iters=warmup, proposer=PROPOSER,
                        rationale="; ".join(why))
