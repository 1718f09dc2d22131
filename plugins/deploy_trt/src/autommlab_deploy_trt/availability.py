"""Why TensorRT cannot run here (None when it can). Checks without building anything."""

from __future__ import annotations

import importlib.util


def unavailable_reason(device: str) -> str | None:
    """A sentence saying what is missing for a TensorRT deployment on ``device``, or None.

    Order matters for the message: device asked, libraries, then the GPU itself
    (the last check imports torch).
    """
    if not device.startswith("cuda"):
        return f"TensorRT runs on a CUDA GPU; the target device is {device!r}"
    missing = [m for m in ("tensorrt", "torch", "mmdeploy", "onnx") if importlib.util.find_spec(m) is None]
    if missing:
        return (f"not installed: {', '.join(missing)} (TensorRT comes with the GPU stack: "
                f"pip install tensorrt matching the CUDA version)")
    import torch

    if not torch.cuda.is_available():
        return "no CUDA GPU visible to torch (torch.cuda.is_available() is False)"
    return None
