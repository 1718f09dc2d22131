"""Deploy configs per task and backend (pure Python)."""

import pytest

from autommlab.errors import UsageError
from autommlab_deploy_ort.configs import deploy_config


@pytest.mark.parametrize("task", ["classification", "detection", "segmentation"])
def test_ort_configs_are_dynamic_in_batch_and_size(task):
    cfg = deploy_config(task, "onnxruntime")
    assert cfg["backend_config"] == {"type": "onnxruntime"}
    assert cfg["onnx_config"]["dynamic_axes"]["input"] == {0: "batch", 2: "height", 3: "width"}
    assert cfg["onnx_config"]["input_shape"] is None


def test_segformer_needs_opset_13():
    assert deploy_config("segmentation", "onnxruntime")["onnx_config"]["opset_version"] == 13


def test_keypoint_config_fixes_input_size_and_keeps_batch_dynamic():
    cfg = deploy_config("keypoint", "onnxruntime", input_hw=(256, 192))
    assert cfg["onnx_config"]["input_shape"] == [192, 256]  # mmdeploy wants (w, h)
    assert cfg["onnx_config"]["output_names"] == ["simcc_x", "simcc_y"]
    assert cfg["onnx_config"]["dynamic_axes"]["input"] == {0: "batch"}
    with pytest.raises(UsageError, match="input size"):
        deploy_config("keypoint", "onnxruntime")


@pytest.mark.parametrize("precision", ["fp32", "fp16"])
def test_tensorrt_config_profile_and_precision(precision):
    cfg = deploy_config("detection", "tensorrt", input_hw=(256, 320), precision=precision, max_batch=2)
    be = cfg["backend_config"]
    assert be["type"] == "tensorrt"
    assert be["common_config"]["fp16_mode"] is (precision == "fp16")
    shapes = be["model_inputs"][0]["input_shapes"]["input"]
    assert shapes == {"min_shape": [1, 3, 256, 320], "opt_shape": [1, 3, 256, 320], "max_shape": [2, 3, 256, 320]}
    assert cfg["onnx_config"]["dynamic_axes"]["input"] == {0: "batch"}


def test_unknown_task_or_backend_is_a_clear_error():
    with pytest.raises(UsageError, match="backend 'openvino'"):
        deploy_config("classification", "openvino")
    with pytest.raises(UsageError, match="task 'depth'"):
        deploy_config("depth", "onnxruntime")
