"""Hooks of the ``mmpretrain`` plugin (light: mm* is imported inside the hooks only)."""

from __future__ import annotations

from autommlab_openmmlab.hooks import codebase_hooks
from autommlab_openmmlab.spec import CodebaseSpec


def _is_cls(entry: dict, config: str) -> bool:
    res = entry.get("Results") or []
    res = [res] if isinstance(res, dict) else res
    return any(isinstance(r, dict) and r.get("Task") == "Image Classification" for r in res)


CODEBASE = CodebaseSpec(
    name="mmpretrain", package="mmpretrain", scope="mmpretrain", task="classification",
    zoo_filter=_is_cls, defaults=("mobilenet-v2_8xb32_in1k", "resnet18_8xb32_in1k", "shufflenet-v2-1x_16xb64_in1k"),
    adapter="autommlab_mmpretrain.adapter", input_size=(112, 112),
    metric_names={"Top 1 Accuracy": "accuracy", "Top 5 Accuracy": "top5_accuracy"},
)


autommlab_select_model, autommlab_train, autommlab_plugin_info = codebase_hooks(
    CODEBASE, "classification: mmpretrain zoo + mmengine training", ["torch", "mmpretrain"])


def build_config(job):
    """The mmengine Config this plugin trains ``job`` with."""
    from autommlab_openmmlab import build_config as _build

    return _build(job)
