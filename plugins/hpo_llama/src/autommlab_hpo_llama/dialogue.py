"""The HPO-LLaMA dialogue, as text: description -> JSON hparams -> result -> better JSON hparams.

Pure Python (no torch). The same functions render the prompt at inference time
(from the live request/data/model and the trials so far) and the training
dialogues built from recorded trials, so both see exactly the same format.
"""

from __future__ import annotations

import json
import math
import random
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from autommlab.hpo.store import TrialRecord
from autommlab.schemas import (LR_RANGE, OPTIMIZERS, SCHEDULES, SEARCH_SPACE, WEIGHT_DECAY_RANGE, HParams, Optimizer,
                               Schedule, iters_range)

Messages = list[dict[str, str]]

SYSTEM = ("You are HPO-LLaMA, an expert in training computer-vision models with OpenMMLab. Given a dataset and "
          "a model, propose training hyperparameters as one JSON object. After each trial you are told its "
          "result on the validation set; then propose hyperparameters that do better.")

FIELDS = ("optimizer", "lr", "weight_decay", "lr_schedule", "iters", "batch_size")


class Answer(BaseModel):
    """What the model writes; bounds are applied afterwards (the decoder cannot enforce numeric ranges)."""

    model_config = ConfigDict(extra="forbid")
    optimizer: Optimizer
    lr: float = Field(gt=0)
    weight_decay: float = Field(gt=0)
    lr_schedule: Schedule
    iters: int = Field(gt=0)
    batch_size: int = Field(gt=0)

    @field_validator("lr", "weight_decay", "iters", "batch_size", mode="before")
    @classmethod
    def _finite(cls, v: Any, info: Any) -> Any:
        """JSON allows 1e999 (inf) and 8.0 for an integer: bound and round so the range clip can apply."""
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = min(max(float(v), 1e-30), 1e12) if math.isfinite(v) or v > 0 else 1e-30
            return max(1, round(v)) if info.field_name in ("iters", "batch_size") else v
        return v


def _num(x: Any) -> str:
    return "?" if x is None else f"{x:.3g}" if isinstance(x, float) else str(x)


def describe(task: str, scale: float, req: dict, dat: dict, mod: dict, pretrained: bool) -> str:
    """First user turn: task, data, model, zoo recipe and the search space (from ``store.summarize`` dicts)."""
    classes = dat.get("classes") or []
    shown = ", ".join(classes[:8]) + (f", ... ({len(classes)} in all)" if len(classes) > 8 else "")
    size = "x".join(str(s) for s in mod.get("input_size") or []) or "?"
    reported = ", ".join(f"{k} {_num(v)}" for k, v in (mod.get("reported_metrics") or {}).items())
    r = mod.get("recipe") or {}
    lo, hi = iters_range(task, scale)
    blo, bhi = SEARCH_SPACE[task].batch_size
    lines = [
        f"Task: {task}.",
        f"Data: {', '.join(dat.get('datasets') or []) or 'custom'}; {len(classes)} classes ({shown}); "
        f"{dat.get('num_train', '?')} train / {dat.get('num_val', '?')} val images.",
        f"Model: {mod.get('name')} ({mod.get('codebase')}, {mod.get('family') or 'n/a'}), "
        f"{_num(mod.get('params_m'))}M params, {_num(mod.get('flops_g'))} GFLOPs at {size}"
        + (f"; zoo result on {mod.get('source_dataset')}: {reported}" if reported else "") + ".",
        "Weights: " + ("pretrained (fine-tuning)." if pretrained else "from scratch."),
        f"Zoo recipe: {r.get('optimizer') or '?'} lr {_num(r.get('lr'))} at batch {_num(r.get('batch_size'))}, "
        f"weight decay {_num(r.get('weight_decay'))}, schedule {r.get('schedule') or '?'}.",
        f"Search space: optimizer one of {', '.join(OPTIMIZERS)}; lr in [{LR_RANGE[0]:g}, {LR_RANGE[1]:g}]; "
        f"weight_decay in [{WEIGHT_DECAY_RANGE[0]:g}, {WEIGHT_DECAY_RANGE[1]:g}]; lr_schedule one of "
        f"{', '.join(SCHEDULES)}; iters in [{lo}, {hi}]; batch_size in [{blo}, {bhi}].",
        "Answer with JSON: {" + ", ".join(f'"{f}"' for f in FIELDS) + "}.",
    ]
    return "\n".join(lines)


def answer_json(hp: HParams) -> str:
    """The assistant turn for ``hp``: compact JSON, floats at 3 significant digits."""
    d = {"optimizer": hp.optimizer, "lr": float(f"{hp.lr:.3g}"), "weight_decay": float(f"{hp.weight_decay:.3g}"),
         "lr_schedule": hp.lr_schedule, "iters": hp.iters, "batch_size": hp.batch_size}
    return json.dumps(d)


def feedback(index: int, status: str, metric: str, score: float | None, error: str | None) -> str:
    """The user turn reporting one trial's result."""
    if status == "finished" and score is not None:
        head = f"Trial {index} result: {metric} = {score:.4f} on val."
    else:
        head = f"Trial {index} failed: {(error or 'no result')[:120]}."
    return head + " Propose better hyperparameters as JSON."


def conversation(first_user: str, rounds: Iterable[tuple[HParams, str]]) -> Messages:
    """System + description, then for every past trial its answer and the feedback (ends on a user turn)."""
    msgs = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": first_user}]
    for hp, fb in rounds:
        msgs.append({"role": "assistant", "content": answer_json(hp)})
        msgs.append({"role": "user", "content": fb})
    return msgs


def dialogues_from_records(records: list[TrialRecord], max_rounds: int = 5, per_group: int = 1,
                           seed: int = 0) -> list[Messages]:
    """Training dialogues from recorded trials, one or more per (run, task, model, datasets) group.

    Within a dialogue the trials are ordered worst to best (failed first), so each
    answer improves on the feedback before it and the last answer is the group's
    best: the model learns to move towards better hyperparameters from results.
    With more trials than ``max_rounds``, ``per_group`` subsets are sampled (seeded),
    each keeping the best trial.
    """
    groups: dict[tuple, list[TrialRecord]] = {}
    for r in records:
        key = (r.run_id, r.task, r.model.get("name"), tuple(r.data.get("datasets") or []))
        groups.setdefault(key, []).append(r)
    rng = random.Random(seed)
    out: list[Messages] = []
    for recs in groups.values():
        ranked = sorted(recs, key=lambda r: (r.score is not None, r.score or 0.0))
        subsets = [ranked] if len(ranked) <= max_rounds else [
            sorted(rng.sample(ranked[:-1], max_rounds - 1), key=ranked.index) + [ranked[-1]]
            for _ in range(per_group)]
        for sub in subsets:
            if sub[-1].score is None:  # nothing finished: no good answer to learn
                continue
            first = sub[0]
            scale = first.budget_scale or 1.0
            pretrained = bool(first.pretrained or first.model.get("weights_local"))
            desc = describe(first.task, scale, first.request, first.data, first.model, pretrained)
            rounds = [(r.hparams, feedback(i, r.status, r.primary_metric, r.score, r.error))
                      for i, r in enumerate(sub, 1)]
            msgs = conversation(desc, rounds)
            out.append(msgs[:-1])  # end on the best answer, not on its feedback
    return out
