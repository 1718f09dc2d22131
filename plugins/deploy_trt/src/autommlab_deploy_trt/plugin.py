"""Hook implementations of ``deploy_trt`` (light: TensorRT and torch are imported inside the hook)."""

from __future__ import annotations

from typing import Any

from autommlab.hookspecs import hookimpl

NAME = "deploy_trt"


@hookimpl
def autommlab_plugin_info() -> dict[str, Any]:
    return {"description": "mmdeploy -> TensorRT engine (FP32/FP16) on a CUDA GPU: latency, parity, val metric, "
                           "bundle", "requires": ["torch", "mmdeploy", "tensorrt", "CUDA GPU"],
            "backends": [{"backend": "tensorrt", "device": "cuda"}]}


@hookimpl
def autommlab_deploy(trial, target, ctx):
    """Serve ``target.backend == "tensorrt"`` on a CUDA device; decline with the reason otherwise."""
    if target.backend != "tensorrt":
        return ctx.decline(NAME, f"serves backend 'tensorrt' only, not {target.backend!r}")
    from .availability import unavailable_reason

    reason = unavailable_reason(target.device)
    if reason:
        return ctx.decline(NAME, reason)
    from autommlab_deploy_ort.deploy import run_deploy

    from .trt_backend import BACKEND

    return run_deploy(trial, target, ctx, BACKEND, threads=None)
