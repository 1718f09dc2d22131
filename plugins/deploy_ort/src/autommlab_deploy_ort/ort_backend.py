"""The ONNX Runtime backend for ``deploy.run_deploy``: the exported graph is the model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autommlab.schemas import DeployTarget

from .deploy import Backend, Runner
from .ortsession import open_session


def _convert(onnx_path: Path, deploy_cfg: Any, out_dir: Path, target: DeployTarget) -> Path:
    return onnx_path


def _open(model_file: Path, device: str, threads: int | None) -> Runner:
    sess, info = open_session(model_file, device=device, threads=threads)
    in_name = sess.get_inputs()[0].name
    names = [o.name for o in sess.get_outputs()]
    return Runner(fn=lambda x: sess.run(names, {in_name: x}), output_names=names, info=info)


BACKEND = Backend(name="onnxruntime", plugin="deploy_ort", convert=_convert, open=_open)
