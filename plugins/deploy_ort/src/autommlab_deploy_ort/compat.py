"""Scoped fixes that let mmdeploy 1.3.1 run on torch 2.14 (see shared/notes/OPENMMLAB_ON_CPU.md).

- torch >= 2.9 exports with the dynamo exporter by default; mmdeploy's
  rewriters need the TorchScript one: ``torch.onnx.export(..., dynamo=False)``.
- torch >= 2.6 loads checkpoints with ``weights_only=True``; mmengine
  checkpoints hold mmengine objects. Only for checkpoints this project wrote
  (a Trial's) or the user named is full unpickling allowed, and only while
  loading them.
- mmdeploy's RoIAlign symbolic uses ``symbolic_opset9._cast_Long``, which torch
  2.14 removed (two-stage detectors): a Cast-to-INT64 replacement.
"""

from __future__ import annotations

import contextlib
import functools
import os
from typing import Iterator


@contextlib.contextmanager
def trusted_checkpoint_loading() -> Iterator[None]:
    """Let ``torch.load`` unpickle full checkpoints inside the block (project-written checkpoints only)."""
    key = "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"
    old = os.environ.get(key)
    os.environ[key] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old


def _restore_cast_long() -> None:
    from torch.onnx import symbolic_opset9 as s9

    if hasattr(s9, "_cast_Long"):
        return

    def _cast_Long(g, input, non_blocking):  # noqa: N802 - the name mmdeploy imports
        return g.op("Cast", input, to_i=7)  # 7: onnx.TensorProto.INT64

    s9._cast_Long = _cast_Long


@contextlib.contextmanager
def torchscript_onnx_export() -> Iterator[None]:
    """Inside the block ``torch.onnx.export`` uses the TorchScript exporter (``dynamo=False``)."""
    import torch

    _restore_cast_long()
    original = torch.onnx.export

    @functools.wraps(original)
    def export(*args, **kwargs):
        kwargs.setdefault("dynamo", False)
        return original(*args, **kwargs)

    torch.onnx.export = export
    try:
        yield
    finally:
        torch.onnx.export = original


def mmpretrain_without_multimodal() -> None:
    """Keep mmpretrain 1.2 from importing its multimodal models (BLIP, ...).

    Why: with transformers >= 5 in the same environment (the LLM plugins bring
    it) ``mmpretrain.models.multimodal.blip`` fails at import (it subclasses
    ``PreTrainedModel``, which its fallback sets to None when
    ``apply_chunking_to_forward`` is gone), so no mmpretrain model can be built.
    Classification models never need them. Must run before
    ``mmpretrain.models`` is first imported; a no-op without mmpretrain.
    """
    import importlib.util
    import sys

    if importlib.util.find_spec("mmpretrain") is None or "mmpretrain.models" in sys.modules:
        return
    from mmpretrain.utils import dependency

    dependency.WITH_MULTIMODAL = False
