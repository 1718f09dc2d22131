"""Scoped fixes that let mmdeploy 1.3.1 run on torch 2.14 (see shared/notes/OPENMMLAB_ON_CPU.md).

- torch >= 2.9 exports with the dynamo exporter by default; mmdeploy's
  rewriters need the TorchScript one: ``torch.onnx.export(..., dynamo=False)``.
- Checkpoint loading under torch >= 2.6 and mmpretrain's import under
  transformers 5 are fixed once, in ``autommlab_openmmlab.compat``
  (``trusted_checkpoint_loading``, ``prepare_imports``), and used from there.
- mmdeploy's RoIAlign symbolic uses ``symbolic_opset9._cast_Long``, which torch
  2.14 removed (two-stage detectors): a Cast-to-INT64 replacement.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Iterator


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
