"""Hooks of the ``mmseg`` plugin (light: mm* is imported inside the hooks only)."""

from __future__ import annotations

from autommlab_openmmlab import build_config  # noqa: F401  (this plugin's config builder: the shared one)
from autommlab_openmmlab.hooks import codebase_hooks
from autommlab_openmmlab.spec import CodebaseSpec
from autommlab_openmmlab.zoo import result_tasks


def _is_seg(entry: dict, config: str) -> bool:
    return "Semantic Segmentation" in result_tasks(entry)


CODEBASE = CodebaseSpec(
    name="mmseg", package="mmseg", scope="mmseg", task="segmentation",
    zoo_filter=_is_seg,
    defaults=("segformer_mit-b0_8xb2-160k_ade20k-512x512", "fcn_r18-d8_4xb2-80k_cityscapes-512x1024",
              "bisenetv2_fcn_4xb4-160k_cityscapes-1024x1024"),
    adapter="autommlab_mmseg.adapter", input_size=(128, 128),
    metric_names={"mIoU": "mIoU"},
)


autommlab_select_model, autommlab_train, autommlab_plugin_info = codebase_hooks(
    CODEBASE, "segmentation: mmseg zoo + mmengine training", ["torch", "mmsegmentation"])
