"""Schema validation and the normalised request view."""

import pytest
from pydantic import ValidationError

from autommlab.schemas import DataPlan, HParams, Request, Trial, canonical_metric, iters_range


def req(**model):
    return Request.model_validate({"model": {"task": "detection", **model}})


@pytest.mark.parametrize("speed,fps", [({"value": 20, "unit": "ms"}, 50.0), ({"value": 0.5, "unit": "s"}, 2.0),
                                       ({"value": 30, "unit": "fps"}, 30.0), ({"value": 2, "unit": "min"}, 1 / 120)])
def test_speed_normalises_to_fps(speed, fps):
    assert req(speed=speed).normalized.min_fps == pytest.approx(fps)


def test_units_normalise():
    n = req(parameters={"value": 500, "unit": "K"}, flops={"value": 500, "unit": "MFLOPs"},
            metrics=[{"name": "mAP", "value": 72}, {"name": "AP50", "value": 0.9}]).normalized
    assert n.max_params_m == pytest.approx(0.5)
    assert n.max_flops_g == pytest.approx(0.5)
    assert n.metric_targets == {"AP": pytest.approx(0.72), "AP50": pytest.approx(0.9)}
    assert n.min_fps is None and n.device is None and n.engine is None and n.specific_model is None


def test_inference_engine_key_has_a_space():
    r = Request.model_validate({"model": {"task": "keypoint"}, "deploy": {"inference engine": "tensorrt", "gpu": "gpu"}})
    assert r.to_json_dict()["deploy"]["inference engine"] == "tensorrt"
    assert r.normalized.engine == "tensorrt" and r.normalized.device == "gpu"


@pytest.mark.parametrize("bad,field", [
    ({"model": {"task": "tracking"}}, "model.task"),
    ({"model": {"task": "detection", "speed": {"value": 3, "unit": "furlongs"}}}, "model.speed.unit"),
    ({"model": {"task": "detection", "parameters": {"value": -1, "unit": "M"}}}, "model.parameters.value"),
    ({"model": {"task": "detection"}, "deploy": {"gpu": "tpu"}}, "deploy.gpu"),
    ({"model": {"task": "detection"}, "extra": 1}, "extra"),
])
def test_invalid_request_names_the_field(bad, field):
    with pytest.raises(ValidationError) as e:
        Request.model_validate(bad)
    assert field in str(e.value)


def test_canonical_metric_names():
    assert canonical_metric("Mean IoU") == "mIoU"
    assert canonical_metric("F1 score") == "f1"
    assert canonical_metric("top-5 accuracy") == "top5_accuracy"
    assert canonical_metric("weird metric") == "weird metric"


def test_hparams_ranges_from_the_paper():
    ok = dict(optimizer="SGD", lr=0.01, weight_decay=1e-4, lr_schedule="StepLR", iters=3000, batch_size=32)
    HParams(**ok).check("classification")
    with pytest.raises(ValidationError, match="lr"):
        HParams(**{**ok, "lr": 0.5})
    with pytest.raises(ValidationError, match="weight_decay"):
        HParams(**{**ok, "weight_decay": 1e-7})
    with pytest.raises(ValidationError, match="optimizer"):
        HParams(**{**ok, "optimizer": "Lion"})
    with pytest.raises(ValueError, match="iters=3000 outside \\[4000, 9000\\] for detection"):
        HParams(**ok).check("detection")
    with pytest.raises(ValueError, match="batch_size=32 outside \\[2, 8\\]"):
        HParams(**{**ok, "iters": 3000}).check("segmentation")
    assert iters_range("classification", 0.05) == (100, 250)
    HParams(**{**ok, "iters": 120}).check("classification", budget_scale=0.05)


def test_dataplan_and_trial_invariants(tmp_path):
    with pytest.raises(ValidationError, match="at least one class"):
        DataPlan(source="x", datasets=["d"], task="classification", format="imagenet", root=tmp_path, classes=[])
    plan = DataPlan(source="x", datasets=["d"], task="classification", format="imagenet", root=tmp_path,
                    classes=["a", "b"], files={"train_list": "t.txt"}, train_counts={"a": 3, "b": 4})
    assert plan.path("train_list") == tmp_path / "t.txt" and plan.num_train == 7
    with pytest.raises(KeyError, match="val_list"):
        plan.path("val_list")
    hp = HParams(optimizer="SGD", lr=0.01, weight_decay=1e-4, lr_schedule="StepLR", iters=10, batch_size=2)
    with pytest.raises(ValidationError, match="primary_metric"):
        Trial(index=1, model="m", codebase="c", task="classification", hparams=hp, status="finished", metrics={})
    t = Trial(index=1, model="m", codebase="c", task="classification", hparams=hp, status="failed", error="nan loss")
    assert t.score is None
