"""Hooks of the ``mmpose`` plugin (light: mm* is imported inside the hooks only)."""

from __future__ import annotations

from autommlab_openmmlab import build_config  # noqa: F401  (this plugin's config builder: the shared one)
from autommlab_openmmlab.hooks import codebase_hooks
from autommlab_openmmlab.spec import CodebaseSpec
from autommlab_openmmlab.zoo import result_tasks


def _is_topdown_2d(entry: dict, config: str) -> bool:
    tasks = result_tasks(entry)
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
