"""Hooks of the ``mmpose`` plugin (light: mm* is imported inside the hooks only)."""

from __future__ import annotations

from autommlab_openmmlab.hooks import codebase_hooks
from autommlab_openmmlab.spec import CodebaseSpec


def _is_topdown_2d(entry: dict, config: str) -> bool:
    res = entry.get("Results") or []
    res = [res] if isinstance(res, dict) else res
    tasks = {str(r.get("Task", "")) for r in res if isinstance(r, dict)}
    # top-down 2D models only: they take a person box and predict any number of keypoints
    return any(t.endswith("2D Keypoint") for t in tasks) and ("/topdown_" in config or "/rtmpose/" in config)


CODEBASE = CodebaseSpec(
    name="mmpose", package="mmpose", scope="mmpose", task="keypoint",
    zoo_filter=_is_topdown_2d,
    defaults=("rtmpose-t_8xb256-420e_coco-256x192", "rtmpose-s_8xb256-420e_coco-256x192",
              "td-hm_res50_8xb64-210e_coco-256x192"),
    adapter="autommlab_mmpose.adapter", input_size=None,  # the zoo codec's size (256x192 for the defaults)
    metric_names={"AP": "AP", "AP@0.5": "AP50"},
)


autommlab_select_model, autommlab_train, autommlab_plugin_info = codebase_hooks(
    CODEBASE, "keypoint: mmpose zoo + mmengine training", ["torch", "mmpose"])


def build_config(job):
    """The mmengine Config this plugin trains ``job`` with."""
    from autommlab_openmmlab import build_config as _build

    return _build(job)
