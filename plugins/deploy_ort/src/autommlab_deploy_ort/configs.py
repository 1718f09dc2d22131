"""mmdeploy deploy configs, per task and backend, carried by the project.

mmdeploy's wheel ships no ``configs/`` directory, so the small dicts its
``configs/<codebase>/*_{onnxruntime,tensorrt}_dynamic.py`` files hold are
written here. ``deploy_config(task, backend, ...)`` returns a plain dict
(``onnx_config``, ``codebase_config``, ``backend_config``) that
``mmengine.Config(dict)`` accepts. Pure Python: no heavy imports.
"""

from __future__ import annotations

import copy
from typing import Any

from autommlab.errors import UsageError

BACKENDS = ("onnxruntime", "tensorrt")

#: ONNX opset per task. SegFormer's attention (MultiheadAttention) needs 13;
#: the others export at 11 as in mmdeploy's configs, 13 works for them too.
OPSET = {"classification": 11, "detection": 11, "segmentation": 13, "keypoint": 11}

_ONNX_BASE: dict[str, Any] = dict(
    type="onnx",
    export_params=True,
    keep_initializers_as_inputs=False,
    opset_version=11,
    save_file="end2end.onnx",
    input_names=["input"],
    output_names=["output"],
    input_shape=None,
    optimize=False,
)

_DET_POST = dict(
    score_threshold=0.05,
    confidence_threshold=0.005,
    iou_threshold=0.5,
    max_output_boxes_per_class=200,
    pre_top_k=5000,
    keep_top_k=100,
    background_label_id=-1,
)

_TASKS: dict[str, dict[str, Any]] = {
    "classification": dict(
        codebase_config=dict(type="mmpretrain", task="Classification"),
        onnx_config=dict(
            output_names=["output"],
            dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"}, "output": {0: "batch"}},
        ),
    ),
    "detection": dict(
        codebase_config=dict(type="mmdet", task="ObjectDetection", model_type="end2end", post_processing=_DET_POST),
        onnx_config=dict(
            output_names=["dets", "labels"],
            dynamic_axes={
                "input": {0: "batch", 2: "height", 3: "width"},
                "dets": {0: "batch", 1: "num_dets"},
                "labels": {0: "batch", 1: "num_dets"},
            },
        ),
    ),
    "segmentation": dict(
        codebase_config=dict(type="mmseg", task="Segmentation", with_argmax=True),
        onnx_config=dict(
            output_names=["output"],
            dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"},
                          "output": {0: "batch", 2: "height", 3: "width"}},
        ),
    ),
    # Top-down pose: the input size is fixed by the codec; only the batch
    # (persons) is dynamic. SimCC heads export simcc_x/simcc_y and are decoded
    # outside the graph (mmdeploy's default for RTMPose on ONNX Runtime).
    "keypoint": dict(
        codebase_config=dict(type="mmpose", task="PoseDetection", export_postprocess=False),
        onnx_config=dict(output_names=["simcc_x", "simcc_y"],
                         dynamic_axes={"input": {0: "batch"}, "simcc_x": {0: "batch"}, "simcc_y": {0: "batch"}}),
    ),
}


def deploy_config(task: str, backend: str, *, input_hw: tuple[int, int] | None = None, keypoint_outputs:
                  list[str] | None = None, precision: str = "fp32", max_batch: int = 4,
                  workspace_bytes: int = 1 << 30, static_hw: tuple[int, int] | None = None) -> dict[str, Any]:
    """The deploy config for ``task`` on ``backend`` as a plain dict.

    :param input_hw: the deployed input size (height, width). Required for the
        keypoint task (mmdeploy's ``input_shape`` is (width, height) there) and
        for TensorRT (optimisation profile); ignored otherwise.
    :param keypoint_outputs: output names of a keypoint head that is not SimCC
        (e.g. ``["output"]`` for heatmap heads).
    :param precision: "fp32" or "fp16" (TensorRT only; ONNX Runtime runs fp32).
    :param static_hw: export at this fixed (height, width): only the batch stays dynamic.
    """
    if task not in _TASKS:
        raise UsageError(f"no deploy config for task {task!r}; tasks: {', '.join(_TASKS)}")
    if backend not in BACKENDS:
        raise UsageError(f"no deploy config for backend {backend!r}; backends: {', '.join(BACKENDS)}")
    spec = copy.deepcopy(_TASKS[task])
    onnx = copy.deepcopy(_ONNX_BASE)
    onnx.update(spec["onnx_config"])
    onnx["opset_version"] = OPSET[task]
    if task == "keypoint":
        if input_hw is None:
            raise UsageError("keypoint deploy config needs the model input size (codec input_size)")
        onnx["input_shape"] = [int(input_hw[1]), int(input_hw[0])]
        if keypoint_outputs:
            onnx["output_names"] = list(keypoint_outputs)
            onnx["dynamic_axes"] = {n: {0: "batch"} for n in ["input", *keypoint_outputs]}
    if static_hw is not None:
        onnx["input_shape"] = [int(static_hw[1]), int(static_hw[0])]
        _drop_spatial_axes(onnx)
    cfg: dict[str, Any] = dict(onnx_config=onnx, codebase_config=spec["codebase_config"])
    if backend == "onnxruntime":
        cfg["backend_config"] = dict(type="onnxruntime")
    else:
        if input_hw is None:
            raise UsageError("a TensorRT deploy config needs the input size (height, width)")
        h, w = int(input_hw[0]), int(input_hw[1])
        # TensorRT engines are built for a range of shapes: batch 1..max_batch at
        # the deployed size. Detection/segmentation keep H and W fixed so the
        # engine is tuned for the measured shape.
        shapes = dict(min_shape=[1, 3, h, w], opt_shape=[1, 3, h, w], max_shape=[max_batch, 3, h, w])
        cfg["backend_config"] = dict(
            type="tensorrt",
            common_config=dict(fp16_mode=precision == "fp16", max_workspace_size=workspace_bytes),
            model_inputs=[dict(input_shapes=dict(input=shapes))],
        )
        _drop_spatial_axes(onnx)  # the engine is built for the deployed H and W (see above)
    return cfg


def _drop_spatial_axes(onnx: dict[str, Any]) -> None:
    for name, axes in onnx["dynamic_axes"].items():
        onnx["dynamic_axes"][name] = {k: v for k, v in axes.items() if v not in ("height", "width")}
