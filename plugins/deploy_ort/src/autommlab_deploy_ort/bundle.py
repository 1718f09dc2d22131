"""Write the standalone deployed bundle into ``target.out_dir``.

Layout (what ``predict.Predictor`` reads; nothing else is needed at run time):

    end2end.onnx | end2end.engine   the model
    deploy.json                     everything measured (a Deployment) + "bundle": task,
                                    model file, preprocessing spec, output names, classes, metainfo
    metainfo.json                   class names and keypoint metainfo
    deploy_config.py                the mmdeploy deploy config used
    model_config.py                 the trained model's mmengine config (for re-export)
    libmmdeploy_onnxruntime_ops.so  only when the graph uses mmdeploy custom ops
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from autommlab.schemas import Deployment

from .predict import BUNDLE_FILE

_VERSIONS = ("torch", "mmengine", "mmcv", "mmdeploy", "onnx", "onnxruntime", "onnxruntime-gpu", "tensorrt",
             "mmpretrain", "mmdet", "mmsegmentation", "mmpose")


def environment() -> dict[str, Any]:
    """Versions of the libraries that produced and measured the bundle, and the host."""
    versions = {}
    for name in _VERSIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return dict(python=platform.python_version(), machine=platform.machine(), cpus=os.cpu_count(),
                processor=platform.processor() or None, versions=versions)


def write_json(path: Path, data: Any) -> Path:
    """Atomic JSON write (a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=2, default=str)
        f.write("\n")
    os.replace(tmp, path)
    return path


def write_bundle(out_dir: Path, deployment: Deployment, bundle: dict[str, Any], deploy_cfg: Any, model_cfg: Any,
                 extra: dict[str, Any], ops_library: str | None = None) -> Deployment:
    """Write configs, metainfo and ``deploy.json``; return the Deployment with its artifact paths filled in."""
    out_dir.mkdir(parents=True, exist_ok=True)
    arts = dict(deployment.artifacts)
    deploy_cfg.dump(str(out_dir / "deploy_config.py"))
    arts["deploy_config"] = out_dir / "deploy_config.py"
    try:
        model_cfg.dump(str(out_dir / "model_config.py"))
        arts["model_config"] = out_dir / "model_config.py"
    except Exception as e:  # a config with unserialisable objects; the bundle runs without it
        deployment.notes.append(f"model config not copied into the bundle: {e}")
    arts["metainfo"] = write_json(out_dir / "metainfo.json", dict(classes=bundle.get("classes", []),
                                                                   metainfo=bundle.get("metainfo", {})))
    if ops_library:
        dst = out_dir / Path(ops_library).name
        shutil.copy2(ops_library, dst)
        arts["custom_ops"] = dst
    arts["record"] = out_dir / BUNDLE_FILE
    deployment = deployment.model_copy(update={"artifacts": arts})
    record = deployment.model_dump(mode="json")
    record["bundle"] = bundle
    record.update(extra)
    record["environment"] = environment()
    write_json(out_dir / BUNDLE_FILE, record)
    return deployment
