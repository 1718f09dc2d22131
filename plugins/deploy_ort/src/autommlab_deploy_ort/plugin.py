"""Hook implementations of ``deploy_ort`` (light: heavy imports happen inside the hooks)."""

from __future__ import annotations

import os
from typing import Any

from autommlab.hookspecs import hookimpl

NAME = "deploy_ort"


@hookimpl
def autommlab_plugin_info() -> dict[str, Any]:
    return {"description": "mmdeploy -> ONNX -> ONNX Runtime (CPU / CUDA EP): latency, parity, val metric, "
                           "standalone bundle; adds `autommlab predict`",
            "requires": ["torch", "mmdeploy", "onnxruntime"],
            # what `autommlab benchmark` tries: (backend, device) pairs this plugin may serve
            "backends": [{"backend": "onnxruntime", "device": "cpu"}, {"backend": "onnxruntime", "device": "cuda"}]}


def missing_libraries() -> list[str]:
    """Libraries the export needs that are not installed (checked without importing them)."""
    import importlib.util

    return [m for m in ("torch", "mmengine", "mmdeploy", "onnx", "onnxruntime") if importlib.util.find_spec(m) is None]


@hookimpl
def autommlab_deploy(trial, target, ctx):
    """Serve ``target.backend == "onnxruntime"`` on cpu or cuda (CUDA execution provider)."""
    if target.backend != "onnxruntime":
        return ctx.decline(NAME, f"serves backend 'onnxruntime' only, not {target.backend!r}")
    missing = missing_libraries()
    if missing:
        return ctx.decline(NAME, f"not installed: {', '.join(missing)} (install autommlab-deploy-ort with the "
                                 f"OpenMMLab stack: scripts/install.sh)")
    from .ortsession import BackendUnavailable, providers_for

    try:
        providers_for(target.device)
    except BackendUnavailable as e:
        return ctx.decline(NAME, str(e))
    if target.precision != "fp32":
        ctx.log(f"{NAME}: ONNX Runtime runs the fp32 graph; precision {target.precision!r} is not applied")
    from .deploy import run_deploy
    from .ort_backend import BACKEND

    threads = ctx.plugin_config(NAME).get("threads") or (os.cpu_count() if target.device == "cpu" else None)
    return run_deploy(trial, target, ctx, BACKEND, threads=threads)


@hookimpl
def autommlab_register_commands(cli) -> None:
    from .cli import predict_command

    if "predict" not in getattr(cli, "commands", {}):
        cli.add_command(predict_command)


@hookimpl
def autommlab_report_parts(record, result, ctx):
    """The deployed bundle on val images: drawn predictions, per-class figures, latency distribution."""
    if result.deployment is None:
        return None
    from .evidence import report_parts

    return report_parts(result)
