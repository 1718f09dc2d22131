"""A model at or near chance is never a success: the check, the report's first line, exit code 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from autommlab.chance import chance_check, chance_level, not_usable
from autommlab.report import check_requirements, render
from autommlab.results import RunResult
from autommlab.schemas import DataPlan, HParams, Request, RunRecord, Trial


def _plan(task="classification", classes=("a", "b", "c"), val=(25, 25, 25)) -> DataPlan:
    return DataPlan(source="t", datasets=["d"], task=task, format="imagenet", root=Path("."), classes=list(classes),
                    train_counts=dict(zip(classes, val)), val_counts=dict(zip(classes, val)))


def _trial(task: str, metrics: dict[str, float]) -> Trial:
    hp = HParams(optimizer="AdamW", lr=1e-3, weight_decay=0.05, lr_schedule="CosineAnnealingLR", iters=10,
                 batch_size=2)
    primary = {"classification": "accuracy", "detection": "AP", "segmentation": "mIoU", "keypoint": "AP"}[task]
    return Trial(index=1, model="m", codebase="c", task=task, hparams=hp, status="finished", metrics=metrics,
                 primary_metric=primary)


@pytest.mark.parametrize("task,metrics,classes,val,usable", [
    ("keypoint", {"AP": 0.0}, ("person",), (80,), False),
    ("detection", {"AP": 0.015}, ("pedestrian",), (131,), False),
    ("detection", {"AP": 0.31}, ("pedestrian",), (131,), True),
    # 3 balanced classes, 75 val images: chance 1/3, two standard errors 0.109
    ("classification", {"accuracy": 0.40}, ("a", "b", "c"), (25, 25, 25), False),
    ("classification", {"accuracy": 0.52}, ("a", "b", "c"), (25, 25, 25), True),
    # imbalanced: the largest class is 90% of val, so 0.9 accuracy is what a constant guess gets
    ("classification", {"accuracy": 0.90}, ("a", "b"), (90, 10), False),
    # all background: pixel accuracy 0.82 over 2 classes gives mIoU 0.41 without learning anything
    ("segmentation", {"mIoU": 0.41, "pixel_accuracy": 0.82}, ("background", "pedestrian"), (50, 50), False),
    ("segmentation", {"mIoU": 0.62, "pixel_accuracy": 0.90}, ("background", "pedestrian"), (50, 50), True),
])
def test_chance_check(task, metrics, classes, val, usable):
    check = chance_check(task, metrics, _plan(task, classes, val), "trial 1 on val")
    assert check.met is usable, check.measured
    assert check.requirement.startswith("model is usable")
    if not usable:
        assert "not usable" in check.measured


def test_chance_level_numbers():
    assert chance_level("classification", {}, _plan())[0] == pytest.approx(1 / 3 + 2 * (2 / 9 / 75) ** 0.5)
    assert chance_level("keypoint", {"AP": 0.0}, None)[0] == 0.02


def test_report_first_line_and_requirements_when_not_usable(tmp_path):
    """A request that states only a speed, a model with AP 0.0: never a success."""
    req = Request.model_validate({"model": {"task": "keypoint", "speed": {"value": 1, "unit": "fps"}}})
    result = RunResult(run_dir=tmp_path, request=req, data=_plan("keypoint", ("person",), (80,)),
                       trials=[_trial("keypoint", {"AP": 0.0})])
    result.best = result.trials[0]
    result.requirements = check_requirements(result)
    assert result.requirements_met is False and not_usable(result.requirements) is not None
    text = render(RunRecord(run_id="r1", text="pose, 1 fps"), result)
    first = text.splitlines()[0]
    assert "NOT USABLE" in first and "r1" in first
    assert "**Not usable:** AP 0.0000 (trial 1 on val) at or near chance" in text


def test_usable_model_keeps_the_plain_title(tmp_path):
    req = Request.model_validate({"model": {"task": "detection"}})
    result = RunResult(run_dir=tmp_path, request=req, data=_plan("detection", ("p",), (10,)),
                       trials=[_trial("detection", {"AP": 0.4})])
    result.best = result.trials[0]
    result.requirements = check_requirements(result)
    assert result.requirements_met is True
    assert render(RunRecord(run_id="r2", text="x"), result).splitlines()[0] == "# AutoMMLab run r2"
