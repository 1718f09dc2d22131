"""Hooks of the ``mmdet`` plugin (light: mm* is imported inside the hooks only)."""

from __future__ import annotations

from autommlab_openmmlab import build_config  # noqa: F401  (this plugin's config builder: the shared one)
from autommlab_openmmlab.hooks import codebase_hooks
from autommlab_openmmlab.spec import CodebaseSpec
from autommlab_openmmlab.zoo import result_tasks


_MASK_FAMILIES = {"htc", "scnet", "solo", "solov2", "yolact", "queryinst", "condinst", "boxinst", "point_rend",
                  "ms_rcnn", "panoptic_fpn", "simple_copy_paste", "strong_baselines", "lvis"}


def _is_det(entry: dict, config: str) -> bool:
    tasks = result_tasks(entry)
    # only plain box detectors: instance/panoptic models need mask annotations to train
    if "mask" in config.lower() or config.split("/")[1] in _MASK_FAMILIES:  # some list only their box AP
        return False
    return "Object Detection" in tasks and not tasks & {"Instance Segmentation", "Panoptic Segmentation"}


CODEBASE = CodebaseSpec(
    name="mmdet", package="mmdet", scope="mmdet", task="detection",
    zoo_filter=_is_det,
    defaults=("rtmdet_tiny_8xb32-300e_coco", "yolox_tiny_8x8_300e_coco", "ssdlite_mobilenetv2-scratch_8xb24-600e_coco"),
    adapter="autommlab_mmdet.adapter", input_size=(256, 256),
    metric_names={"box AP": "AP"},
)


autommlab_select_model, autommlab_train, autommlab_plugin_info = codebase_hooks(
    CODEBASE, "detection: mmdet zoo + mmengine training", ["torch", "mmdet"])
