"""ONNX Runtime deployment of the four default models, trained briefly on shared/datapool (CPU).

Each task is trained once and deployed once per session (see conftest); the
tests check what the deployment measured and that the bundle stands alone.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from autommlab.schemas import Deployment

from ..plugin_cli import plugin_group
from .conftest import needs_stack

pytestmark = [needs_stack, pytest.mark.slow]

TASKS = ["classification", "detection", "segmentation", "keypoint"]
METRIC = {"classification": "accuracy", "detection": "AP", "segmentation": "mIoU", "keypoint": "AP"}
AGREE = {"classification": "same_label_share", "detection": "matched_box_share",
         "segmentation": "same_mask_pixel_share", "keypoint": "same_keypoint_share"}


@pytest.mark.parametrize("task", TASKS)
def test_deployment_measures_parity_latency_and_metric(deployed, task):
    t, dep, run = deployed(task)
    assert isinstance(dep, Deployment) and dep.backend == "onnxruntime" and dep.device == "cpu"
    # export wrote a real graph
    assert dep.artifacts["model"].is_file() and dep.artifacts["model"].suffix == ".onnx"
    # latency: the requested runs, positive, ordered; throughput from the mean
    lat = dep.latency
    assert lat.runs == 10 and lat.warmup == 2 and lat.batch_size == 1
    assert 0 < lat.p50_ms <= lat.p90_ms
    assert lat.throughput_fps == pytest.approx(1000 / lat.mean_ms, rel=1e-2)
    assert len(lat.input_size) == 2 and min(lat.input_size) >= 32
    assert dep.speed_requirement_met == (1000 / lat.p50_ms >= 1.0)
    # parity: raw graph outputs vs the rewritten PyTorch model, and predictions on every val image
    raw = dep.parity["raw_outputs"]
    assert dep.parity["raw_outputs_images"] >= 3
    if task == "detection":  # compared as sets of boxes (ties may reorder them)
        d = raw["detections"]
        assert d["max_abs_score_diff"] < 1e-4 and d["same_count_share"] == 1.0
        assert d["same_box_share"] >= 0.9, d  # near-tied scores may swap a few boxes of a barely trained model
    else:
        floats = [v["max_abs_diff"] for v in raw.values() if "max_abs_diff" in v]
        ints = [v["equal_share"] for v in raw.values() if "equal_share" in v]
        assert floats or ints
        assert all(d < 1e-3 for d in floats), raw
        assert all(s >= 0.99 for s in ints), raw
    pred = dep.parity["predictions"]
    assert pred["images"] == _num_val_images(t)
    if task != "detection" or pred["reference_boxes_above_thr"] > 0:
        # (a detector trained for a few iterations scores every box ~0.01: its native and exported
        # NMS then keep different near-tied boxes, so only the raw graph parity above is meaningful)
        assert pred[AGREE[task]] >= 0.95, pred
    # the deployed model's metric on val, canonical and a fraction, close to PyTorch's
    m = METRIC[task]
    assert m in dep.metrics and 0.0 <= dep.metrics[m] <= 1.0
    assert abs(dep.parity["metric_delta"][m]) <= 0.05, dep.parity
    # PyTorch eager latency on the same input and threads
    assert dep.parity["pytorch_latency"]["input_size"] == lat.input_size
    assert dep.parity["pytorch_latency"]["threads"] == lat.threads


@pytest.mark.parametrize("task", TASKS)
def test_bundle_stands_alone(deployed, task):
    t, dep, run = deployed(task)
    out = run / "deploy" / "onnxruntime"
    rec = json.loads((out / "deploy.json").read_text())
    bundle = rec.pop("bundle")
    assert {"environment", "trial", "min_fps", "evaluator_raw", "stage_s"} <= set(rec)
    # deploy.json is the Deployment plus the bundle section and the context of the measurement
    again = Deployment.model_validate({k: v for k, v in rec.items() if k in Deployment.model_fields})
    assert again.latency == dep.latency and again.metrics == dep.metrics
    assert (out / bundle["model_file"]).is_file()
    assert (out / "deploy_config.py").is_file() and (out / "metainfo.json").is_file()
    assert bundle["classes"] == t.data.classes
    assert bundle["preprocess"]["check"]["ok"], bundle["preprocess"]["check"]
    # plain graphs need no custom ops library
    assert not (out / "libmmdeploy_onnxruntime_ops.so").exists()
    # dynamic batch always; dynamic height/width where the model allows it
    import onnx

    dims = [d.dim_param or d.dim_value for d in
            onnx.load(str(out / bundle["model_file"])).graph.input[0].type.tensor_type.shape.dim]
    assert dims[0] == "batch" and dims[1] == 3
    if task in ("classification", "detection"):
        assert dims[2:] == ["height", "width"]
    elif task == "keypoint":
        assert dims[2:] == [256, 192]


def test_predict_api_needs_no_training_code(deployed):
    t, dep, run = deployed("classification")
    image = _val_image(t)
    code = ("import sys, json; from autommlab_deploy_ort.predict import Predictor; "
            f"r = Predictor({str(run)!r})({image!r}); "
            "heavy = [m for m in ('torch', 'mmengine', 'mmdeploy', 'mmpretrain') if m in sys.modules]; "
            "print(json.dumps(dict(label=r['label'], heavy=heavy)))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    res = json.loads(out.strip().splitlines()[-1])
    assert res["heavy"] == [] and res["label"] in (0, 1)


def _num_val_images(t) -> int:
    d = t.data
    if d.task == "classification":
        return len(d.path("val_list").read_text().split())  // 2
    if d.task == "segmentation":
        return len(list(d.path("val_img_dir").iterdir()))
    return len(json.loads(d.path("val_ann").read_text())["images"])


def _val_image(t) -> str:
    d = t.data
    if d.task == "classification":
        line = d.path("val_list").read_text().split("\n")[-2]
        return str(d.path("data_prefix") / line.rsplit(" ", 1)[0])
    if d.task == "segmentation":
        return str(sorted(d.path("val_img_dir").iterdir())[0])
    ann = json.loads(d.path("val_ann").read_text())
    return str(d.path("img_dir") / ann["images"][0]["file_name"])


def _pytorch_on_image(dep, image, bbox_xyxy=None):
    """The PyTorch model's prediction on one image, through OpenMMLab (the reference for predict)."""
    from mmengine.config import Config

    from autommlab_deploy_ort import engine
    from autommlab_deploy_ort.modelcfg import load_model_config

    out = dep.artifacts["record"].parent
    cfg = load_model_config(out / "model_config.py")
    dcfg = Config.fromfile(str(out / "deploy_config.py"))
    proc = engine.task_processor(cfg, dcfg)
    rec = json.loads(dep.artifacts["record"].read_text())
    model = engine.pytorch_model(proc, rec["trial"]["checkpoint"])
    shape = dcfg.onnx_config.get("input_shape")
    data, _ = proc.create_input(image, shape)  # raw batch: test_step applies the data preprocessor once
    import torch

    with torch.no_grad():
        return model.test_step(data)[0]


@pytest.mark.parametrize("task", TASKS)
def test_predict_command_matches_pytorch(deployed, task, tmp_path):
    t, dep, run = deployed(task)
    image = _val_image(t)
    drawn = tmp_path / "drawn.png"
    res = CliRunner().invoke(_cli(), ["predict", str(run), image, "--out", str(drawn)])
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    assert result["task"] == task and drawn.is_file() and drawn.stat().st_size > 0
    ref = _pytorch_on_image(dep, image)
    if task == "classification":
        assert result["label"] == int(ref.pred_label.item())
        assert result["score"] == pytest.approx(float(ref.pred_score.max()), abs=1e-3)
    elif task == "detection":
        inst = ref.pred_instances
        keep = (inst.scores >= 0.3).numpy()
        assert len(result["detections"]) == int(keep.sum())
        if keep.any():
            top = result["detections"][0]["bbox"]
            best = inst.bboxes[inst.scores.argmax()].numpy()
            assert np.abs(np.array(top) - best).max() < 1.0
    elif task == "segmentation":
        from autommlab_deploy_ort.predict import Predictor

        _, mask = Predictor(run).predict(image)
        ref_mask = ref.pred_sem_seg.data[0].numpy()
        assert mask.shape == ref_mask.shape
        assert (mask == ref_mask).mean() >= 0.97
    elif task == "keypoint":
        kp = np.array([[k["x"], k["y"]] for k in result["keypoints"]])
        ref_kp = ref.pred_instances.keypoints[0]
        assert kp.shape == ref_kp.shape
        assert np.median(np.linalg.norm(kp - ref_kp, axis=1)) < 2.0


def _cli():
    from autommlab_deploy_ort import plugin

    return plugin_group(plugin)


def test_bad_inputs_give_clear_errors(trained, tmp_path):
    from autommlab.errors import DataError, UsageError
    from autommlab_deploy_ort import plugin

    from .trained import context

    t = trained("classification")
    target = t.target(tmp_path / "out")
    ctx = context("deploy")
    no_ckpt = t.trial.model_copy(update={"checkpoint": tmp_path / "missing.pth"})
    with pytest.raises(UsageError, match="Trial.checkpoint file not found: .*missing.pth"):
        plugin.autommlab_deploy(trial=no_ckpt, target=target, ctx=ctx)
    no_cfg = t.trial.model_copy(update={"config": tmp_path / "missing.py"})
    with pytest.raises(UsageError, match="Trial.config file not found: .*missing.py"):
        plugin.autommlab_deploy(trial=no_cfg, target=target, ctx=ctx)
    broken = tmp_path / "broken.py"
    broken.write_text("model = dict(type='X')\n")
    with pytest.raises(DataError, match="lacks default_scope, val_dataloader, val_evaluator"):
        plugin.autommlab_deploy(trial=t.trial.model_copy(update={"config": broken}), target=target, ctx=ctx)
    # an image that is not there
    res = CliRunner().invoke(_cli(), ["predict", str(tmp_path), str(tmp_path / "none.jpg")])
    assert res.exit_code != 0
