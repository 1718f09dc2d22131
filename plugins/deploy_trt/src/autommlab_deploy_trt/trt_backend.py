"""The TensorRT backend for ``autommlab_deploy_ort.deploy.run_deploy``: ONNX -> serialized engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autommlab.schemas import DeployTarget
from autommlab_deploy_ort.deploy import Backend, Runner

from .runtime import open_engine


def _device_id(device: str) -> int:
    return int(device.split(":")[1]) if ":" in device else 0


def convert(onnx_path: Path, deploy_cfg: Any, out_dir: Path, target: DeployTarget) -> Path:
    """Build ``out_dir/end2end.engine`` with mmdeploy's ``from_onnx`` (FP16 when the deploy config asks)."""
    from mmdeploy.backend.tensorrt import from_onnx

    common = deploy_cfg.backend_config.get("common_config", {})
    shapes = deploy_cfg.backend_config.model_inputs[0]["input_shapes"]
    prefix = out_dir / "end2end"
    from_onnx(str(onnx_path), str(prefix), input_shapes=dict(shapes),
              max_workspace_size=int(common.get("max_workspace_size", 1 << 30)),
              fp16_mode=bool(common.get("fp16_mode", False)), device_id=_device_id(target.device))
    engine = prefix.with_suffix(".engine")
    if not engine.is_file():
        raise RuntimeError(f"TensorRT build finished without writing {engine}")
    return engine


def open_runner(model_file: Path, device: str, threads: int | None) -> Runner:
    run, names, info, sync = open_engine(model_file, device)
    return Runner(fn=run, output_names=names, info=info, sync=sync)


BACKEND = Backend(name="tensorrt", plugin="deploy_trt", convert=convert, open=open_runner)
