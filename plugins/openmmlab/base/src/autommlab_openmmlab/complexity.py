"""Params and FLOPs of a zoo model, computed by building it, cached on disk.

In: a ``ZooModel``, the input size [h, w] it will be trained at and the
number of classes (or keypoints) of its head. Out: ``{"params_m", "flops_g",
"input_size", "num_classes", "recipe"}``. FLOPs are counted by
``mmengine.analysis`` with one multiply-add = 1 FLOP, the convention of the
OpenMMLab zoos. The cache is ``<home>/openmmlab/complexity.json``, keyed by
codebase, model, input size and head size; it is rewritten atomically.
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from .spec import CodebaseSpec
from .zoo import ZooModel

_lock = threading.Lock()


def cache_path(home: Path) -> Path:
    return Path(home).expanduser() / "openmmlab" / "complexity.json"


def cache_key(model: ZooModel, input_size: list[int], num_classes: int | None) -> str:
    nc = "zoo" if num_classes is None else str(num_classes)
    return f"{model.codebase}/{model.name}@{input_size[0]}x{input_size[1]}/nc={nc}"


def load_cache(home: Path) -> dict[str, Any]:
    p = cache_path(home)
    if not p.is_file():
        return {}
    try:
        return json.loads(p.read_text())
    except (OSError, json.JSONDecodeError):
        return {}  # a corrupt cache is recomputed, never trusted


def save_entry(home: Path, key: str, entry: dict[str, Any]) -> None:
    with _lock:
        data = load_cache(home)
        data[key] = entry
        p = cache_path(home)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, p)


def zoo_input_size(spec: CodebaseSpec, cfg: Any) -> list[int]:
    """The [h, w] this codebase trains at: the spec's CPU default, else the zoo config's own."""
    if spec.input_size is not None:
        return list(spec.input_size)
    return list(spec.load_adapter().config_input_size(cfg))


def compute(spec: CodebaseSpec, model: ZooModel, num_classes: int | None = None,
            input_size: list[int] | None = None) -> dict[str, Any]:
    """Build ``model`` from its config and measure params and FLOPs (slow: seconds per model on CPU)."""
    import torch
    from mmengine.analysis import get_model_complexity_info
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from .compat import prepare_imports, strip_pretrained, sync_bn_to_bn
    from .recipe import extract_recipe

    prepare_imports()

    adapter = spec.load_adapter()
    cfg = Config.fromfile(str(model.config))
    size = list(input_size or zoo_input_size(spec, cfg))
    model_cfg = cfg.model
    strip_pretrained(model_cfg, keep_local=False)
    sync_bn_to_bn(model_cfg)
    adapter.adapt_model(model_cfg, num_classes=num_classes, input_size=size, metainfo=None)
    init_default_scope(spec.scope)
    registry = importlib.import_module(f"{spec.scope}.registry").MODELS
    net = registry.build(model_cfg)
    net.eval()

    class TensorMode(torch.nn.Module):
        """Calls the model's plain tensor forward (mmpose's forward has no default for data_samples)."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return self.inner(x, None, mode="tensor")

    with torch.no_grad():
        info = get_model_complexity_info(TensorMode(net), input_shape=(3, size[0], size[1]), show_table=False,
                                         show_arch=False)
    params = sum(p.numel() for p in net.parameters())
    return {
        "params_m": round(params / 1e6, 4),
        "flops_g": round(float(info["flops"]) / 1e9, 4),
        "input_size": size,
        "num_classes": num_classes,
        "recipe": extract_recipe(cfg, model.config.name).model_dump(),
        "counted_by": "mmengine.analysis.get_model_complexity_info (1 multiply-add = 1 FLOP)",
    }


def get(spec: CodebaseSpec, model: ZooModel, home: Path, num_classes: int | None = None,
        input_size: list[int] | None = None, compute_missing: bool = True) -> dict[str, Any] | None:
    """Cached complexity of ``model``; computed and stored when missing (unless ``compute_missing`` is False)."""
    size = input_size or (list(spec.input_size) if spec.input_size else None)
    cache = load_cache(home)
    if size is not None:
        hit = cache.get(cache_key(model, size, num_classes))
    else:  # size comes from the zoo config (e.g. mmpose codecs): any cached size of this model
        prefix = f"{model.codebase}/{model.name}@"
        suffix = f"/nc={'zoo' if num_classes is None else num_classes}"
        hit = next((v for k, v in cache.items() if k.startswith(prefix) and k.endswith(suffix)), None)
    if hit is not None or not compute_missing:
        return hit
    entry = compute(spec, model, num_classes=num_classes, input_size=size)
    save_entry(home, cache_key(model, entry["input_size"], num_classes), entry)
    return entry
