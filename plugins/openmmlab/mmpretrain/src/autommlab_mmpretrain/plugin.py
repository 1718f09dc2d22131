"""Hooks of the ``mmpretrain`` plugin (light: mm* is imported inside the hooks only)."""

from __future__ import annotations

from autommlab_openmmlab import build_config  # noqa: F401  (this plugin's config builder: the shared one)
from autommlab_openmmlab.hooks import codebase_hooks
from autommlab_openmmlab.spec import CodebaseSpec
from autommlab_openmmlab.zoo import result_tasks


def _is_cls(entry: dict, config: str) -> bool:
    return "Image Classification" in result_tasks(entry)


CODEBASE = CodebaseSpec(
    name="mmpretrain", package="mmpretrain", scope="mmpretrain", task="classification",
    zoo_filter=_is_cls, defaults=("mobilenet-v2_8xb32_in1k", "resnet18_8xb32_in1k", "shufflenet-v2-1x_16xb64_in1k"),
    adapter="autommlab_mmpretrain.adapter", input_size=(112, 112),
    metric_names={"Top 1 Accuracy": "accuracy", "Top 5 Accuracy": "top5_accuracy"},
)


autommlab_select_model, autommlab_train, autommlab_plugin_info = codebase_hooks(
    CODEBASE, "classification: mmpretrain zoo + mmengine training", ["torch", "mmpretrain"])
